// Pure: whether GoTo's webhooks are flowing for an organizer, so polling may relax for it (the
// adaptive schedule asks; it goes back to its normal pace on its own when this turns false).
import type { WebhookState } from '../organizers/organizer.entity';

/** A subscription checked (daily pass, Test Connection) or an event seen within this counts as flowing. */
export const WEBHOOKS_FRESH_MS = 26 * 3_600_000;

export interface WebhookHealthInput {
  webhookState: WebhookState;
  webhookCheckedAt: Date | null;
  webhookLastEventAt: Date | null;
}

export function webhooksHealthy(organizer: WebhookHealthInput, now: Date): boolean {
  if (organizer.webhookState !== 'on') return false;
  const last = Math.max(
    organizer.webhookCheckedAt?.getTime() ?? 0,
    organizer.webhookLastEventAt?.getTime() ?? 0,
  );
  return last > 0 && now.getTime() - last <= WEBHOOKS_FRESH_MS;
}
