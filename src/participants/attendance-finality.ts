// When a webinar's attendance is final: decided from what GoTo says happened (its completed
// sessions and their attendees), never from the schedule alone. Pure.
import { GotoAttendee, GotoSession } from '../goto-webinar/goto-webinar.types';
import { WebinarSessionTime } from '../webinars/webinar.entity';

/** A completed session's attendee report is trusted this long after the session's end. */
export const SESSION_SETTLE_MS = 30 * 60_000;
/**
 * After this long, a completed session without attendees is taken as having had none, and a
 * scheduled session GoTo never reports as completed as one that did not take place.
 */
export const ATTENDANCE_GIVE_UP_MS = 24 * 3_600_000;

/**
 * So long after the last scheduled end that every session has ended and settled (whatever ran
 * over), so the attendance is final without asking GoTo for its sessions.
 */
export const LONG_PAST_MS = 2 * ATTENDANCE_GIVE_UP_MS;

/** The last scheduled session ended LONG_PAST_MS ago or more. */
export function isLongPast(scheduled: WebinarSessionTime[], now: Date): boolean {
  if (scheduled.length === 0) return false;
  const lastScheduledEnd = Math.max(...scheduled.map((s) => Date.parse(s.endTime)));
  return now.getTime() - lastScheduledEnd >= LONG_PAST_MS;
}

export interface AttendanceEvidence {
  /** The webinar's scheduled sessions (every one of a sequence). */
  scheduled: WebinarSessionTime[];
  /** GoTo's completed sessions of the webinar. */
  completed: GotoSession[];
  /** GoTo's attendees of all its sessions (one row per person and session). */
  attendees: GotoAttendee[];
  now: Date;
}

/**
 * Final when the last scheduled session's time is over, GoTo reports as many completed sessions as
 * were scheduled (or the last scheduled end is ATTENDANCE_GIVE_UP_MS ago), and every completed
 * session has settled: it ended at least SESSION_SETTLE_MS ago and has attendees in the report, or
 * ended at least ATTENDANCE_GIVE_UP_MS ago. A session still running (late start, overrun) is not
 * completed yet, so its webinar is not final.
 */
export function isAttendanceFinal(e: AttendanceEvidence): boolean {
  const now = e.now.getTime();
  if (e.scheduled.length === 0) return false;
  const lastScheduledEnd = Math.max(...e.scheduled.map((s) => Date.parse(s.endTime)));
  if (now < lastScheduledEnd) return false;
  const givenUp = now - lastScheduledEnd >= ATTENDANCE_GIVE_UP_MS;
  if (e.completed.length < e.scheduled.length && !givenUp) return false;
  const attended = new Set(e.attendees.map((a) => a.sessionKey));
  return e.completed.every((s) => {
    const end = s.endTime?.getTime();
    if (end === undefined || !Number.isFinite(end)) return givenUp;
    if (now - end < SESSION_SETTLE_MS) return false;
    return attended.has(s.sessionKey) || now - end >= ATTENDANCE_GIVE_UP_MS;
  });
}
