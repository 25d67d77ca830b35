import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { floorToSecond } from '../database/datetime';
import { isLockConflict } from '../database/db-errors';
import { dbTime } from '../database/db-time';
import { MergedParticipant } from './merge-participants';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';
import { RegistrationStatus } from './webinar-participant.entity';

export interface ParticipantWriteStats {
  subscribersInserted: number;
  subscribersUpdated: number;
  participantsInserted: number;
  participantsUpdated: number;
  participantsCancelled: number;
  /** Every row inserted or updated; 0 when nothing changed in GoTo. */
  rowsWritten: number;
}

/** A stored participant as compared with what GoTo says now. */
export interface StoredParticipant {
  id: number;
  subscriberId: number;
  email: string;
  registrantKey: string | null;
  statusId: number;
  registrationStatus: RegistrationStatus;
  registeredAt: number | null;
  attendanceSeconds: number;
  sessionsAttended: number;
  firstJoinedAt: number | null;
  lastLeftAt: number | null;
}

interface SubscriberRow {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

const SUBSCRIBER_INSERT_COLUMNS = ['account_id', 'email', 'first_name', 'last_name', 'created_at'];
const PARTICIPANT_INSERT_COLUMNS = [
  'webinar_id',
  'subscriber_id',
  'registrant_key',
  'webinar_participant_status_id',
  'registration_status',
  'registered_at',
  'attendance_seconds',
  'sessions_attended',
  'first_joined_at',
  'last_left_at',
  'created_at',
  'updated_at',
];
const PARTICIPANT_UPDATE_COLUMNS = [
  'registrant_key',
  'webinar_participant_status_id',
  'registration_status',
  'registered_at',
  'attendance_seconds',
  'sessions_attended',
  'first_joined_at',
  'last_left_at',
  'updated_at',
];

// SQLite: one query runner for the whole process, so two transactions of concurrent jobs would
// interleave as savepoints of one another. Ours take turns (MySQL uses a pool: no need).
const sqliteTurns = new WeakMap<DataSource, Promise<unknown>>();

/**
 * All SQL of participants (and their subscribers), the one place with dialect differences.
 * Writes are set-based (one INSERT … ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE per chunk),
 * each chunk in its own short transaction, and only rows whose values differ are written.
 */
@Injectable()
export class ParticipantsRepository {
  readonly chunkSize: number;
  private readonly sqlite: boolean;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.sqlite = ds.options.type === 'better-sqlite3';
    // SQLite: ≤ 500 rows per statement (expression depth); MariaDB takes a whole webinar at once.
    this.chunkSize = this.sqlite ? 500 : 1000;
  }

  /**
   * Makes the webinar's participants equal to `merged`: subscribers found or created by
   * (account, email), participants inserted/updated where they differ, and stored participants
   * GoTo no longer lists marked `cancelled` (never deleted).
   */
  async syncWebinarParticipants(
    accountId: number,
    webinarId: number,
    merged: MergedParticipant[],
    now: Date,
    /** `storedParticipants(webinarId)` started earlier (e.g. while GoTo was being read). */
    preloaded?: Promise<StoredParticipant[]>,
  ): Promise<ParticipantWriteStats> {
    const stats: ParticipantWriteStats = {
      subscribersInserted: 0,
      subscribersUpdated: 0,
      participantsInserted: 0,
      participantsUpdated: 0,
      participantsCancelled: 0,
      rowsWritten: 0,
    };
    const stored = await (preloaded ?? this.storedParticipants(webinarId));
    const storedByEmail = new Map(stored.map((s) => [s.email, s]));
    const seenSubscribers = new Set<number>();

    for (let i = 0; i < merged.length; i += this.chunkSize) {
      const chunk = merged.slice(i, i + this.chunkSize);
      // Counts and seen subscribers of the attempt that commits: a deadlocked attempt is rolled
      // back and runs again from scratch.
      const done = await this.inTransaction(async (m) => {
        const counts = { subscribersInserted: 0, subscribersUpdated: 0, inserted: 0, updated: 0 };
        const seen = new Set<number>();
        // Subscribers are needed only for people not yet participants of this webinar.
        const unknown = chunk.filter((p) => !storedByEmail.has(p.email));
        const subscriberIds = await this.resolveSubscribers(m, accountId, unknown, counts, now);
        const rows: unknown[][] = [];
        for (const p of chunk) {
          const existing = storedByEmail.get(p.email);
          const subscriberId = existing?.subscriberId ?? subscriberIds.get(p.email);
          if (subscriberId === undefined || seenSubscribers.has(subscriberId)) continue;
          if (seen.has(subscriberId)) continue;
          seen.add(subscriberId);
          if (existing && sameParticipant(existing, p)) continue;
          if (existing) counts.updated++;
          else counts.inserted++;
          rows.push(this.participantRow(webinarId, subscriberId, p, now));
        }
        if (rows.length > 0) await this.upsertParticipants(m, rows);
        return { counts, seen };
      });
      for (const id of done.seen) seenSubscribers.add(id);
      stats.subscribersInserted += done.counts.subscribersInserted;
      stats.subscribersUpdated += done.counts.subscribersUpdated;
      stats.participantsInserted += done.counts.inserted;
      stats.participantsUpdated += done.counts.updated;
    }

    // Registrants GoTo no longer lists: kept, registration cancelled, attendance untouched.
    const gone = stored.filter(
      (s) => !seenSubscribers.has(s.subscriberId) && s.registrationStatus !== 'cancelled',
    );
    for (const ids of this.statementParts(gone.map((s) => s.id))) {
      await this.ds.query(
        `UPDATE webinar_participant SET registration_status = 'cancelled', updated_at = ? WHERE id IN (${ids.map(() => '?').join(',')})`,
        [this.dt(now), ...ids],
      );
      stats.participantsCancelled += ids.length;
    }
    stats.rowsWritten =
      stats.subscribersInserted +
      stats.subscribersUpdated +
      stats.participantsInserted +
      stats.participantsUpdated +
      stats.participantsCancelled;
    return stats;
  }

