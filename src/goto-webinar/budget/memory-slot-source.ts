import { reserveSlots, SlotAnswer, SlotRow, SlotSource } from './slot-source';

/**
 * The in-process pacer (SQLite runs one process): one slot at a time, each at least one interval
 * after the previous caller actually went (not its planned slot), so a stalled event loop delays
 * calls but never lets them out in a burst. No round trips, so nothing is reserved ahead.
 */
export class MemorySlotSource implements SlotSource {
  private row: SlotRow = { next: -Infinity, cooldownUntil: -Infinity };

  constructor(
    public intervalMs: number,
    private readonly now: () => number,
  ) {}

  take(): Promise<SlotAnswer> {
    return Promise.resolve({ at: reserveSlots(this.row, this.now(), 0, this.intervalMs).start });
  }

  use(_at: number, now: number): boolean {
    if (now < this.row.next || now < this.row.cooldownUntil) return false;
    this.row = reserveSlots(this.row, now, 1, this.intervalMs).row;
    return true;
  }

  pause(ms: number): Promise<void> {
    this.holdUntil(this.now() + ms);
    return Promise.resolve();
  }

  holdUntil(untilMs: number): void {
    this.row = { ...this.row, cooldownUntil: Math.max(this.row.cooldownUntil, untilMs) };
  }

  setDemand(): void {
    // One process: the budget's own queue already orders every caller.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
