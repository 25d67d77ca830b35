// Pacing of calls to GoTo: one limiter per OAuth client in the process, shared by all organizers.
// Calls are spaced evenly (no burst), so any one-second window holds at most `maxRps` starts;
// a small safety margin absorbs network jitter between our send time and GoTo's count.
// Spacing, not a token bucket: a bucket of maxRps would allow 2 × maxRps in some 1 s windows.

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The error an aborted wait rejects with: the signal's reason (an `AbortError` unless one was given). */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Resolves when `wait` does, or rejects with the signal's abort error as soon as it is aborted (the
 * pending `wait` is then ignored). Without a signal, it is `wait` itself.
 */
export function abortable<T>(wait: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return wait;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * `sleep(ms)` that rejects with the abort error as soon as `signal` is aborted. The real sleep's
 * timer is cleared then, so an aborted Retry-After hold does not keep the process alive.
 */
export function sleepUnlessAborted(sleep: Sleep, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(abortError(signal));
  if (sleep !== realSleep) return abortable(sleep(ms), signal);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RateLimiterOptions {
  maxRps: number;
  /** Fraction of maxRps actually used (default 0.95). */
  safety?: number;
  now?: () => number;
  sleep?: Sleep;
}

export class RateLimiter {
  /** When the last caller was let through (actual time, not the planned slot). */
  private lastRelease = -Infinity;
  private heldUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(private options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.intervalMs = RateLimiter.interval(options);
  }

  private static interval(o: RateLimiterOptions): number {
    const rps = Math.max(0.001, o.maxRps * (o.safety ?? 0.95));
    return 1000 / rps;
  }

  get maxRps(): number {
    return this.options.maxRps;
  }

  setMaxRps(maxRps: number): void {
    this.options = { ...this.options, maxRps };
    this.intervalMs = RateLimiter.interval(this.options);
  }

  /**
   * Resolves when the caller may send one request (each retry calls this again). Callers pass one
   * at a time, each at least one interval after the previous one actually passed: a stalled event
   * loop delays calls but never lets them out in a burst.
   *
   * With a `signal`, an abort (shutdown, lost lease) rejects at once with the signal's abort error,
   * whether the caller is still waiting for its turn or sleeping out the interval or a Retry-After
   * hold; an aborted caller takes no slot, and the callers behind it move up.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const turn = this.tail.then(() => this.release(signal));
    this.tail = turn.catch(() => undefined);
    return abortable(turn, signal);
  }

  private async release(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = Math.max(this.lastRelease + this.intervalMs, this.heldUntil) - this.now();
      if (wait <= 0) break;
      await sleepUnlessAborted(this.sleep, wait, signal);
    }
    this.lastRelease = this.now();
  }

  /** GoTo said "not before" (Retry-After): nobody on this client sends before `untilMs`. */
  holdUntil(untilMs: number): void {
    this.heldUntil = Math.max(this.heldUntil, untilMs);
  }
}

const limiters = new Map<string, RateLimiter>();

/** The process-wide limiter of one GoTo OAuth client (keyed by API host + client id). */
export function rateLimiterFor(
  apiUrl: string,
  clientId: string,
  maxRps: number,
  extra: Omit<RateLimiterOptions, 'maxRps'> = {},
): RateLimiter {
  const k = `${apiUrl}|${clientId}`;
  let limiter = limiters.get(k);
  if (!limiter) {
    limiter = new RateLimiter({ maxRps, ...extra });
    limiters.set(k, limiter);
  } else if (limiter.maxRps !== maxRps) {
    limiter.setMaxRps(maxRps);
  }
  return limiter;
}
