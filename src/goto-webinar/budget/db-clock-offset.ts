/** One reading of the database's clock: when we asked, when the answer came, what it said (ms). */
export interface DbClockSample {
  sentAt: number;
  repliedAt: number;
  dbNowMs: number;
}

/**
 * The database's clock minus ours, in ms, as NTP's clock filter estimates it: each sample's
 * database time fell somewhere between our send and the reply, so its midpoint is off by at most
 * half that round trip; of the samples of the last `windowMs`, the one with the shortest round
 * trip is kept. Slot times converted with it are then off by a millisecond or two on a LAN, not by
 * half of whatever round trip the reservation itself took (tens of ms on a busy event loop), and
 * every instance's slots stay apart by nearly the full interval.
 */
export class DbClockOffset {
  private best: { offsetMs: number; rttMs: number; at: number } | null = null;
  private samples = 0;
  private lastSampleAt = -Infinity;

  constructor(
    private readonly o: {
      /** A best sample older than this is replaced by the next one, whatever its round trip. */
      windowMs: number;
      /** How often a new sample is taken once the first few are in. */
      resampleMs: number;
      /** Samples taken back to back at the start. */
      initialSamples: number;
    },
  ) {}

  /** The estimate, or null before the first sample. */
  get offsetMs(): number | null {
    return this.best?.offsetMs ?? null;
  }

  /** Half the round trip of the sample in use: the estimate's worst error. */
  get errorMs(): number | null {
    return this.best === null ? null : this.best.rttMs / 2;
  }

  due(now: number): boolean {
    return this.samples < this.o.initialSamples || now - this.lastSampleAt >= this.o.resampleMs;
  }

  add(s: DbClockSample): void {
    const rttMs = Math.max(0, s.repliedAt - s.sentAt);
    const offsetMs = s.dbNowMs - (s.sentAt + rttMs / 2);
    this.samples += 1;
    this.lastSampleAt = s.repliedAt;
    const b = this.best;
    if (b === null || rttMs <= b.rttMs || s.repliedAt - b.at > this.o.windowMs)
      this.best = { offsetMs, rttMs, at: s.repliedAt };
  }
}
