import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countOf, memberOf } from '../participants/participant-membership';
import { MinuteCount, REGISTRATION_SLOT_SECONDS, SlotCount } from './bucket-webinar-stats';

export interface FunnelCounts {
  registered: number;
  attended: number;
  /** 0 when no threshold is given. */
  engaged: number;
  /** Registered with no stored registration date (left out of the registrations per day). */
  undated: number;
}

// One webinar's aggregates for the charts, grouped in SQL (a few rows back, whatever the size of
// the webinar); who counts as registered, attended or engaged is the membership rule's
// (participant-membership.ts). The only dialect difference is a DATETIME's epoch seconds.
@Injectable()
export class WebinarStatsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async funnel(webinarId: number, engagementMinutes: number | null): Promise<FunnelCounts> {
    const [row] = await this.ds.query(
      `SELECT ${countOf('registered', 'wp')} AS registered,
              ${countOf('attended', 'wp')} AS attended,
              ${countOf('engaged', 'wp', '?')} AS engaged,
              SUM(CASE WHEN ${memberOf('registered', 'wp')} AND wp.registered_at IS NULL THEN 1 ELSE 0 END) AS undated
         FROM webinar_participant wp
        WHERE wp.webinar_id = ?`,
      [engagementMinutes ?? 0, webinarId],
    );
    const n = (v: unknown) => Number(v ?? 0);
    return {
      registered: n(row?.registered),
      attended: n(row?.attended),
      engaged: engagementMinutes === null ? 0 : n(row?.engaged),
      undated: n(row?.undated),
    };
  }

  /** Registered participants per 15-minute slot of their registration time. */
  async registrationSlots(webinarId: number): Promise<SlotCount[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT (x.e - x.e % ${REGISTRATION_SLOT_SECONDS}) / ${REGISTRATION_SLOT_SECONDS} AS slot, COUNT(*) AS n
         FROM (SELECT ${this.epochSeconds('wp.registered_at')} AS e
                 FROM webinar_participant wp
                WHERE wp.webinar_id = ? AND wp.registered_at IS NOT NULL
                  AND ${memberOf('registered', 'wp')}) x
        GROUP BY slot`,
      [webinarId],
    );
    return rows.map((r) => ({ slot: Number(r.slot), count: Number(r.n) }));
  }

  /** Attended participants per whole minute of summed attendance. */
  async attendanceMinutes(webinarId: number): Promise<MinuteCount[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT (x.s - x.s % 60) / 60 AS minute, COUNT(*) AS n
         FROM (SELECT wp.attendance_seconds AS s
                 FROM webinar_participant wp
                WHERE wp.webinar_id = ? AND ${memberOf('attended', 'wp')}) x
        GROUP BY minute`,
      [webinarId],
    );
    return rows.map((r) => ({ minute: Number(r.minute), count: Number(r.n) }));
  }

  // DATETIME columns hold UTC (database/datetime.ts): read as such, whatever the session zone.
  private epochSeconds(column: string): string {
    return this.ds.options.type === 'better-sqlite3'
      ? `CAST(strftime('%s', ${column}) AS INTEGER)`
      : `TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${column})`;
  }
}