  /** One page of a webinar's participants with their subscriber, ordered by email. */
  async page(
    webinarId: number,
    statusId: number | undefined,
    page: number,
    pageSize: number,
  ): Promise<{ rows: Array<Record<string, unknown>>; total: number }> {
    const where = `p.webinar_id = ?${statusId === undefined ? '' : ' AND p.webinar_participant_status_id = ?'}`;
    const params: unknown[] = statusId === undefined ? [webinarId] : [webinarId, statusId];
    const [{ n }] = await this.ds.query(
      `SELECT COUNT(*) AS n FROM webinar_participant p WHERE ${where}`,
      params,
    );
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT p.id, p.subscriber_id, s.email, s.first_name, s.last_name, p.webinar_participant_status_id,
              p.registration_status, p.registrant_key, p.registered_at, p.attendance_seconds, p.sessions_attended,
              p.first_joined_at, p.last_left_at
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
        WHERE ${where}
        ORDER BY s.email, p.id
        LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { rows, total: Number(n) };
  }

  /** The webinar's stored participants with their subscriber's email, as the sync compares them. */
  async storedParticipants(webinarId: number): Promise<StoredParticipant[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT p.id, p.subscriber_id, s.email, p.registrant_key, p.webinar_participant_status_id,
              p.registration_status, p.registered_at, p.attendance_seconds, p.sessions_attended,
              p.first_joined_at, p.last_left_at
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
        WHERE p.webinar_id = ?`,
      [webinarId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      subscriberId: Number(r.subscriber_id),
      email: String(r.email),
      registrantKey: r.registrant_key === null ? null : String(r.registrant_key),
      statusId: Number(r.webinar_participant_status_id),
      registrationStatus: r.registration_status as RegistrationStatus,
      registeredAt: dbTime(r.registered_at),
      attendanceSeconds: Number(r.attendance_seconds),
      sessionsAttended: Number(r.sessions_attended),
      firstJoinedAt: dbTime(r.first_joined_at),
      lastLeftAt: dbTime(r.last_left_at),
    }));
  }

  /**
   * Subscriber id per email for these participants: found by (account, email), created when
   * missing. Names: the first sync that sees a person sets them; later syncs only fill in a name
   * that is still empty, never overwrite one (no flapping between webinars with other spellings).
   */
  private async resolveSubscribers(
    m: EntityManager,
    accountId: number,
    people: MergedParticipant[],
    stats: { subscribersInserted: number; subscribersUpdated: number },
    now: Date,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (people.length === 0) return ids;
    const byEmail = new Map(people.map((p) => [p.email, p]));
    // Sorted: concurrent inserts then take the unique-key locks in the same order.
    const emails = [...byEmail.keys()].sort();
    const found = await this.findSubscribers(m, accountId, emails);
    const missing = emails.filter((e) => !found.has(e));
    if (missing.length > 0) {
      const rows = missing.map((email) => [
        accountId,
        email,
        byEmail.get(email)!.firstName,
        byEmail.get(email)!.lastName,
        this.dt(now),
      ]);
      // Insert-or-nothing: a concurrent job of the same account may have created the address meanwhile
      // (it then waits for that job's commit; READ COMMITTED lets the re-select below see the row).
      // Structured result: rows really inserted (mysql2 affectedRows, better-sqlite3 changes).
      for (const part of this.statementParts(rows)) {
        const res = await m.queryRunner!.query(
          this.upsertSql(
            'subscriber',
            SUBSCRIBER_INSERT_COLUMNS,
            part.length,
            ['account_id', 'email'],
            [],
          ),
          part.flat(),
          true,
        );
        stats.subscribersInserted += res.affected ?? part.length;
      }
      for (const [email, row] of await this.findSubscribers(m, accountId, missing))
        found.set(email, row);
      const unresolved = missing.filter((e) => !found.has(e));
      if (unresolved.length > 0)
        throw new Error(
          `Could not resolve ${unresolved.length} subscriber(s), e.g. ${unresolved[0]}`,
        );
    }
    const fill: SubscriberRow[] = [];
    for (const [email, row] of found) {
      ids.set(email, row.id);
      const p = byEmail.get(email);
      if (!p) continue;
      const firstName = row.firstName ?? p.firstName;
      const lastName = row.lastName ?? p.lastName;
      if (firstName !== row.firstName || lastName !== row.lastName)
        fill.push({ ...row, firstName, lastName });
    }
    if (fill.length > 0) {
      const rows = fill.map((f) => [
        f.id,
        accountId,
        f.email,
        f.firstName,
        f.lastName,
        this.dt(now),
      ]);
      for (const part of this.statementParts(rows)) {
        await m.query(
          this.upsertSql(
            'subscriber',
            ['id', ...SUBSCRIBER_INSERT_COLUMNS],
            part.length,
            ['id'],
            ['first_name', 'last_name'],
          ),
          part.flat(),
        );
      }
      stats.subscribersUpdated += fill.length;
    }
    return ids;
  }

  /** Keyed by the email we asked for (MySQL's collation may return an accent-folded match). */
  private async findSubscribers(
    m: EntityManager,
    accountId: number,
    emails: string[],
  ): Promise<Map<string, SubscriberRow>> {
    const out = new Map<string, SubscriberRow>();
    if (emails.length === 0) return out;
    const rows: Array<Record<string, unknown>> = [];
    for (const part of this.statementParts(emails)) {
      rows.push(
        ...(await m.query(
          `SELECT id, email, first_name, last_name FROM subscriber WHERE account_id = ? AND email IN (${part.map(() => '?').join(',')})`,
          [accountId, ...part],
        )),
      );
    }
    const wanted = new Set(emails);
    const folded = new Map<string, SubscriberRow>();
    for (const r of rows) {
      const row: SubscriberRow = {
        id: Number(r.id),
        email: String(r.email),
        firstName: (r.first_name as string | null) ?? null,
        lastName: (r.last_name as string | null) ?? null,
      };
      if (wanted.has(row.email)) out.set(row.email, row);
      folded.set(fold(row.email), row);
    }
    for (const e of emails) {
      if (!out.has(e) && folded.has(fold(e))) out.set(e, folded.get(fold(e))!);
    }
    return out;
  }

  // ---- dialect-specific SQL (hand-built: TypeORM's query builder costs more CPU than the database
  // for 1000-row statements) ----

  /**
   * Multi-row insert; on a conflict of `keys`, `update` takes the new values (none: keep the row).
   * MariaDB keep-the-row is INSERT IGNORE, not `ON DUPLICATE KEY UPDATE id = id`: assigning the
   * AUTO_INCREMENT column in the update moves the statement's next id past the conflicting row, so
   * when that row was a concurrent job's (ids above ours) the next row took the id of that job's
   * next row, hit the PRIMARY KEY and was "updated" into it — silently not inserted (the
   * 20-round concurrency test of participants-repository.int-spec). No update clause may assign
   * `id`. The values are validated and clipped before they get here, so IGNORE has no bad data to
   * turn into warnings.
   */
  private upsertSql(
    table: string,
    columns: string[],
    rows: number,
    keys: string[],
    update: string[],
  ): string {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(',')}`;
    if (this.sqlite) {
      const set = update.map((c) => `${c} = excluded.${c}`).join(', ');
      return `${head} ON CONFLICT (${keys.join(', ')}) DO ${update.length ? `UPDATE SET ${set}` : 'NOTHING'}`;
    }
    if (!update.length) return head.replace('INSERT INTO', 'INSERT IGNORE INTO');
    return `${head} ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`;
  }

