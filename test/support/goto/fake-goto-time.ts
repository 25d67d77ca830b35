import { RateLimiter } from '../../../src/goto-webinar/rate-limiter';

/**
 * A controllable clock for the GoTo client's waits, without wall time: `sleep(ms)` records the wait
 * that was asked for (retry backoff, Retry-After), `pass(ms)` does not (the pacer's turns); both move
 * the clock by `ms` and resolve in a later macrotask, like a timer.
 */
export class FakeGotoTime {
  /** Every wait asked for through `sleep`, in order (ms). */
  readonly sleeps: number[] = [];

  constructor(public ms = Date.parse('2026-11-29T12:00:00Z')) {}

  readonly now = (): number => this.ms;

  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return this.pass(ms);
  };

  readonly pass = (ms: number): Promise<void> =>
    new Promise<void>((resolve) =>
      setImmediate(() => {
        this.ms += Math.max(0, ms);
        resolve();
      }),
    );

  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * A stand-in for GotoCallBudgetService (`overrideProvider(GotoCallBudgetService).useValue(…)`): the
 * in-process pacer on `time` instead of the process-wide one on the wall clock, so a Retry-After
 * hold or the spacing of a burst is waited on the fake clock. `grants` receives the clock's time of
 * every slot handed out.
 */
export function fakeCallBudget(
  maxRps: number,
  time: FakeGotoTime,
  grants: number[] = [],
): { budget: RateLimiter } {
  const budget = new RateLimiter({
    maxRps,
    now: time.now,
    sleep: time.pass,
    onGrant: () => grants.push(time.now()),
  });
  return { budget };
}
