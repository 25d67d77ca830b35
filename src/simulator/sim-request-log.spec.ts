import { Counters, maxInAnyWindow } from './sim-faults';

describe('simulator request log', () => {
  it('keeps every request with its arrival time, route and answer, cleared with the counters', () => {
    const c = new Counters();
    c.record('GET /a', 200, 1_000.5);
    c.record('GET /b', 429, 999.25);
    expect(c.requests()).toEqual([
      { at: 999.25, endpoint: 'GET /b', status: '429' },
      { at: 1_000.5, endpoint: 'GET /a', status: '200' },
    ]);
    c.reset();
    expect(c.requests()).toEqual([]);
  });

  it('maxInAnyWindow finds the busiest sliding second (not calendar seconds)', () => {
    // 10 requests 100 ms apart, then one more 1 ms short of a second after the second one.
    const times = [...Array.from({ length: 10 }, (_, i) => i * 100), 1_099];
    expect(maxInAnyWindow(times, 1000)).toBe(10);
    expect(maxInAnyWindow([...times, 950], 1000)).toBe(11);
    expect(maxInAnyWindow([], 1000)).toBe(0);
    // Exactly one window apart: not in the same window.
    expect(maxInAnyWindow([0, 1000], 1000)).toBe(1);
  });
});
