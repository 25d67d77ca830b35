import { RateLimiter, rateLimiterFor, realSleep, sleepUnlessAborted } from './rate-limiter';

// A fake clock whose sleep advances time in a later macrotask, like a real timer.
function fakeTime(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          t += ms;
          resolve();
        }),
      ),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    best = Math.max(best, sorted.filter((x) => x >= sorted[i] && x < sorted[i] + windowMs).length);
  }
  return best;
}

async function burst(limiter: RateLimiter, clock: ReturnType<typeof fakeTime>, n: number) {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      await limiter.acquire();
      starts.push(clock.now());
    }),
  );
  return starts;
}

describe('RateLimiter', () => {
  it('spaces a burst so no one-second window exceeds maxRps', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, safety: 1, ...clock });
    const starts = await burst(limiter, clock, 35);
    expect(maxInWindow(starts, 1000)).toBe(10);
    expect(starts[0]).toBe(1_000_000);
    expect(starts[34] - starts[0]).toBeCloseTo(3400, 5);
  });

  it('the safety margin keeps it under maxRps', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, ...clock });
    const starts = await burst(limiter, clock, 50);
    expect(maxInWindow(starts, 1000)).toBeLessThanOrEqual(10);
    expect(starts[1] - starts[0]).toBeGreaterThan(100);
  });

  it('a stalled caller does not let the next ones out in a burst', async () => {
    const clock = fakeTime();
    // Every sleep overshoots by 80 ms (a busy event loop): gaps stay >= the interval.
    const limiter = new RateLimiter({
      maxRps: 10,
      safety: 1,
      now: clock.now,
      sleep: (ms) => clock.sleep(ms + 80),
    });
    const starts = await burst(limiter, clock, 20);
    const gaps = starts.slice(1).map((s, i) => s - starts[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('does not delay a call after an idle period', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 5, safety: 1, ...clock });
    await limiter.acquire();
    clock.advance(5000);
    const before = clock.now();
    await limiter.acquire();
    expect(clock.now()).toBe(before);
  });

  it('holdUntil pauses every caller (Retry-After)', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, safety: 1, ...clock });
    const t0 = clock.now();
    limiter.holdUntil(t0 + 2000);
    const starts = await burst(limiter, clock, 2);
    expect(starts).toEqual([t0 + 2000, t0 + 2100]);
  });

  it('one limiter per OAuth client and API host in the process', () => {
    const a = rateLimiterFor('http://x', 'client-a', 10);
    expect(rateLimiterFor('http://x', 'client-a', 10)).toBe(a);
    expect(rateLimiterFor('http://x', 'client-b', 10)).not.toBe(a);
    expect(rateLimiterFor('http://x', 'client-a', 4).maxRps).toBe(4);
  });
});

describe('RateLimiter abort', () => {
  // Time that never passes: a wait can only end through its abort, so "at once" needs no wall clock.
  const stalled = { now: () => 1_000_000, sleep: () => new Promise<void>(() => undefined) };
  /** The promise's outcome, or 'still waiting' after a few turns of the event loop. */
  const settledSoon = async <T>(p: Promise<T>): Promise<T | 'still waiting'> => {
    let turns = Promise.resolve();
    for (let i = 0; i < 5; i++) turns = turns.then(() => new Promise<void>((r) => setImmediate(r)));
    return Promise.race([p, turns.then(() => 'still waiting' as const)]);
  };

  it('an aborted acquire rejects at once during a long Retry-After hold', async () => {
    const limiter = new RateLimiter({ maxRps: 10, ...stalled });
    limiter.holdUntil(stalled.now() + 60_000);
    const c = new AbortController();
    const waiting = limiter.acquire(c.signal).catch((e: unknown) => e);
    expect(await settledSoon(waiting)).toBe('still waiting');
    c.abort();
    expect(((await settledSoon(waiting)) as Error).name).toBe('AbortError');
  });

  it('callers queued behind the hold reject at once too, with the signal’s reason', async () => {
    const limiter = new RateLimiter({ maxRps: 10, ...stalled });
    limiter.holdUntil(stalled.now() + 60_000);
    const c = new AbortController();
    const head = limiter.acquire(c.signal);
    const behind = [limiter.acquire(c.signal), limiter.acquire(c.signal)];
    const reason = new Error('lease lost');
    c.abort(reason);
    const results = await settledSoon(Promise.allSettled([head, ...behind]));
    expect(results).not.toBe('still waiting');
    expect(
      (results as PromiseSettledResult<void>[]).map((r) =>
        r.status === 'rejected' ? r.reason : r.status,
      ),
    ).toEqual([reason, reason, reason]);
  });

  it('an already aborted signal rejects without waiting or taking a slot', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 1, safety: 1, ...clock });
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
    const before = clock.now();
    await limiter.acquire();
    expect(clock.now()).toBe(before);
  });

  it('an aborted caller takes no slot: the next caller keeps its place', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 4, safety: 1, ...clock }); // one call every 250 ms
    await limiter.acquire();
    const first = clock.now();
    const c = new AbortController();
    const aborted = limiter.acquire(c.signal).catch((e: unknown) => e);
    const next = limiter.acquire().then(() => clock.now());
    c.abort();
    expect(((await aborted) as Error).name).toBe('AbortError');
    // Released one interval after the first call, not two: the aborted caller never passed.
    expect((await next) - first).toBe(250);
  });

  it('without an abort, a signal changes nothing', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, safety: 1, now: clock.now, sleep: clock.sleep });
    const c = new AbortController();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await limiter.acquire(c.signal);
        starts.push(clock.now());
      }),
    );
    expect(starts.map((s) => s - starts[0])).toEqual([0, 100, 200, 300, 400]);
  });

  it('sleepUnlessAborted rejects at once on abort, and sleeps normally otherwise', async () => {
    const c = new AbortController();
    const waiting = sleepUnlessAborted(realSleep, 60_000, c.signal).catch((e: unknown) => e);
    expect(await settledSoon(waiting)).toBe('still waiting');
    c.abort();
    expect(((await settledSoon(waiting)) as Error).name).toBe('AbortError');
    await expect(sleepUnlessAborted(realSleep, 5, new AbortController().signal)).resolves.toBe(
      undefined,
    );
  });
});
