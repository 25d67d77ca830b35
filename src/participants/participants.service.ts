import { Injectable } from '@nestjs/common';
import { dbTime } from '../database/datetime';
import { WebinarsService } from '../webinars/webinars.service';
import { ListParticipantsQueryDto, ParticipantPageDto, ParticipantView } from './participant.dto';
import { ParticipantQueriesRepository } from './participant-queries.repository';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';
import { RegistrationStatus } from './webinar-participant.entity';

const iso = (v: unknown): string | null => {
  const t = dbTime(v);
  return t === null ? null : new Date(t).toISOString();
};

// Participant queries for REST.
@Injectable()
export class ParticipantsService {
  constructor(
    private readonly queries: ParticipantQueriesRepository,
    private readonly webinars: WebinarsService,
  ) {}

  async listForWebinar(
    accountId: number,
    webinarId: number,
    q: ListParticipantsQueryDto,
  ): Promise<ParticipantPageDto> {
    const webinar = await this.webinars.getForAccount(accountId, webinarId);
    const statusId =
      q.status === 'attended'
        ? PARTICIPANT_STATUS.ATTENDED
        : q.status === 'not_attended'
          ? PARTICIPANT_STATUS.NOT_ATTENDED
          : undefined;
    const { rows, total } = await this.queries.page(webinar.id, statusId, q.page, q.pageSize);
    return { items: rows.map(toView), page: q.page, pageSize: q.pageSize, total };
  }

  /**
   * Every participant of the account's webinar in batches (keyset on the participant id), for
   * streaming. The webinar is checked first (404 before anything is sent).
   */
  async exportBatches(
    accountId: number,
    webinarId: number,
    batchSize = 2000,
  ): Promise<AsyncGenerator<ParticipantView[]>> {
    const webinar = await this.webinars.getForAccount(accountId, webinarId);
    const queries = this.queries;
    return (async function* () {
      for (let afterId = 0; ;) {
        const rows = await queries.pageAfter(webinar.id, afterId, batchSize);
        if (rows.length) yield rows.map(toView);
        if (rows.length < batchSize) return;
        afterId = Number(rows[rows.length - 1].id);
      }
    })();
  }
}

function toView(r: Record<string, unknown>): ParticipantView {
  const statusId = Number(r.webinar_participant_status_id);
  return {
    id: Number(r.id),
    subscriberId: Number(r.subscriber_id),
    email: String(r.email),
    firstName: (r.first_name as string | null) ?? null,
    lastName: (r.last_name as string | null) ?? null,
    status: statusId === PARTICIPANT_STATUS.ATTENDED ? 'attended' : 'not_attended',
    webinarParticipantStatusId: statusId,
    registrationStatus: r.registration_status as RegistrationStatus,
    registrantKey: r.registrant_key === null ? null : String(r.registrant_key),
    registeredAt: iso(r.registered_at),
    attendanceSeconds: Number(r.attendance_seconds),
    sessionsAttended: Number(r.sessions_attended),
    firstJoinedAt: iso(r.first_joined_at),
    lastLeftAt: iso(r.last_left_at),
  };
}
