import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { dbTime, floorToSecond } from '../database/datetime';
import { MergedParticipant } from './merge-participants';
import { ParticipantSqlDialect } from './participant-sql-dialect';
import { SubscriberIdCache } from './subscriber-id-cache';
import { SubscribersRepository } from './subscribers.repository';
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
// An update never touches the row's key columns or its creation time.
const PARTICIPANT_UPDATE_COLUMNS = PARTICIPANT_INSERT_COLUMNS.filter(
  (c) => !['webinar_id', 'subscriber_id', 'created_at'].includes(c),
);

/**
 * The participant sync's SQL: makes a webinar's stored participants equal to what GoTo says.
 * Writes are set-based (one INSERT … ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE per chunk),
 * each chunk in its own short transaction, and only rows whose values differ are written.
 * Subscribers: subscribers.repository.ts, their ids cached across webinars in
 * subscriber-id-cache.ts; dialect differences: participant-sql-dialect.ts.
 */
@Injectable()
export class ParticipantsRepository {
  readonly chunkSize: number;
  /** Subscriber ids of committed chunks, for later webinars of the account (LRU, this process). */
  readonly subscriberIds = new SubscriberIdCache();
  private readonly sql: ParticipantSqlDialect;
  private readonly subscribers: SubscribersRepository;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.sql = new ParticipantSqlDialect(ds);
    this.subscribers = new SubscribersRepository(this.sql);
    this.chunkSize = this.sql.chunkSize;
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
    at: Date,
    /** `storedParticipants(webinarId)` started earlier (e.g. while GoTo was being read). */
    preloaded?: Promise<StoredParticipant[]>,
    /**
     * False when GoTo was not asked for attendees (no session has ended yet): attendance already
     * stored (a registrant.joined webhook during the session) is then kept, not reset.
     */
    attendanceKnown = true,
  ): Promise<ParticipantWriteStats> {
    // Whole seconds, as DATETIME(0) stores them on every database (and shorter statements).
    const now = floorToSecond(at);
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
    if (!attendanceKnown) merged = merged.map((p) => keepAttendance(p, storedByEmail.get(p.email)));
    const seenSubscribers = new Set<number>();

    for (let i = 0; i < merged.length; i += this.chunkSize) {
      const chunk = merged.slice(i, i + this.chunkSize);
      // Counts and seen subscribers of the attempt that commits: a deadlocked attempt is rolled
      // back and runs again from scratch.
      const done = await this.sql.inTransaction(async (m) => {
        const counts = { subscribersInserted: 0, subscribersUpdated: 0, inserted: 0, updated: 0 };
        const seen = new Set<number>();
        // Subscribers are needed only for people not yet participants of this webinar.
        const unknown = chunk.filter((p) => !storedByEmail.has(p.email));
        const { cached, uncached } = await this.cachedSubscribers(m, accountId, unknown);
        const resolved = await this.subscribers.resolve(m, accountId, uncached, counts, now);
        const rows: unknown[][] = [];
        for (const p of chunk) {
          const existing = storedByEmail.get(p.email);
          const subscriberId =
            existing?.subscriberId ?? cached.get(p.email) ?? resolved.get(p.email)?.id;
          if (subscriberId === undefined || seenSubscribers.has(subscriberId)) continue;
          if (seen.has(subscriberId)) continue;
          seen.add(subscriberId);
          if (existing && sameParticipant(existing, p)) continue;
          if (existing) counts.updated++;
          else counts.inserted++;
          rows.push(this.participantRow(webinarId, subscriberId, p, now));
        }
        if (rows.length > 0) await this.upsertParticipants(m, rows);
        return { counts, seen, resolved };
      });
      // Committed: only now may the subscribers this chunk found or created be cached.
      for (const [email, s] of done.resolved) this.subscriberIds.set(accountId, email, s);
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
    for (const ids of this.sql.statementParts(gone.map((s) => s.id))) {
      const { list, params } = this.sql.inList(ids);
      await this.sql.query(
        this.ds,
        `UPDATE webinar_participant SET registration_status = 'cancelled', updated_at = ? WHERE id IN ${list}`,
        [this.sql.dt(now), ...params],
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

  /**
   * Splits `people` into those whose subscriber id the cache has (and who bring no name their
   * subscriber lacks) and those the database path must resolve. The cached ids are checked by
   * primary key first: the schema has no foreign keys, so a subscriber deleted behind the cache's
   * back would otherwise get a participant row pointing at nothing. If any is gone, the account's
   * entries are dropped and everyone goes through the database path (which recreates it).
   */
  private async cachedSubscribers(
    m: EntityManager,
    accountId: number,
    people: MergedParticipant[],
  ): Promise<{ cached: Map<string, number>; uncached: MergedParticipant[] }> {
    const cached = new Map<string, number>();
    const uncached: MergedParticipant[] = [];
    for (const p of people) {
      const id = this.subscriberIds.idFor(accountId, p);
      if (id === undefined) uncached.push(p);
      else cached.set(p.email, id);
    }
    if (cached.size === 0) return { cached, uncached };
    if (await this.subscribers.allExist(m, accountId, new Set(cached.values())))
      return { cached, uncached };
    this.subscriberIds.evictAccount(accountId);
    return { cached: new Map(), uncached: people };
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
      this.sql.dt(p.registeredAt),
      p.attendanceSeconds,
      p.sessionsAttended,
      this.sql.dt(p.firstJoinedAt),
      this.sql.dt(p.lastLeftAt),
      this.sql.dt(now),
      this.sql.dt(now),
    ];
  }

  private async upsertParticipants(m: EntityManager, rows: unknown[][]): Promise<void> {
    // In subscriber order: the index entries (webinar, subscriber) and (subscriber, id) are then
    // written in key order, page after page, and concurrent jobs lock rows in the same order.
    rows.sort((a, b) => (a[1] as number) - (b[1] as number));
    await this.sql.upsert(
      m,
      'webinar_participant',
      PARTICIPANT_INSERT_COLUMNS,
      rows,
      ['webinar_id', 'subscriber_id'],
      PARTICIPANT_UPDATE_COLUMNS,
    );
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

/** `p` with the stored attendance of `s` when GoTo's attendance was not read. */
function keepAttendance(p: MergedParticipant, s: StoredParticipant | undefined): MergedParticipant {
  if (!s || s.statusId !== PARTICIPANT_STATUS.ATTENDED || p.attended) return p;
  return {
    ...p,
    attended: true,
    attendanceSeconds: s.attendanceSeconds,
    sessionsAttended: s.sessionsAttended,
    firstJoinedAt: s.firstJoinedAt === null ? null : new Date(s.firstJoinedAt),
    lastLeftAt: s.lastLeftAt === null ? null : new Date(s.lastLeftAt),
  };
}

const ms = (d: Date | null): number | null => (d ? floorToSecond(d).getTime() : null);
