import { Sleep } from './budget/sleep';

/** Knobs of the GoTo client that are not environment configuration (tests shorten the waits). */
export interface GotoWebinarOptions {
  /** Delay cap of the first retry; doubles per retry (full jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** Cap of the exponential backoff. Default 30 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not slept on: the error is thrown with retryAfterMs. Default 60 s. */
  maxRetryAfterMs?: number;
  /** The shared pause of every instance after a 429 without Retry-After. Default 1 s. */
  rateLimitPauseMs?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

export const GOTO_WEBINAR_OPTIONS = Symbol('GOTO_WEBINAR_OPTIONS');

export const DEFAULT_GOTO_WEBINAR_OPTIONS = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  rateLimitPauseMs: 1000,
} as const;
