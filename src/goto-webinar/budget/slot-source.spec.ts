import { reserveSlots, slotIntervalMs } from './slot-source';

describe('slot arithmetic (GCRA-like spacing, fake clock)', () => {
  const iv = slotIntervalMs(10, 1); // 100 ms

  it('spaces slots one interval apart from the first free time', () => {
    let row = { next: 0, cooldownUntil: 0 };
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = reserveSlots(row, 1_000, 2, iv);
      starts.push(r.start);
      row = r.row;
    }
    // Three reservations of two slots made at the same instant: 1000, 1200, 1400 (+100 each).
    expect(starts).toEqual([1_000, 1_200, 1_400]);
    expect(row.next).toBe(1_600);
  });

  it('does not bank unused time: after an idle period the next slot is now', () => {
    const r = reserveSlots({ next: 1_100, cooldownUntil: 0 }, 50_000, 1, iv);
    expect(r.start).toBe(50_000);
    expect(r.row.next).toBe(50_100);
  });

  it('a cool-down (429) pushes every reservation past it', () => {
    const r = reserveSlots({ next: 1_100, cooldownUntil: 3_000 }, 1_000, 1, iv);
    expect(r.start).toBe(3_000);
  });

  it('the safety margin widens the interval: 10 rps at 0.95 is one start per 105.3 ms', () => {
    expect(slotIntervalMs(10)).toBeCloseTo(105.263, 3);
    // Ten evenly spaced starts then span 947 ms: the 11th falls outside any one-second window.
    expect(10 * slotIntervalMs(10)).toBeGreaterThan(1000);
  });
});
