import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countOf } from './participant-membership';

export interface ParticipantCounts {
  registered: number;
  attended: number;
  notAttended: number;
}

/** The counts plus the registration status breakdown (reconciliation). */
export interface ParticipantBreakdown extends ParticipantCounts {
  total: number;
  byRegistrationStatus: Record<'approved' | 'waiting' | 'denied' | 'cancelled', number>;
}

// Participant counts per webinar, by the membership rule (participant-membership.ts).
@Injectable()
export class ParticipantCountsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async countsByWebinar(webinarIds: number[]): Promise<Map<number, ParticipantBreakdown>> {
    const empty = (): ParticipantBreakdown => ({
      registered: 0,
      attended: 0,
      notAttended: 0,
      total: 0,
      byRegistrationStatus: { approved: 0, waiting: 0, denied: 0, cancelled: 0 },
    });
    const out = new Map<number, ParticipantBreakdown>(webinarIds.map((id) => [id, empty()]));
    if (webinarIds.length === 0) return out;
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT wp.webinar_id AS webinar_id,
              ${countOf('registered', 'wp')} AS registered,
              ${countOf('attended', 'wp')} AS attended,
              ${countOf('not_attended', 'wp')} AS not_attended,
              COUNT(*) AS total,
              SUM(CASE WHEN wp.registration_status = 'approved' THEN 1 ELSE 0 END) AS approved,
              SUM(CASE WHEN wp.registration_status = 'waiting' THEN 1 ELSE 0 END) AS waiting,
              SUM(CASE WHEN wp.registration_status = 'denied' THEN 1 ELSE 0 END) AS denied,
              SUM(CASE WHEN wp.registration_status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled
         FROM webinar_participant wp
        WHERE wp.webinar_id IN (${webinarIds.map(() => '?').join(',')})
        GROUP BY wp.webinar_id`,
      webinarIds,
    );
    const n = (v: unknown) => Number(v ?? 0);
    for (const r of rows) {
      out.set(Number(r.webinar_id), {
        registered: n(r.registered),
        attended: n(r.attended),
        notAttended: n(r.not_attended),
        total: n(r.total),
        byRegistrationStatus: {
          approved: n(r.approved),
          waiting: n(r.waiting),
          denied: n(r.denied),
          cancelled: n(r.cancelled),
        },
      });
    }
    return out;
  }

  /** How many of the webinar's participants have at least `minutes` of summed attendance. */
  async engagedCount(webinarId: number, minutes: number): Promise<number> {
    const [row] = await this.ds.query(
      `SELECT ${countOf('engaged', 'wp', '?')} AS n FROM webinar_participant wp WHERE wp.webinar_id = ?`,
      [minutes, webinarId],
    );
    return Number(row?.n ?? 0);
  }
}
