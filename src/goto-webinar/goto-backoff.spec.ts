import { backoffDelayMs, parseRetryAfter, retryDelayMs } from './goto-backoff';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoff', () => {
  it('full jitter: uniform below min(max, base * 2^retry)', () => {
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelayMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(2, policy, () => 0)).toBe(0);
  });

  it('Retry-After is a floor', () => {
    expect(retryDelayMs(0, 5000, policy, () => 0.5)).toBe(5000);
    expect(retryDelayMs(5, 10, policy, () => 0.5)).toBe(500);
    expect(retryDelayMs(1, undefined, policy, () => 0.25)).toBe(50);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
    ['1.5', 1500],
    ['Sun, 29 Nov 2026 12:00:10 GMT', 10_000],
    ['Sun, 29 Nov 2026 11:00:00 GMT', 0],
  ])('%j -> %i ms', (v, ms) => expect(parseRetryAfter(v, now)).toBe(ms));

  it.each([undefined, null, '', 'soon', '-5'])('%j -> undefined', (v) =>
    expect(parseRetryAfter(v as string, now)).toBeUndefined(),
  );

  it('takes the first of repeated headers', () =>
    expect(parseRetryAfter(['2', '9'], now)).toBe(2000));
});
