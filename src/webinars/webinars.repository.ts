import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { floorToSecond } from '../database/datetime';
import { dbTime } from '../database/db-time';
import { StoredWebinar, WebinarValues } from './webinar-rows';
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
  recurrence_type, sessions, registration_url, status, participants_synced_at`;

/** GoTo's own counts as a participant sync saw them (see Webinar.gotoRegistrantCount). */
export interface GotoCounts {
  registrants: number;
  walkIns: number;
  attendees: number;
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

  /** Inserts new webinars and updates changed ones, keyed by (account, webinar key). */
  async upsert(
    accountId: number,
    organizerId: number,
    values: WebinarValues[],
    now: Date,
  ): Promise<void> {
    for (let i = 0; i < values.length; i += this.chunkSize) {
      const rows = values.slice(i, i + this.chunkSize).map((v) => ({
        accountId,
        organizerId,
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

  async markParticipantsSynced(id: number, at: Date): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(Webinar)
      .set({ participantsSyncedAt: floorToSecond(at) })
      .where('id = :id', { id })
      .updateEntity(false)
      .execute();
  }

  async recordGotoCounts(id: number, counts: GotoCounts, at: Date): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(Webinar)
      .set({
        gotoRegistrantCount: counts.registrants,
        gotoWalkInCount: counts.walkIns,
        gotoAttendeeCount: counts.attendees,
        gotoCountsAt: floorToSecond(at),
        // An observation, not a change of the webinar: updated_at stays (it says when GoTo's
        // webinar data last changed here).
        updatedAt: () => 'updated_at',
      })
      .where('id = :id', { id })
      .updateEntity(false)
      .execute();
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
  };
}