  /** A DATETIME parameter: a Date for mysql2 (connection timezone Z), TypeORM's UTC text for SQLite. */
  private dt(d: Date | null): Date | string | null {
    if (d === null) return null;
    return this.sqlite ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
  }

  private participantRow(
    webinarId: number,
    subscriberId: number,
    p: MergedParticipant,
    now: Date,
  ): unknown[] {
    return [
      webinarId,
      subscriberId,
      p.registrantKey,
      p.attended ? PARTICIPANT_STATUS.ATTENDED : PARTICIPANT_STATUS.NOT_ATTENDED,
      p.registrationStatus,
      this.dt(p.registeredAt),
      p.attendanceSeconds,
      p.sessionsAttended,
      this.dt(p.firstJoinedAt),
      this.dt(p.lastLeftAt),
      this.dt(now),
      this.dt(now),
    ];
  }

  private async upsertParticipants(m: EntityManager, rows: unknown[][]): Promise<void> {
    for (const part of this.statementParts(rows)) {
      await m.query(
        this.upsertSql(
          'webinar_participant',
          PARTICIPANT_INSERT_COLUMNS,
          part.length,
          ['webinar_id', 'subscriber_id'],
          PARTICIPANT_UPDATE_COLUMNS,
        ),
        part.flat(),
      );
    }
  }

