import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dbTime, floorToSecond } from '../database/datetime';
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

export interface WebinarListFilter {
  organizerId?: number;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export interface ParticipantCounts {
  registered: number;
  attended: number;
  notAttended: number;
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
   * After a successful read of its participants: `participants_checked_at` always (bookkeeping of
   * the polling schedule: no `updated_at`, not a data change), `participants_synced_at` too when
   * something changed.
   */
  async markParticipantsRead(id: number, at: Date, changed: boolean): Promise<void> {
    const when = floorToSecond(at);
    await this.ds
      .createQueryBuilder()
      .update(Webinar)
      .set(
        changed
          ? { participantsSyncedAt: when, participantsCheckedAt: when }
          : { participantsCheckedAt: when, updatedAt: () => 'updated_at' },
      )
      .where('id = :id', { id })
      .updateEntity(false)
      .execute();
  }

  /** The webinar of this GoTo key in every account that has it (an organizer may be linked twice). */
  findAllByKey(webinarKey: string): Promise<Webinar[]> {
    return this.ds.getRepository(Webinar).find({ where: { webinarKey }, order: { id: 'ASC' } });
  }

  /** Sets attendance_final_at once (a later call keeps the first time). */
  async markAttendanceFinal(id: number, at: Date): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(Webinar)
      .set({ attendanceFinalAt: floorToSecond(at) })
      .where('id = :id AND attendance_final_at IS NULL', { id })
      .updateEntity(false)
      .execute();
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
    const [items, total] = await qb
      .orderBy('w.startsAt', 'ASC')
      .addOrderBy('w.id', 'ASC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Participant counts per webinar (read-only over webinar_participant; the participants module owns
   * its writes). The same rules as the standard target groups: Registered = registration neither
   * cancelled nor denied; Attended = status 2; Not Attended = status 1 with an approved registration.
   */
  async participantCounts(webinarIds: number[]): Promise<Map<number, ParticipantCounts>> {
    const out = new Map<number, ParticipantCounts>(
      webinarIds.map((id) => [id, { registered: 0, attended: 0, notAttended: 0 }]),
    );
    if (webinarIds.length === 0) return out;
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT webinar_id,
              SUM(CASE WHEN registration_status NOT IN ('cancelled', 'denied') THEN 1 ELSE 0 END) AS registered,
              SUM(CASE WHEN webinar_participant_status_id = 2 THEN 1 ELSE 0 END) AS attended,
              SUM(CASE WHEN webinar_participant_status_id = 1 AND registration_status = 'approved' THEN 1 ELSE 0 END) AS not_attended
         FROM webinar_participant
        WHERE webinar_id IN (${webinarIds.map(() => '?').join(',')})
        GROUP BY webinar_id`,
      webinarIds,
    );
    for (const r of rows) {
      out.set(Number(r.webinar_id), {
        registered: Number(r.registered ?? 0),
        attended: Number(r.attended ?? 0),
        notAttended: Number(r.not_attended ?? 0),
      });
    }
    return out;
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
