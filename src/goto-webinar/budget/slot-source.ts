// Where a budget's slots come from: the in-process pacer (SQLite, one process) or the MySQL row
// shared by every instance on the database. Times are on the budget's clock (`now()`, ms).

export type SlotAnswer =
  /** Send at `at` (after `use(at, now)` says yes). */
  | { at: number }
  /** No slot for this priority now (higher demand elsewhere): ask again after `retryInMs`. */
  | { retryInMs: number };

export interface SlotSource {
  /** Spacing between two request starts of the whole client, ms. */
  readonly intervalMs: number;
  /** A slot for the waiters here: `priority` is the highest waiting, `wanted` how many wait. */
  take(priority: number, wanted: number): Promise<SlotAnswer>;
  /** The slot's time came (`now`): true = send now; false = dropped (late, or paused): take another. */
  use(at: number, now: number): boolean;
  /** Nobody on this client sends for `ms` (a 429 or Retry-After seen here). */
  pause(ms: number): Promise<void>;
  /** This instance's demand: the highest priority waiting or just served here; null when idle. */
  setDemand(priority: number | null): void;
  close(): Promise<void>;
}

/** Fraction of GOTO_MAX_RPS actually used: absorbs jitter between our send and GoTo's count. */
export const DEFAULT_RATE_SAFETY = 0.95;

/** The spacing that keeps any one-second window at or under maxRps starts (with the safety margin). */
export function slotIntervalMs(maxRps: number, safety = DEFAULT_RATE_SAFETY): number {
  return 1000 / Math.max(0.001, maxRps * safety);
}

export interface SlotRow {
  /** When the next free slot starts. */
  next: number;
  /** Nobody sends before this (shared 429 cool-down). */
  cooldownUntil: number;
}

/**
 * The slot arithmetic (the MySQL statement does the same on the row, on the database's clock):
 * `n` slots, `interval` apart, starting at the first free time that is neither past nor in a
 * cool-down. Evenly spaced, so any window of one second holds at most 1000 / interval starts.
 */
export function reserveSlots(
  row: SlotRow,
  now: number,
  n: number,
  interval: number,
): { start: number; row: SlotRow } {
  const start = Math.max(row.next, row.cooldownUntil, now);
  return { start, row: { ...row, next: start + n * interval } };
}
