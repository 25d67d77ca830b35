import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dbTime } from '../database/datetime';
import { countOf } from '../participants/participant-membership';
import { StoredSessionReports, storedSessionReports } from './stored-session-reports';

export interface DriftRow {
  webinarId: number;
  subject: string;
  startsAt: number;
  gotoRegistrants: number;
  gotoWalkIns: number;
  gotoAttendees: number;
  gotoCountsAt: number | null;
  sessionReports: StoredSessionReports | null;
  storedNotCancelled: number;
  storedAttended: number;
}

// Per webinar of the account: GoTo's stored counts beside the stored participants, one aggregate
// over webinar_participant (attended by the participants module's membership rule).
const ROWS = `
  FROM webinar w
  LEFT JOIN (
    SELECT wp.webinar_id AS webinar_id,
           SUM(CASE WHEN wp.registration_status <> 'cancelled' THEN 1 ELSE 0 END) AS not_cancelled,
           ${countOf('attended', 'wp')} AS attended
      FROM webinar_participant wp JOIN webinar w2 ON w2.id = wp.webinar_id
     WHERE w2.account_id = ? AND w2.goto_counts_at IS NOT NULL
     GROUP BY wp.webinar_id
  ) c ON c.webinar_id = w.id
 WHERE w.account_id = ? AND w.goto_counts_at IS NOT NULL`;
const DRIFT = `(COALESCE(c.not_cancelled, 0) <> w.goto_registrant_count + w.goto_walk_in_count
   OR COALESCE(c.attended, 0) <> w.goto_attendee_count)`;

@Injectable()
export class ReconciliationRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Webinars with GoTo counts, newest first; only those that disagree when `driftOnly`. */
  async page(
    accountId: number,
    driftOnly: boolean,
    page: number,
    pageSize: number,
  ): Promise<{ rows: DriftRow[]; total: number }> {
    const where = `${ROWS}${driftOnly ? ` AND ${DRIFT}` : ''}`;
    const [{ n }] = await this.ds.query(`SELECT COUNT(*) AS n ${where}`, [accountId, accountId]);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT w.id AS id, w.subject AS subject, w.starts_at AS starts_at,
              w.goto_registrant_count AS goto_registrants, w.goto_walk_in_count AS goto_walk_ins,
              w.goto_attendee_count AS goto_attendees, w.goto_counts_at AS goto_counts_at,
              w.goto_sessions_reported AS sessions_reported,
              w.goto_registrants_attended AS registrants_attended,
              w.goto_session_registrant_count AS session_registrant_count,
              w.goto_sessions_at AS sessions_at,
              COALESCE(c.not_cancelled, 0) AS not_cancelled, COALESCE(c.attended, 0) AS attended
         ${where}
        ORDER BY w.starts_at DESC, w.id DESC
        LIMIT ? OFFSET ?`,
      [accountId, accountId, pageSize, (page - 1) * pageSize],
    );
    return {
      total: Number(n),
      rows: rows.map((r) => ({
        webinarId: Number(r.id),
        subject: String(r.subject),
        startsAt: dbTime(r.starts_at) ?? 0,
        gotoRegistrants: Number(r.goto_registrants),
        gotoWalkIns: Number(r.goto_walk_ins),
        gotoAttendees: Number(r.goto_attendees),
        gotoCountsAt: dbTime(r.goto_counts_at),
        sessionReports: storedSessionReports({
          sessions: r.sessions_reported,
          registrantsAttended: r.registrants_attended,
          registrantCount: r.session_registrant_count,
          at: r.sessions_at,
        }),
        storedNotCancelled: Number(r.not_cancelled),
        storedAttended: Number(r.attended),
      })),
    };
  }
}
