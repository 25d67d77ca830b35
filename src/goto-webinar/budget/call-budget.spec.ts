import { SYNC_PRIORITY } from '../../sync/sync-job-types';
import { CallBudget } from './call-budget';
import { GotoCallContext, withGotoCallContext } from './goto-call-context';
import { MemorySlotSource } from './memory-slot-source';
import { SlotAnswer, SlotSource, slotIntervalMs } from './slot-source';

// A discrete-event fake clock: sleeps are timers; when everything else has settled (setImmediate),
// time jumps to the earliest timer. Any number of sleepers (budget and callers) share it.
function eventClock(start = 1_000_000) {
  let t = start;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (timers.length > 0) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift()!;
      t = Math.max(t, next.at);
      next.resolve();
    }
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: t + ms, resolve })),
    stop: () => {
      stopped = true;
    },
  };
}

const ctx = (priority: number, accountId: number, organizerId = accountId): GotoCallContext => ({
  priority,
  accountId,
  organizerId,
});
const { MAILING, PERIODIC, INITIAL } = SYNC_PRIORITY;

describe('CallBudget grants', () => {
  let clock: ReturnType<typeof eventClock>;
  let grants: Array<{ who: string; at: number }>;
  let budget: CallBudget;
  const names = new Map<string, string>();
  const label = (c: GotoCallContext) => names.get(JSON.stringify(c)) ?? '?';

  beforeEach(() => {
    clock = eventClock();
    grants = [];
    budget = new CallBudget(new MemorySlotSource(slotIntervalMs(10, 1), clock.now), {
      now: clock.now,
      sleep: clock.sleep,
      lingerMs: 200,
      onGrant: (c) => grants.push({ who: label(c), at: clock.now() }),
    });
  });
  afterEach(() => clock.stop());

  function named(name: string, c: GotoCallContext): GotoCallContext {
    names.set(JSON.stringify(c), name);
    return c;
  }

  it("another account's mailing call takes the next slot; its periodic calls take turns with the big sync", async () => {
    const big = named('A', ctx(PERIODIC, 1));
    const aCalls = Array.from({ length: 20 }, () => budget.acquire(undefined, big));
    await aCalls[0];
    const mailing = budget.acquire(undefined, named('B-mailing', ctx(MAILING, 2)));
    const periodic = [1, 2, 3].map(() =>
      budget.acquire(undefined, named('B-periodic', ctx(PERIODIC, 2))),
    );
    await Promise.all([...aCalls, mailing, ...periodic]);
    expect(grants.slice(0, 9).map((g) => g.who)).toEqual([
      'A',
      'B-mailing',
      'A',
      'B-periodic',
      'A',
      'B-periodic',
      'A',
      'B-periodic',
      'A',
    ]);
    // After the mailing call, lower priorities wait out its linger (its next page may follow).
    expect(grants[2].at - grants[1].at).toBeGreaterThanOrEqual(200);
    const gaps = grants.slice(1).map((g, i) => g.at - grants[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('two accounts with big syncs of the same priority alternate; organizers alternate within one', async () => {
    const a1 = named('A/o1', ctx(INITIAL, 1, 11));
    const a2 = named('A/o2', ctx(INITIAL, 1, 12));
    const b = named('B', ctx(INITIAL, 2, 21));
    const calls = [
      ...Array.from({ length: 4 }, () => budget.acquire(undefined, a1)),
      ...Array.from({ length: 2 }, () => budget.acquire(undefined, a2)),
      ...Array.from({ length: 3 }, () => budget.acquire(undefined, b)),
    ];
    await Promise.all(calls);
    expect(grants.map((g) => g.who)).toEqual([
      'A/o1',
      'B',
      'A/o2',
      'B',
      'A/o1',
      'B',
      'A/o2',
      'A/o1',
      'A/o1',
    ]);
  });

  it("a mailing's sequential calls keep every slot while periodic calls wait (the linger bridges the gaps)", async () => {
    const periodic = named('periodic', ctx(PERIODIC, 1));
    const waiting = Array.from({ length: 10 }, () => budget.acquire(undefined, periodic));
    await waiting[0];
    const mailing = named('mailing', ctx(MAILING, 2));
    // Page after page: each call is made 30 ms after the previous one was let through.
    for (let page = 0; page < 5; page++) {
      await budget.acquire(undefined, mailing);
      await clock.sleep(30);
    }
    await Promise.all(waiting);
    const order = grants.map((g) => g.who);
    expect(order.slice(0, 7)).toEqual([
      'periodic',
      'mailing',
      'mailing',
      'mailing',
      'mailing',
      'mailing',
      'periodic',
    ]);
    // The mailing pages went out one interval apart: the budget was not left idle between them.
    const mailingAt = grants.filter((g) => g.who === 'mailing').map((g) => g.at);
    expect(mailingAt[4] - mailingAt[0]).toBe(400);
  });

  it('takes the caller from the GoTo call context when none is given', async () => {
    const c = named('ctx-mailing', ctx(MAILING, 9, 99));
    await withGotoCallContext(c, () => budget.acquire());
    expect(grants.map((g) => g.who)).toEqual(['ctx-mailing']);
  });
});

describe('CallBudget with a shared source', () => {
  it('asks again when the source holds it back (higher demand elsewhere), then grants', async () => {
    const clock = eventClock();
    const answers: SlotAnswer[] = [{ retryInMs: 100 }, { retryInMs: 100 }];
    const demands: Array<number | null> = [];
    const source: SlotSource = {
      intervalMs: 100,
      take: async () => answers.shift() ?? { at: clock.now() },
      use: () => true,
      pause: async () => undefined,
      setDemand: (p) => demands.push(p),
      close: async () => undefined,
    };
    const budget = new CallBudget(source, { now: clock.now, sleep: clock.sleep });
    const t0 = clock.now();
    await budget.acquire(undefined, ctx(PERIODIC, 1));
    expect(clock.now() - t0).toBe(200);
    expect(demands).toContain(PERIODIC);
    clock.stop();
  });

  it('a failing source (database down) fails the waiting calls instead of hanging them', async () => {
    const source: SlotSource = {
      intervalMs: 100,
      take: () => Promise.reject(new Error('connection refused')),
      use: () => true,
      pause: async () => undefined,
      setDemand: () => undefined,
      close: async () => undefined,
    };
    const budget = new CallBudget(source);
    const calls = [budget.acquire(undefined, ctx(0, 1)), budget.acquire(undefined, ctx(0, 2))];
    for (const c of calls) await expect(c).rejects.toThrow('connection refused');
    expect(budget.waiting).toBe(0);
  });
});
