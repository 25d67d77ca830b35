import { DbClockOffset } from './db-clock-offset';

const filter = () => new DbClockOffset({ windowMs: 60_000, resampleMs: 5_000, initialSamples: 3 });

describe('DbClockOffset', () => {
  it('takes the midpoint of the round trip', () => {
    const f = filter();
    expect(f.offsetMs).toBeNull();
    // Sent at 1000, replied at 1010; the database said 6005: it is 5000 ms ahead of us.
    f.add({ sentAt: 1000, repliedAt: 1010, dbNowMs: 6005 });
    expect(f.offsetMs).toBe(5000);
    expect(f.errorMs).toBe(5);
  });

  it('keeps the sample with the shortest round trip, not the latest', () => {
    const f = filter();
    f.add({ sentAt: 1000, repliedAt: 1002, dbNowMs: 6001 }); // rtt 2: offset 5000
    f.add({ sentAt: 2000, repliedAt: 2080, dbNowMs: 7070 }); // rtt 80, answer late in the trip
    expect(f.offsetMs).toBe(5000);
    expect(f.errorMs).toBe(1);
    f.add({ sentAt: 3000, repliedAt: 3001, dbNowMs: 8000.5 }); // rtt 1: better
    expect(f.offsetMs).toBe(5000);
    expect(f.errorMs).toBe(0.5);
  });

  it('replaces a best sample older than the window (the clocks may have been stepped)', () => {
    const f = filter();
    f.add({ sentAt: 1000, repliedAt: 1001, dbNowMs: 6000.5 });
    f.add({ sentAt: 70_000, repliedAt: 70_020, dbNowMs: 75_110 }); // 69 s later, clock moved 100 ms
    expect(f.offsetMs).toBe(5100);
  });

  it('is due for the first samples back to back, then every resampleMs', () => {
    const f = filter();
    for (let i = 0; i < 3; i++) {
      expect(f.due(1000)).toBe(true);
      f.add({ sentAt: 1000, repliedAt: 1001, dbNowMs: 6000 });
    }
    expect(f.due(1001)).toBe(false);
    expect(f.due(6000)).toBe(false);
    expect(f.due(6001)).toBe(true);
  });
});
