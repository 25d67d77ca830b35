import { DomainError } from '../common/errors/domain-error';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { backoffDelayMs, decideOnJobError, describeJobError } from './sync-error-policy';
import { JobSkipped } from './sync.errors';

describe('sync error policy', () => {
  const mid = () => 0.5;

  it('retries retryable GoTo errors with exponential backoff until max attempts', () => {
    const err = new GotoWebinarError('RATE_LIMITED', 'too many requests', { status: 429 });
    expect(decideOnJobError(err, 1, 5, mid)).toEqual({
      action: 'retry',
      delayMs: 3750,
      error: 'RATE_LIMITED: too many requests',
    });
    expect(decideOnJobError(err, 2, 5, mid)).toMatchObject({ action: 'retry', delayMs: 7500 });
    expect(decideOnJobError(err, 4, 5, mid)).toMatchObject({ action: 'retry', delayMs: 30000 });
    expect(decideOnJobError(err, 5, 5, mid)).toEqual({
      action: 'fail',
      error: 'RATE_LIMITED: too many requests',
    });
  });

  it('treats Retry-After as a floor', () => {
    const err = new GotoWebinarError('RATE_LIMITED', 'slow down', { retryAfterMs: 120_000 });
    expect(decideOnJobError(err, 1, 5, mid)).toMatchObject({ action: 'retry', delayMs: 120_000 });
    expect(backoffDelayMs(1, mid, 100)).toBe(3750);
  });

  it('keeps jitter within [half, full] of the exponential delay and caps it', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(10_000);
    expect(backoffDelayMs(3, () => 1)).toBe(20_000);
    expect(backoffDelayMs(30, () => 1)).toBe(15 * 60_000);
  });

  it.each([
    'AUTH_INVALID',
    'ACCOUNT_NOT_FOUND',
    'GRANT_NOT_ALLOWED',
    'NOT_FOUND',
    'INVALID_RESPONSE',
  ] as const)('fails at once on non-retryable %s', (code) => {
    expect(decideOnJobError(new GotoWebinarError(code, 'no'), 1, 5, mid)).toEqual({
      action: 'fail',
      error: `${code}: no`,
    });
  });

  it('fails at once on domain errors and retries unknown errors', () => {
    expect(
      decideOnJobError(new DomainError('not_found', 'NOT_FOUND', 'organizer 3 not found'), 1, 5),
    ).toEqual({
      action: 'fail',
      error: 'NOT_FOUND: organizer 3 not found',
    });
    expect(decideOnJobError(new Error('Connection lost'), 1, 5, mid)).toMatchObject({
      action: 'retry',
      error: 'Connection lost',
    });
    expect(decideOnJobError(new Error('Connection lost'), 5, 5, mid)).toMatchObject({
      action: 'fail',
    });
  });

  it('skips on JobSkipped', () => {
    expect(decideOnJobError(new JobSkipped('organizer deactivated'), 1, 5)).toEqual({
      action: 'skip',
      reason: 'organizer deactivated',
    });
  });

  it('stores messages without secrets, bounded', () => {
    expect(
      describeJobError(new Error('POST /token failed: password=hunter2&client_secret=abc')),
    ).toBe('POST /token failed: password=[redacted]&client_secret=[redacted]');
    expect(describeJobError(new Error('Authorization: Bearer eyJhbGciOi.x.y'))).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(describeJobError(new Error('x'.repeat(5000)))).toHaveLength(1000);
    expect(describeJobError('plain')).toBe('plain');
  });
});
