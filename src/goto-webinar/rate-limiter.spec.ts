import { RateLimiter, rateLimiterFor } from './rate-limiter';

function fakeTime() {
  let t = 1_000_000;
  const starts: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    starts,
    get t() {
      return t;
    },
  };
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j] < times[i] + windowMs; j++) n++;
    best = Math.max(best, n);
  }
  return best;
}

describe('RateLimiter', () => {
  it('spaces a burst so no one-second window exceeds maxRps', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, safety: 1, now: clock.now, sleep: clock.sleep });
    const waits = Array.from({ length: 35 }, () => limiter.reserve());
    const starts = waits.map((w) => clock.t + w);
    expect(maxInWindow(starts, 1000)).toBe(10);
    expect(waits[0]).toBe(0);
    expect(waits[34]).toBeCloseTo(3400, 5);
  });

  it('the safety margin keeps it under maxRps', () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, now: clock.now, sleep: clock.sleep });
    const starts = Array.from({ length: 50 }, () => clock.t + limiter.reserve());
    expect(maxInWindow(starts, 1000)).toBeLessThanOrEqual(10);
    expect(starts[1] - starts[0]).toBeGreaterThan(100);
  });

  it('does not delay a call after an idle period', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 5, safety: 1, now: clock.now, sleep: clock.sleep });
    await limiter.acquire();
    await clock.sleep(5000);
    expect(limiter.reserve()).toBe(0);
  });

  it('holdUntil pauses every caller (Retry-After)', () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ maxRps: 10, safety: 1, now: clock.now, sleep: clock.sleep });
    limiter.holdUntil(clock.t + 2000);
    expect(limiter.reserve()).toBe(2000);
    expect(limiter.reserve()).toBe(2100);
  });

  it('one limiter per OAuth client and API host in the process', () => {
    const a = rateLimiterFor('http://x', 'client-a', 10);
    expect(rateLimiterFor('http://x', 'client-a', 10)).toBe(a);
    expect(rateLimiterFor('http://x', 'client-b', 10)).not.toBe(a);
    expect(rateLimiterFor('http://x', 'client-a', 4).maxRps).toBe(4);
  });
});
