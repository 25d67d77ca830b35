// GoTo's own counts from its session reports (`GET …/webinars/{key}/sessions`, completed sessions
// only), summed per webinar. Pure. What each number means: docs/reconciliation.md.
import { GotoSession } from '../goto-webinar/goto-webinar.types';

export interface SessionReportCounts {
  /** Completed sessions GoTo reported. */
  sessions: number;
  /**
   * Sum of `registrantsAttended` over those sessions: registrants only (no unregistered attendee),
   * one per person and session (a person at two sessions of a sequence counts twice).
   */
  registrantsAttended: number;
  /**
   * `registrantCount` of the latest session: GoTo documents it as the webinar's total registrants,
   * so every session repeats it and a sum would count people once per session. Null when no
   * session carries it.
   */
  registrantCount: number | null;
}

export function sessionReportCounts(sessions: GotoSession[]): SessionReportCounts {
  let registrantsAttended = 0;
  let latest: GotoSession | undefined;
  const end = (s: GotoSession) => s.endTime?.getTime() ?? s.startTime?.getTime() ?? -Infinity;
  for (const s of sessions) {
    registrantsAttended += s.registrantsAttended ?? 0;
    if (s.registrantCount !== undefined && (!latest || end(s) >= end(latest))) latest = s;
  }
  return {
    sessions: sessions.length,
    registrantsAttended,
    registrantCount: latest?.registrantCount ?? null,
  };
}
