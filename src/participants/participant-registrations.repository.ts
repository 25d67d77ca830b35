import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { floorToSecond } from '../database/datetime';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';
import { WebinarParticipant } from './webinar-participant.entity';

export interface SubscriberContact {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

const CHUNK = 500;
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

// The participants module's side of registering subscribers in GoTo (registrations module):
// who they are, who is registered already, and linking the registrant GoTo created.
@Injectable()
export class ParticipantRegistrationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The account's subscribers among `ids` (others' and unknown ids are left out). */
  async subscribersOf(accountId: number, ids: number[]): Promise<SubscriberContact[]> {
    const out: SubscriberContact[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows: Array<Record<string, unknown>> = await this.ds.query(
        `SELECT id, email, first_name, last_name FROM subscriber WHERE account_id = ? AND id IN (${marks(part.length)})`,
        [accountId, ...part],
      );
      for (const r of rows)
        out.push({
          id: Number(r.id),
          email: String(r.email),
          firstName: (r.first_name as string | null) ?? null,
          lastName: (r.last_name as string | null) ?? null,
        });
    }
    return out;
  }

  /** Registrant keys of those already registered (not cancelled) for the webinar, by subscriber. */
  async registeredKeys(webinarId: number, subscriberIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < subscriberIds.length; i += CHUNK) {
      const part = subscriberIds.slice(i, i + CHUNK);
      const rows: Array<Record<string, unknown>> = await this.ds.query(
        `SELECT subscriber_id, registrant_key FROM webinar_participant
          WHERE webinar_id = ? AND registration_status <> 'cancelled' AND registrant_key IS NOT NULL
            AND subscriber_id IN (${marks(part.length)})`,
        [webinarId, ...part],
      );
      for (const r of rows) out.set(Number(r.subscriber_id), String(r.registrant_key));
    }
    return out;
  }

  /**
   * Stores the registrant GoTo created (or named in its 409) on the participant: a new participant
   * (approved, not attended) or the existing row's registrant key and join link. The next
   * participant sync brings the rest (registration date, status) from GoTo's list.
   */
  async linkRegistrant(
    webinarId: number,
    subscriberId: number,
    registrantKey: string,
    joinUrl: string | null,
    at: Date,
  ): Promise<void> {
    const now = floorToSecond(at);
    const update =
      joinUrl === null
        ? ['registrant_key', 'updated_at']
        : ['registrant_key', 'join_url', 'updated_at'];
    await this.ds
      .createQueryBuilder()
      .insert()
      .into(WebinarParticipant)
      .values({
        webinarId,
        subscriberId,
        registrantKey,
        joinUrl,
        webinarParticipantStatusId: PARTICIPANT_STATUS.NOT_ATTENDED,
        registrationStatus: 'approved',
        registeredAt: now,
        attendanceSeconds: 0,
        sessionsAttended: 0,
        createdAt: now,
        updatedAt: now,
      })
      .orUpdate(update, ['webinar_id', 'subscriber_id'])
      .updateEntity(false)
      .execute();
  }
}