  /**
   * The statements for `items`: chunks of `chunkSize` on MariaDB. better-sqlite3 prepares (and TypeORM
   * caches, up to 100) a statement per distinct SQL text, each holding native memory outside V8's
   * heap; splitting into a full chunk plus power-of-two tails keeps that to a dozen shapes per
   * query instead of one per row count (measured: 317 MB peak RSS at 1M participants before).
   */
  private statementParts<T>(items: T[]): T[][] {
    const parts: T[][] = [];
    let i = 0;
    while (i < items.length) {
      const left = items.length - i;
      const size =
        left >= this.chunkSize || !this.sqlite
          ? Math.min(left, this.chunkSize)
          : 2 ** Math.floor(Math.log2(left));
      parts.push(items.slice(i, i + size));
      i += size;
    }
    return parts;
  }

  private async inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    // READ COMMITTED: after INSERT IGNORE waited for a concurrent job's subscribers, the re-select
    // must see them (REPEATABLE READ would keep the snapshot of the first SELECT). Every attempt
    // starts from scratch (`work` keeps its state in its own scope).
    if (!this.sqlite) {
      // Two jobs of one account inserting overlapping subscribers can deadlock: InnoDB rolls one
      // back, which simply runs again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.ds.transaction('READ COMMITTED', work);
        } catch (err) {
          if (attempt >= 5 || !isLockConflict(err)) throw err;
          await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
        }
      }
    }
    const prev = sqliteTurns.get(this.ds) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.ds.transaction(work));
    sqliteTurns.set(this.ds, run);
    return run;
  }
}

function sameParticipant(s: StoredParticipant, p: MergedParticipant): boolean {
  return (
    s.registrantKey === p.registrantKey &&
    s.statusId === (p.attended ? PARTICIPANT_STATUS.ATTENDED : PARTICIPANT_STATUS.NOT_ATTENDED) &&
    s.registrationStatus === p.registrationStatus &&
    s.registeredAt === ms(p.registeredAt) &&
    s.attendanceSeconds === p.attendanceSeconds &&
    s.sessionsAttended === p.sessionsAttended &&
    s.firstJoinedAt === ms(p.firstJoinedAt) &&
    s.lastLeftAt === ms(p.lastLeftAt)
  );
}

const ms = (d: Date | null): number | null => (d ? floorToSecond(d).getTime() : null);

/** How MariaDB's utf8mb4_unicode_ci compares emails, near enough: accents and case ignored. */
function fold(email: string): string {
  return email
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
