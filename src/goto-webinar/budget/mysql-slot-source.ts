import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DbClockOffset } from './db-clock-offset';
import { SlotAnswer, SlotSource } from './slot-source';

export interface MysqlSlotSourceOptions {
  apiUrl: string;
  clientId: string;
  intervalMs: number;
  now?: () => number;
  /** How far ahead one round trip reserves slots (default 250 ms: 2 slots at 10 rps). */
  reserveAheadMs?: number;
  /** A slot whose time passed longer ago than this is dropped, not used (default 15 ms). */
  lateToleranceMs?: number;
  /** How often a caller that higher demand elsewhere holds back asks again (default 100 ms). */
  retryMs?: number;
  /** How long a published demand counts (default 1000 ms; refreshed while it lasts). */
  demandTtlMs?: number;
  /**
   * How often the database's clock is read to convert slot times to ours (default 5 s; the
   * shortest round trip of the last minute is used: see DbClockOffset).
   */
  clockSampleMs?: number;
  /**
   * Demand at or below this priority is not published (default 0, periodic): nobody waits below
   * it, so there is nothing to hold back, and the busiest case (periodic work) costs no writes.
   */
  demandFloor?: number;
}

// The database's clock in microseconds since the epoch, in UTC whatever the session's time zone (a
// local zone would repeat an hour each autumn). UTC_TIMESTAMP(6) is fixed for the whole statement,
// so every use in one statement reads the same instant.
const DB_NOW_US = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

// One round trip reserves n slots: the start is the first free time that is neither past nor in
// the cool-down (on the database's clock), and the row moves n intervals on. LAST_INSERT_ID(expr)
// hands the start back in the OK packet (insertId), in microseconds on the database's clock; each
// instance converts it with its estimate of that clock (DbClockOffset). No row changes
// (affectedRows 0) when another instance publishes demand of a higher priority than ours.
const RESERVE_SQL = `UPDATE goto_call_budget
  SET next_slot_us = LAST_INSERT_ID(GREATEST(next_slot_us, cooldown_until_us, ${DB_NOW_US})) + ?
  WHERE client_key = ?
    AND ? >= COALESCE((SELECT MAX(d.priority) FROM goto_call_demand d
      WHERE d.client_key = ? AND d.instance_id <> ? AND d.expires_at_us > ${DB_NOW_US}), ?)`;
const ENSURE_ROW_SQL =
  'INSERT IGNORE INTO goto_call_budget (client_key, next_slot_us, cooldown_until_us) VALUES (?, 0, 0)';
const PAUSE_SQL = `UPDATE goto_call_budget SET cooldown_until_us = GREATEST(cooldown_until_us, ${DB_NOW_US} + ?)
  WHERE client_key = ?`;
const DEMAND_SQL = `INSERT INTO goto_call_demand (client_key, instance_id, priority, expires_at_us)
  VALUES (?, ?, ?, ${DB_NOW_US} + ?)
  ON DUPLICATE KEY UPDATE priority = VALUES(priority), expires_at_us = VALUES(expires_at_us)`;
const DB_NOW_SQL = `SELECT ${DB_NOW_US} AS now_us`;
const NO_DEMAND = -2147483648;

/** Round trips and slots of one source, for the benchmark's "round trips per call". */
export interface SlotSourceStats {
  roundTrips: number;
  reservations: number;
  denied: number;
  slotsReserved: number;
  slotsUsed: number;
  slotsDropped: number;
  demandWrites: number;
  clockSamples: number;
}

/**
 * The shared budget of one GoTo client on MySQL/MariaDB: a row per client (keyed by a hash of API
 * URL + client id) holding the next free slot and the cool-down, from which each instance reserves
 * up to ~250 ms of slots per round trip, and a row per instance publishing the highest priority
 * waiting there (short TTL), which holds lower priorities on other instances back.
 */
export class MysqlSlotSource implements SlotSource {
  readonly intervalMs: number;
  readonly clientKey: string;
  readonly instanceId = randomUUID();
  readonly stats: SlotSourceStats = {
    roundTrips: 0,
    reservations: 0,
    denied: 0,
    slotsReserved: 0,
    slotsUsed: 0,
    slotsDropped: 0,
    demandWrites: 0,
    clockSamples: 0,
  };
  private readonly now: () => number;
  private readonly o: Required<Omit<MysqlSlotSourceOptions, 'now' | 'apiUrl' | 'clientId'>>;
  private readonly dbClock: DbClockOffset;
  /** Reserved slots not yet used, on our clock, ascending. */
  private slots: number[] = [];
  private localHoldUntil = -Infinity;
  private ensured?: Promise<void>;
  private demand: { wanted: number | null; written: number | null | undefined; at: number } = {
    wanted: null,
    written: null,
    at: -Infinity,
  };
  private demandWrite?: Promise<void>;
  private closed = false;

