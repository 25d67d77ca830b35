import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const COLUMNS = `p.id, p.subscriber_id, s.email, s.first_name, s.last_name, p.webinar_participant_status_id,
  p.registration_status, p.registrant_key, p.registered_at, p.attendance_seconds, p.sessions_attended,
  p.first_joined_at, p.last_left_at`;

// Read queries of webinar participants for REST (the sync's own reads are in participants.repository.ts).
@Injectable()
export class ParticipantQueriesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

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
      `SELECT ${COLUMNS}
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
        WHERE ${where}
        ORDER BY s.email, p.id
        LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { rows, total: Number(n) };
  }

  /** Up to `limit` participants after participant id `afterId`, in id order (keyset: exports). */
  pageAfter(
    webinarId: number,
    afterId: number,
    limit: number,
  ): Promise<Array<Record<string, unknown>>> {
    return this.ds.query(
      `SELECT ${COLUMNS}
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
        WHERE p.webinar_id = ? AND p.id > ?
        ORDER BY p.id
        LIMIT ?`,
      [webinarId, afterId, limit],
    );
  }
}
