import { webhooksHealthy, WEBHOOKS_FRESH_MS } from './webhooks-health';

const now = new Date('2026-12-03T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('webhooksHealthy', () => {
  it('is true while the subscription is on and was checked or heard from recently', () => {
    expect(
      webhooksHealthy(
        { webhookState: 'on', webhookCheckedAt: ago(1000), webhookLastEventAt: null },
        now,
      ),
    ).toBe(true);
    expect(
      webhooksHealthy(
        {
          webhookState: 'on',
          webhookCheckedAt: ago(WEBHOOKS_FRESH_MS * 3),
          webhookLastEventAt: ago(60_000),
        },
        now,
      ),
    ).toBe(true);
  });

  it('is false when off, failing, never checked, or silent for too long', () => {
    for (const state of ['off', 'failing', 'unknown'] as const)
      expect(
        webhooksHealthy(
          { webhookState: state, webhookCheckedAt: ago(1000), webhookLastEventAt: ago(1000) },
          now,
        ),
      ).toBe(false);
    expect(
      webhooksHealthy(
        { webhookState: 'on', webhookCheckedAt: null, webhookLastEventAt: null },
        now,
      ),
    ).toBe(false);
    expect(
      webhooksHealthy(
        {
          webhookState: 'on',
          webhookCheckedAt: ago(WEBHOOKS_FRESH_MS + 1),
          webhookLastEventAt: ago(WEBHOOKS_FRESH_MS + 1),
        },
        now,
      ),
    ).toBe(false);
  });
});
