// Generated sessions and attendees: one completed session per scheduled time that has ended, and
// its attendees (some approved registrants plus a few unregistered people), rebuilt per read.
import { iso } from './sim-dataset';
import { asciiName, registrantStatus } from './sim-dataset-registrants';
import { Rand, makeKey, mix } from './sim-random';
import { SimAttendee, SimRegistrant, SimSession, SimSessionTimes, SimWebinar } from './sim-types';
import { FIRST_NAMES, LAST_NAMES } from './sim-word-lists';

const attends = (seed: number, webinar: SimWebinar, i: number, k: number) =>
  mix(seed, 50, webinar.genId, i, k) % 100 < 55;
const extraAttendees = (seed: number, webinar: SimWebinar, k: number) =>
  mix(seed, 52, webinar.genId, k) % 3;

/**
 * Number of generated registrants who attend the session for time k (same rule as
 * generateAttendees, without its unregistered extras): GoTo's `registrantsAttended`.
 */
export function countGeneratedRegistrantAttendees(
  seed: number,
  webinar: SimWebinar,
  k: number,
): number {
  let n = 0;
  for (let i = 0; i < webinar.generatedRegistrants; i++) {
    if (attends(seed, webinar, i, k) && registrantStatus(seed, webinar, i) === 'APPROVED') n++;
  }
  return n;
}

/**
 * Completed sessions: one per scheduled time whose session has actually ended, with actual times
 * slightly off the schedule (up to 3 min late, 5 min early to 10 min over) or as set through the
 * control API (`actual`: late starts, overruns, a session still running). A session that is still
 * running is not completed, whatever the schedule says.
 */
export function generateSessions(
  seed: number,
  webinar: SimWebinar,
  nowMs: number,
  actual?: ReadonlyMap<number, SimSessionTimes>,
): SimSession[] {
  const out: SimSession[] = [];
  webinar.times.forEach((_t, k) => {
    const a = actualTimes(seed, webinar, k, actual?.get(k));
    if (a.start > nowMs || a.end === null || a.end > nowMs) return; // not held yet, or running
    out.push({
      sessionKey: sessionKeyFor(seed, webinar, k),
      webinarKey: webinar.webinarKey,
      timeIndex: k,
      startTime: a.startText,
      endTime: a.endText!,
    });
  });
  return out;
}

/** Whether one of the webinar's sessions is running now (started, not yet ended). */
export function sessionRunning(
  seed: number,
  webinar: SimWebinar,
  nowMs: number,
  actual?: ReadonlyMap<number, SimSessionTimes>,
): boolean {
  return webinar.times.some((_t, k) => {
    const a = actualTimes(seed, webinar, k, actual?.get(k));
    return a.start <= nowMs && (a.end === null || nowMs < a.end);
  });
}

interface ActualTimes {
  start: number;
  /** null: running with no end set. */
  end: number | null;
  startText: string;
  endText: string | null;
}

/** When the session of time k really starts and ends: as set, else generated around the schedule. */
function actualTimes(
  seed: number,
  webinar: SimWebinar,
  k: number,
  set: SimSessionTimes | undefined,
): ActualTimes {
  if (set) {
    return {
      start: Date.parse(set.startTime),
      end: set.endTime === null ? null : Date.parse(set.endTime),
      startText: set.startTime,
      endText: set.endTime,
    };
  }
  const t = webinar.times[k];
  const rng = new Rand(mix(seed, 40, webinar.genId, k));
  const start = Date.parse(t.startTime) + rng.int(0, 180) * 1000 + rng.int(0, 999);
  const end = Date.parse(t.endTime) + rng.int(-300, 600) * 1000 + rng.int(0, 999);
  const withMs = rng.chance(0.5);
  return { start, end, startText: iso(start, withMs), endText: iso(end, withMs) };
}

export function sessionKeyFor(seed: number, webinar: SimWebinar, timeIndex: number): string {
  return makeKey(seed, 41, webinar.genId, timeIndex);
}

/** Attendees of one generated session: some approved registrants, plus a few unregistered people. */
export function generateAttendees(
  seed: number,
  webinar: SimWebinar,
  session: SimSession,
  registrants: SimRegistrant[],
): SimAttendee[] {
  const out: SimAttendee[] = [];
  const start = Date.parse(session.startTime);
  const end = Date.parse(session.endTime);
  const k = session.timeIndex;
  registrants.forEach((r, i) => {
    if (r.status !== 'APPROVED' || !attends(seed, webinar, i, k)) return;
    out.push(attendee(seed, r, session, start, end, mix(seed, 51, webinar.genId, i, k)));
  });
  const extras = extraAttendees(seed, webinar, k);
  for (let x = 0; x < extras; x++) {
    const h = mix(seed, 53, webinar.genId, k, x);
    const firstName = FIRST_NAMES[h % FIRST_NAMES.length];
    const lastName = LAST_NAMES[(h >>> 8) % LAST_NAMES.length];
    const person = {
      registrantKey: makeKey(seed, 54, webinar.genId, k, x),
      firstName,
      lastName,
      email: `${asciiName(firstName)}.walkin${h % 1000}@example.com`,
    };
    out.push(attendee(seed, person, session, start, end, h));
  }
  return out;
}

interface Person {
  registrantKey: string;
  firstName: string;
  lastName: string;
  email: string;
}

function attendee(
  seed: number,
  p: Person,
  session: SimSession,
  start: number,
  end: number,
  h: number,
): SimAttendee {
  const rng = new Rand(mix(seed, 55, h));
  const span = Math.max(60_000, end - start);
  const join = start + Math.floor(rng.next() * 0.3 * span);
  const leave = join + Math.floor((0.2 + rng.next() * 0.8) * (end - join));
  const withMs = rng.chance(0.5);
  // The instant iso(ms, withMs) shows (its milliseconds dropped or not): the seconds add up to the
  // times in the row, without parsing them back.
  const shown = (ms: number) => (withMs ? ms : Math.floor(ms / 1000) * 1000);
  const spans = [[join, leave]];
  if (rng.chance(0.2) && leave + 120_000 < end) {
    const rejoin = leave + rng.int(60, 120) * 1000;
    spans.push([rejoin, end]);
  }
  const attendance = spans.map(([j, l]) => ({
    joinTime: iso(j, withMs),
    leaveTime: iso(l, withMs),
  }));
  const seconds = spans.reduce((s, [j, l]) => s + Math.round((shown(l) - shown(j)) / 1000), 0);
  // Object.assign, not `{ ...p, sessionKey, … }`: V8 builds a new hidden class for every object
  // that gets properties added after a spread (~10x slower per attendee). Same keys, same order.
  return Object.assign({}, p, {
    sessionKey: session.sessionKey,
    attendanceTimeInSeconds: seconds,
    attendance,
  });
}
