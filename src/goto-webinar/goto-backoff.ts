// Backoff math for retries of GoTo calls: exponential with full jitter, floored by Retry-After.

export interface BackoffPolicy {
  /** Delay cap of the first retry; doubles per retry. */
  baseDelayMs: number;
  /** Upper bound of the exponential part. */
  maxDelayMs: number;
}

/**
 * Full jitter (AWS architecture blog): a uniform delay in [0, min(max, base * 2^retry)).
 * `retry` is 0 for the first retry.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * cap);
}

/** The wait before retry number `retry`: never shorter than what GoTo asked for in Retry-After. */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const jittered = backoffDelayMs(retry, policy, random);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}

/**
 * Retry-After is either delta-seconds ("120", tolerated "1.5") or an HTTP date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). Returns milliseconds from `now`, 0 for a date in the past,
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined | null,
  now: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^-/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
