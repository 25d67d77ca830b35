import { RateLimiter, rateLimiterFor } from './rate-limiter';

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
