// Pacing of calls to GoTo: one limiter per OAuth client in the process, shared by all organizers.
// Calls are spaced evenly (no burst), so any one-second window holds at most `maxRps` starts;
// a small safety margin absorbs network jitter between our send time and GoTo's count.

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
  private nextSlot = 0;
  private heldUntil = 0;
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

  /** The wait (ms) the caller must sleep before its call; reserves the slot. */
  reserve(): number {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot, this.heldUntil);
    this.nextSlot = slot + this.intervalMs;
    return slot - now;
  }

  /** Resolves when the caller may send one request (each retry calls this again). */
  async acquire(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.sleep(wait);
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
