// Pacing of calls to GoTo: one limiter per OAuth client in the process, shared by all organizers.
// Calls are spaced evenly (no burst), so any one-second window holds at most `maxRps` starts;
// a small safety margin absorbs network jitter between our send time and GoTo's count.
// Spacing, not a token bucket: a bucket of maxRps would allow 2 × maxRps in some 1 s windows.

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

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
   */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.release());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async release(): Promise<void> {
    for (;;) {
      const wait = Math.max(this.lastRelease + this.intervalMs, this.heldUntil) - this.now();
      if (wait <= 0) break;
      await this.sleep(wait);
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
