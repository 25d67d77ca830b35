import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { dbTime, floorToSecond } from '../database/datetime';
import { SessionReportCounts } from './session-report-counts';
import { StoredWebinar, WebinarValues } from './webinar-values';
import { Webinar, WebinarStatus } from './webinar.entity';

const UPDATE_COLUMNS = [
  'organizer_id',
  'subject',
  'description',
  'starts_at',
  'ends_at',
  'time_zone',
  'recurrence_type',
  'sessions',
  'registration_url',
  'status',
  'updated_at',
];

const STORED_COLUMNS = `id, webinar_key, organizer_id, subject, description, starts_at, ends_at, time_zone,
  recurrence_type, sessions, registration_url, status, participants_synced_at, attendance_final_at,
  participants_checked_at, updated_at`;

export interface WebinarPollingState {
  id: number;
  accountId: number;
  organizerId: number;
  startsAt: Date;
  endsAt: Date;
  sessions: Array<{ startTime: string; endTime: string }>;
  status: string;
  participantsCheckedAt: Date | null;
  attendanceFinalAt: Date | null;
}

/** SQLite stores DATETIME as UTC text (TypeORM's format); bound raw, a Date would not compare. */
const sqliteTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** GoTo's own counts as a participant sync saw them (see Webinar.gotoRegistrantCount). */
export interface GotoCounts {
  registrants: number;
  walkIns: number;
  attendees: number;
  /** From GoTo's session reports, when this sync read them (else the stored ones stay). */
  sessionReports?: SessionReportCounts | null;
}

/** What a participant sync read, for the webinar row (WebinarsRepository.recordParticipantRead). */
export interface ParticipantRead {
  at: Date;
  /** The read changed stored data, or it is the webinar's first: `participants_synced_at` moves. */
  changed: boolean;
  counts: GotoCounts;
  /** GoTo's attendance is final: `attendance_final_at` is set unless it already is. */
  attendanceFinal: boolean;
}

export interface WebinarListFilter {
  organizerId?: number;
  from?: Date;
  to?: Date;
  search?: string;
  order?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

// SQL of the webinar table. Set-based: one upsert per page of GoTo's list.
@Injectable()
export class WebinarsRepository {
  private readonly chunkSize: number;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.chunkSize = ds.options.type === 'better-sqlite3' ? 500 : 1000;
  }

  async findByKeys(accountId: number, keys: string[]): Promise<Map<string, StoredWebinar>> {
    const out = new Map<string, StoredWebinar>();
    for (let i = 0; i < keys.length; i += this.chunkSize) {
      const part = keys.slice(i, i + this.chunkSize);
      const rows: Array<Record<string, unknown>> = await this.ds.query(
        `SELECT ${STORED_COLUMNS} FROM webinar WHERE account_id = ? AND webinar_key IN (${part.map(() => '?').join(',')})`,
        [accountId, ...part],
      );
      for (const r of rows) out.set(String(r.webinar_key), stored(r));
    }
    return out;
  }

