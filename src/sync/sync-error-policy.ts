import { DomainError } from '../common/errors/domain-error';
import { safeErrorMessage } from '../database/database-error';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { JobSkipped } from './sync.errors';
import { redactText } from '../logging/redact';

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 15 * 60_000;
const MAX_ERROR_LENGTH = 1000;

export type JobErrorDecision =
  | { action: 'retry'; delayMs: number; error: string }
  | { action: 'fail'; error: string }
  | { action: 'skip'; reason: string };

/**
 * What to do with a job whose attempt threw. `attempts` counts the attempt that just failed.
 * Retryable GoTo errors (RATE_LIMITED, TEMPORARY) and unknown errors (often transient database
 * errors) retry with backoff until maxAttempts; non-retryable GoTo errors and DomainErrors fail at once.
 */
export function decideOnJobError(
  err: unknown,
  attempts: number,
  maxAttempts: number,
  random: () => number = Math.random,
): JobErrorDecision {
  if (err instanceof JobSkipped) return { action: 'skip', reason: err.reason };
  const error = describeJobError(err);
  if (err instanceof DomainError) return { action: 'fail', error };
  if (err instanceof GotoWebinarError && !err.retryable) return { action: 'fail', error };
  if (attempts >= maxAttempts) return { action: 'fail', error };
  const retryAfterMs = err instanceof GotoWebinarError ? err.details.retryAfterMs : undefined;
  return { action: 'retry', delayMs: backoffDelayMs(attempts, random, retryAfterMs), error };
}

/**
 * Exponential backoff with "equal jitter": half of 5 s · 2^(attempt−1) (capped at 15 min) is fixed,
 * the other half random, so retries of many jobs spread out. GoTo's Retry-After is a floor.
 */
export function backoffDelayMs(
  attempts: number,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** The stored `last_error`: code and message only (never a stack, a request or a token), bounded. */
export function describeJobError(err: unknown): string {
  let text: string;
  if (err instanceof GotoWebinarError || err instanceof DomainError)
    text = `${err.code}: ${err.message}`;
  // A database error: its code and message without SQL or values (database-error.ts).
  else text = safeErrorMessage(err);
  // Belt and braces: error messages should carry no secrets, but drivers sometimes echo parameters.
  return redactText(text).slice(0, MAX_ERROR_LENGTH);
}
