// The in-process pacer: the call budget over a MemorySlotSource, for SQLite (one process) and the
// unit tests. Calls are spaced evenly (no burst), so any one-second window holds at most `maxRps`
// starts; a small safety margin absorbs network jitter between our send time and GoTo's count.
// Spacing, not a token bucket: a bucket of maxRps would allow 2 × maxRps in some 1 s windows.
import { CallBudget, CallBudgetOptions } from './budget/call-budget';
import { MemorySlotSource } from './budget/memory-slot-source';
import { DEFAULT_RATE_SAFETY, slotIntervalMs } from './budget/slot-source';

export { abortable, abortError, realSleep, sleepUnlessAborted } from './budget/sleep';
export type { Sleep } from './budget/sleep';

export interface RateLimiterOptions extends Omit<CallBudgetOptions, 'now'> {
  maxRps: number;
  /** Fraction of maxRps actually used (default 0.95). */
  safety?: number;
  now?: () => number;
}

export class RateLimiter extends CallBudget {
  private limiterOptions: RateLimiterOptions;
  private readonly pacer: MemorySlotSource;

  constructor(options: RateLimiterOptions) {
    const now = options.now ?? Date.now;
    const pacer = new MemorySlotSource(
      slotIntervalMs(options.maxRps, options.safety ?? DEFAULT_RATE_SAFETY),
      now,
    );
    super(pacer, { ...options, now });
    this.limiterOptions = options;
    this.pacer = pacer;
  }

  get maxRps(): number {
    return this.limiterOptions.maxRps;
  }

  setMaxRps(maxRps: number): void {
    this.limiterOptions = { ...this.limiterOptions, maxRps };
    this.pacer.intervalMs = slotIntervalMs(
      maxRps,
      this.limiterOptions.safety ?? DEFAULT_RATE_SAFETY,
    );
  }

  /** GoTo said "not before" (Retry-After): nobody on this client sends before `untilMs`. */
  holdUntil(untilMs: number): void {
    this.pacer.holdUntil(untilMs);
  }
}

const limiters = new Map<string, RateLimiter>();

/** The process-wide pacer of one GoTo OAuth client (keyed by API host + client id). */
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