  /** Webinars of an organizer not (yet) marked cancelled. */
  async activeOfOrganizer(organizerId: number): Promise<StoredWebinar[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT ${STORED_COLUMNS} FROM webinar WHERE organizer_id = ? AND status <> 'cancelled'`,
      [organizerId],
    );
    return rows.map(stored);
  }

  /** Inserts new webinars and updates changed ones (each with its owner), keyed by (account, webinar key). */
  async upsert(
    accountId: number,
    values: Array<WebinarValues & { organizerId: number }>,
    now: Date,
  ): Promise<void> {
    for (let i = 0; i < values.length; i += this.chunkSize) {
      const rows = values.slice(i, i + this.chunkSize).map((v) => ({
        accountId,
        ...v,
        participantsSyncedAt: null,
        createdAt: now,
        updatedAt: now,
      }));
      await this.ds
        .createQueryBuilder()
        .insert()
        .into(Webinar)
        .values(rows)
        .orUpdate(UPDATE_COLUMNS, ['account_id', 'webinar_key'])
        .updateEntity(false)
        .execute();
    }
  }

  async setStatus(ids: number[], status: WebinarStatus, now: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += this.chunkSize) {
      await this.ds
        .createQueryBuilder()
        .update(Webinar)
        .set({ status, updatedAt: now })
        .whereInIds(ids.slice(i, i + this.chunkSize))
        .updateEntity(false)
        .execute();
    }
  }

  /**
   * After a successful read of its participants, one UPDATE of the webinar row (docs/sync.md,
   * Benchmark): `participants_checked_at` always (bookkeeping of the polling schedule: no
   * `updated_at`, not a data change), `participants_synced_at` and `updated_at` too when something
   * changed; GoTo's counts from the lists just read and its session reports when read (an
   * observation: no `updated_at`); and
   * `attendance_final_at` once when the attendance became final (a later read keeps the first time;
   * setting it moves `updated_at`). `updated_at` is assigned first, so it sees the row as it was on
   * both databases (MariaDB evaluates a single-table SET left to right).
   */
  async recordParticipantRead(id: number, read: ParticipantRead): Promise<void> {
    const sqlite = this.ds.options.type === 'better-sqlite3';
    const when = floorToSecond(read.at);
    const at = sqlite ? sqliteTime(when) : when;
    // GoTo's session reports, when this sync read them (else the stored ones stay).
    const reports = read.counts.sessionReports;
    const updatedAt = read.changed
      ? 'CURRENT_TIMESTAMP'
      : read.attendanceFinal
        ? 'CASE WHEN attendance_final_at IS NULL THEN CURRENT_TIMESTAMP ELSE updated_at END'
        : 'updated_at';
    await this.ds.query(
      `UPDATE webinar SET updated_at = ${updatedAt}, participants_checked_at = ?,
         ${read.changed ? 'participants_synced_at = ?,' : ''}
         goto_registrant_count = ?, goto_walk_in_count = ?, goto_attendee_count = ?, goto_counts_at = ?
         ${reports ? ', goto_sessions_reported = ?, goto_registrants_attended = ?, goto_session_registrant_count = ?, goto_sessions_at = ?' : ''}
         ${read.attendanceFinal ? ', attendance_final_at = COALESCE(attendance_final_at, ?)' : ''}
       WHERE id = ?`,
      [
        at,
        ...(read.changed ? [at] : []),
        read.counts.registrants,
        read.counts.walkIns,
        read.counts.attendees,
        at,
        ...(reports
          ? [reports.sessions, reports.registrantsAttended, reports.registrantCount, at]
          : []),
        ...(read.attendanceFinal ? [at] : []),
        id,
      ],
    );
  }

  /** The webinar of this GoTo key in every account that has it (an organizer may be linked twice). */
  findAllByKey(webinarKey: string): Promise<Webinar[]> {
    return this.ds.getRepository(Webinar).find({ where: { webinarKey }, order: { id: 'ASC' } });
  }

  async clearAttendanceFinal(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += this.chunkSize) {
      await this.ds
        .createQueryBuilder()
        .update(Webinar)
        .set({ attendanceFinalAt: null })
        .whereInIds(ids.slice(i, i + this.chunkSize))
        .updateEntity(false)
        .execute();
    }
  }

  /**
   * What the periodic scheduler needs to decide which webinars are due, for many organizers at
   * once: webinars not cancelled that ended after `endedAfter` or were never read.
   */
  async pollingStates(organizerIds: number[], endedAfter: Date): Promise<WebinarPollingState[]> {
    if (organizerIds.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT id, account_id, organizer_id, starts_at, ends_at, sessions, status, participants_checked_at,
              attendance_final_at
       FROM webinar
       WHERE organizer_id IN (${organizerIds.map(() => '?').join(',')}) AND status <> 'cancelled'
         AND (ends_at >= ? OR participants_checked_at IS NULL)`,
      [
        ...organizerIds,
        this.ds.options.type === 'better-sqlite3' ? sqliteTime(endedAfter) : endedAfter,
      ],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      accountId: Number(r.account_id),
      organizerId: Number(r.organizer_id),
      startsAt: new Date(dbTime(r.starts_at)!),
      endsAt: new Date(dbTime(r.ends_at)!),
      sessions: JSON.parse(String(r.sessions)) as WebinarPollingState['sessions'],
      status: String(r.status),
      participantsCheckedAt:
        r.participants_checked_at === null ? null : new Date(dbTime(r.participants_checked_at)!),
      attendanceFinalAt:
        r.attendance_final_at === null ? null : new Date(dbTime(r.attendance_final_at)!),
    }));
  }

  findForAccount(accountId: number, id: number): Promise<Webinar | null> {
    return this.ds.getRepository(Webinar).findOneBy({ accountId, id });
  }

  /** Subject of each of these webinars of the account (one query; others' ids left out). */
  async subjectsOf(accountId: number, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.ds.getRepository(Webinar).find({
      select: { id: true, subject: true },
      where: { accountId, id: In(ids) },
    });
    return new Map(rows.map((w) => [w.id, w.subject]));
  }

  async list(
    accountId: number,
    f: WebinarListFilter,
  ): Promise<{ items: Webinar[]; total: number }> {
    const qb = this.ds
      .getRepository(Webinar)
      .createQueryBuilder('w')
      .where('w.accountId = :accountId', { accountId });
    if (f.organizerId !== undefined)
      qb.andWhere('w.organizerId = :organizerId', { organizerId: f.organizerId });
    // A webinar is in [from, to] when it overlaps it: ends after `from`, starts before `to`.
    if (f.from) qb.andWhere('w.endsAt >= :from', { from: f.from });
    if (f.to) qb.andWhere('w.startsAt <= :to', { to: f.to });
    if (f.search) {
      // LOWER on both sides: SQLite's LIKE ignores case for ASCII only, MySQL's per collation.
      // '!' escapes the wildcards: a backslash means different things in the two dialects' literals.
      const pattern = `%${f.search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
      qb.andWhere(`LOWER(w.subject) LIKE :pattern ESCAPE '!'`, { pattern });
    }
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const [items, total] = await qb
      .orderBy('w.startsAt', dir)
      .addOrderBy('w.id', dir)
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { items, total };
  }
}

function stored(r: Record<string, unknown>): StoredWebinar {
  return {
    id: Number(r.id),
    webinarKey: String(r.webinar_key),
    organizerId: Number(r.organizer_id),
    subject: String(r.subject),
    description: (r.description as string | null) ?? null,
    startsAt: dbTime(r.starts_at) ?? 0,
    endsAt: dbTime(r.ends_at) ?? 0,
    timeZone: (r.time_zone as string | null) ?? null,
    recurrenceType: String(r.recurrence_type),
    sessionsJson: String(r.sessions),
    registrationUrl: (r.registration_url as string | null) ?? null,
    status: r.status as WebinarStatus,
    participantsSyncedAt: dbTime(r.participants_synced_at),
    attendanceFinalAt: dbTime(r.attendance_final_at),
    participantsCheckedAt: dbTime(r.participants_checked_at),
    updatedAt: dbTime(r.updated_at) ?? 0,
  };
}