  constructor(
    private readonly ds: DataSource,
    options: MysqlSlotSourceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs;
    this.clientKey = createHash('sha256')
      .update(`${options.apiUrl}|${options.clientId}`)
      .digest('hex');
    this.o = {
      intervalMs: options.intervalMs,
      reserveAheadMs: options.reserveAheadMs ?? 250,
      lateToleranceMs: options.lateToleranceMs ?? 15,
      retryMs: options.retryMs ?? 100,
      demandTtlMs: options.demandTtlMs ?? 1000,
      clockSampleMs: options.clockSampleMs ?? 5_000,
      demandFloor: options.demandFloor ?? 0,
    };
    this.dbClock = new DbClockOffset({
      windowMs: 60_000,
      resampleMs: this.o.clockSampleMs,
      initialSamples: 3,
    });
  }

  async take(priority: number, wanted: number): Promise<SlotAnswer> {
    const now = this.now();
    // Slots too late to use without bunching with the next instance's are dropped.
    while (this.slots.length > 0 && this.slots[0] < now - this.o.lateToleranceMs) {
      this.slots.shift();
      this.stats.slotsDropped += 1;
    }
    if (this.slots.length > 0) return { at: this.slots[0] };
    await (this.ensured ??= this.query(ENSURE_ROW_SQL, [this.clientKey]).then(() => undefined));
    while (this.dbClock.due(this.now())) await this.sampleDbClock();
    const n = Math.max(1, Math.min(wanted, Math.floor(this.o.reserveAheadMs / this.intervalMs)));
    const nUs = Math.round(n * this.intervalMs * 1000);
    const res = (await this.query(RESERVE_SQL, [
      nUs,
      this.clientKey,
      priority,
      this.clientKey,
      this.instanceId,
      NO_DEMAND,
    ])) as { affectedRows?: number; insertId?: number };
    if (!res.affectedRows) {
      this.stats.denied += 1;
      return { retryInMs: this.o.retryMs };
    }
    // A slow reply only makes the first slots late (take and use drop those), never misplaced.
    const first = Number(res.insertId ?? 0) / 1000 - this.dbClock.offsetMs!;
    this.stats.reservations += 1;
    this.stats.slotsReserved += n;
    this.slots = Array.from({ length: n }, (_, i) => first + i * this.intervalMs);
    return { at: this.slots[0] };
  }

  use(at: number, now: number): boolean {
    if (this.slots[0] === at) this.slots.shift();
    if (now < this.localHoldUntil || now - at > this.o.lateToleranceMs) {
      this.stats.slotsDropped += 1;
      return false;
    }
    this.stats.slotsUsed += 1;
    return true;
  }

  async pause(ms: number): Promise<void> {
    this.localHoldUntil = Math.max(this.localHoldUntil, this.now() + ms);
    this.slots = [];
    await this.query(PAUSE_SQL, [Math.round(ms * 1000), this.clientKey]);
  }

  setDemand(demand: number | null): void {
    const priority = demand === null || demand <= this.o.demandFloor ? null : demand;
    this.demand.wanted = priority;
    const stale = this.now() - this.demand.at > this.o.demandTtlMs / 2;
    if (priority === this.demand.written && (priority === null || !stale)) return;
    if (!this.demandWrite) this.demandWrite = this.flushDemand();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.demandWrite;
    await this.query('DELETE FROM goto_call_demand WHERE client_key = ? AND instance_id = ?', [
      this.clientKey,
      this.instanceId,
    ]).catch(() => undefined);
  }

  /** Writes the latest wanted demand (coalesced: one write in flight at a time). */
  private async flushDemand(): Promise<void> {
    try {
      for (;;) {
        const p = this.demand.wanted;
        const at = this.now();
        await this.query(DEMAND_SQL, [
          this.clientKey,
          this.instanceId,
          p ?? NO_DEMAND,
          p === null ? 0 : this.o.demandTtlMs * 1000,
        ]);
        this.stats.demandWrites += 1;
        this.demand.written = p;
        this.demand.at = at;
        if (this.closed || p === this.demand.wanted) break;
      }
    } catch {
      // Best effort: a lost write only lets another instance's lower priority in sooner.
      this.demand.written = undefined;
    } finally {
      this.demandWrite = undefined;
    }
  }

  private async sampleDbClock(): Promise<void> {
    const sentAt = this.now();
    const [row] = (await this.query(DB_NOW_SQL, [])) as Array<{ now_us: number | string }>;
    this.dbClock.add({ sentAt, repliedAt: this.now(), dbNowMs: Number(row.now_us) / 1000 });
    this.stats.clockSamples += 1;
  }

  private async query(sql: string, params: unknown[]): Promise<unknown> {
    this.stats.roundTrips += 1;
    return this.ds.query(sql, params);
  }
}
