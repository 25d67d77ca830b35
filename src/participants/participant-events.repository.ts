import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { floorToSecond } from '../database/datetime';
import { dbTime } from '../database/datetime';
import {
  applyRegistrantEvent,
  EventParticipantValues,
  RegistrantEventChange,
  StoredEventTarget,
} from './apply-registrant-event';
import { MergedParticipant } from './merge-participants';
import { ChangeKind, rowChangeKinds } from './participant-changes';
import { ParticipantSqlDialect } from './participant-sql-dialect';
import { SubscribersRepository } from './subscribers.repository';
import { RegistrationStatus } from './webinar-participant.entity';

export interface EventPerson {
  /** Normalized (normalizeEmail). */
  email: string;
  firstName: string | null;
  lastName: string | null;
}

const INSERT_COLUMNS = [
  'webinar_id',
  'subscriber_id',
  'registrant_key',
  'webinar_participant_status_id',
  'registration_status',
  'registered_at',
  'attendance_seconds',
  'sessions_attended',
  'join_url',
  'created_at',
  'updated_at',
];
const MAX_ATTEMPTS = 5;

/** What one event did to the row: written or not, and which history kinds that write is. */
export interface EventWrite {
  outcome: 'written' | 'unchanged';
  /** added / attended / cancelled / statusChanged (none for a write that only filled a key). */
  kinds: ChangeKind[];
}
const UNCHANGED: EventWrite = { outcome: 'unchanged', kinds: [] };

/**
 * One webhook event about one person of one webinar, written at once: the subscriber found or
 * created like the participant sync does (SubscribersRepository), then the participant inserted
 * (insert-or-nothing through the same dialect upsert) or updated compare-and-set on the values the
 * rule (apply-registrant-event.ts) was applied to, so two events of one person processed side by
 * side never overwrite each other: the loser reads again and re-applies.
 */
@Injectable()
export class ParticipantEventsRepository {
  private readonly sql: ParticipantSqlDialect;
  private readonly subscribers: SubscribersRepository;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.sql = new ParticipantSqlDialect(ds);
    this.subscribers = new SubscribersRepository(this.sql);
  }

  /** 'written' when the row changed, 'unchanged' when the event was a duplicate or stale. */
  async apply(
    accountId: number,
    webinarId: number,
    person: EventPerson,
    change: RegistrantEventChange,
    at: Date,
  ): Promise<EventWrite> {
    const now = floorToSecond(at);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const outcome = await this.sql.inTransaction(async (m) => {
        const counts = { subscribersInserted: 0, subscribersUpdated: 0 };
        const resolved = await this.subscribers.resolve(
          m,
          accountId,
          [asMerged(person)],
          counts,
          now,
        );
        const subscriberId = resolved.get(person.email)!.id;
        const stored = await this.stored(m, webinarId, subscriberId);
        const next = applyRegistrantEvent(stored, change);
        if (!next) return UNCHANGED;
        const done = stored
          ? await this.update(m, webinarId, subscriberId, stored, next, now)
          : await this.insert(m, webinarId, subscriberId, next, now);
        if (!done) return 'retry' as const;
        return { outcome: 'written', kinds: rowChangeKinds(stored, next) } satisfies EventWrite;
      });
      if (outcome !== 'retry') return outcome;
    }
    throw new Error(`participant of webinar ${webinarId} kept changing under a webhook event`);
  }

  private async stored(
    m: EntityManager,
    webinarId: number,
    subscriberId: number,
  ): Promise<StoredEventTarget | null> {
    const rows: Array<Record<string, unknown>> = await this.sql.query(
      m,
      `SELECT registrant_key, webinar_participant_status_id, registration_status, registered_at,
              join_url, updated_at
         FROM webinar_participant WHERE webinar_id = ? AND subscriber_id = ?`,
      [webinarId, subscriberId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      registrantKey: r.registrant_key === null ? null : String(r.registrant_key),
      statusId: Number(r.webinar_participant_status_id),
      registrationStatus: r.registration_status as RegistrationStatus,
      registeredAt: dbTime(r.registered_at),
      joinUrl: (r.join_url as string | null) ?? null,
      updatedAt: dbTime(r.updated_at) ?? 0,
    };
  }

  private async insert(
    m: EntityManager,
    webinarId: number,
    subscriberId: number,
    v: EventParticipantValues,
    now: Date,
  ): Promise<boolean> {
    const row = [
      webinarId,
      subscriberId,
      v.registrantKey,
      v.statusId,
      v.registrationStatus,
      this.sql.dt(v.registeredAt),
      0,
      0,
      v.joinUrl,
      this.sql.dt(now),
      this.sql.dt(now),
    ];
    const affected = await this.sql.insertMissing(
      m,
      'webinar_participant',
      INSERT_COLUMNS,
      [row],
      ['webinar_id', 'subscriber_id'],
    );
    return affected > 0;
  }

  private async update(
    m: EntityManager,
    webinarId: number,
    subscriberId: number,
    was: StoredEventTarget,
    v: EventParticipantValues,
    now: Date,
  ): Promise<boolean> {
    const res = await m.queryRunner!.query(
      `UPDATE webinar_participant
          SET registrant_key = ?, webinar_participant_status_id = ?, registration_status = ?,
              registered_at = ?, join_url = ?, updated_at = ?
        WHERE webinar_id = ? AND subscriber_id = ? AND webinar_participant_status_id = ?
          AND registration_status = ? AND ${nullSafe('registrant_key', was.registrantKey)}
          AND ${nullSafe('join_url', was.joinUrl)}`,
      [
        v.registrantKey,
        v.statusId,
        v.registrationStatus,
        this.sql.dt(v.registeredAt),
        v.joinUrl,
        this.sql.dt(now),
        webinarId,
        subscriberId,
        was.statusId,
        was.registrationStatus,
        ...(was.registrantKey === null ? [] : [was.registrantKey]),
        ...(was.joinUrl === null ? [] : [was.joinUrl]),
      ],
      true,
    );
    return Number(res.affected ?? 0) > 0;
  }
}

const nullSafe = (column: string, value: string | null) =>
  value === null ? `${column} IS NULL` : `${column} = ?`;

function asMerged(p: EventPerson): MergedParticipant {
  return {
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    registrantKey: null,
    registrationStatus: 'approved',
    registeredAt: null,
    attended: false,
    attendanceSeconds: 0,
    sessionsAttended: 0,
    firstJoinedAt: null,
    lastLeftAt: null,
  };
}
