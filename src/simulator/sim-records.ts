// The records the dataset's changes add: a registrant, an attendance, a session, a webinar.
import { iso, joinUrl } from './sim-dataset';
import { sessionKeyFor } from './sim-dataset-sessions';
import { SimInputError } from './sim-errors';
import { makeDigits, makeKey } from './sim-random';
import { AddRegistrantInput, AddWebinarInput } from './sim-store-inputs';
import {
  SimAttendee,
  SimOrganizer,
  SimRegistrant,
  SimSession,
  SimTime,
  SimWebinar,
} from './sim-types';

const DAY = 86_400_000;

export type AttendeePerson = Pick<
  SimAttendee,
  'registrantKey' | 'firstName' | 'lastName' | 'email'
>;

/** Checks the required fields of a registrant (before anything else is looked at). */
export function checkRegistrantInput(input: AddRegistrantInput): void {
  for (const f of ['firstName', 'lastName', 'email'] as const) {
    if (typeof input[f] !== 'string' || input[f].trim() === '')
      throw new SimInputError(`${f} is required`);
  }
}

/** The `n`th change's registrant of `w`, registered at `nowMs`. */
export function newRegistrant(
  seed: number,
  w: SimWebinar,
  n: number,
  input: AddRegistrantInput,
  nowMs: number,
): SimRegistrant {
  const registrantKey = makeKey(seed, 60, w.genId, n);
  return {
    registrantKey,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email,
    status: input.status ?? (w.approvalType === 'MANUAL' ? 'WAITING' : 'APPROVED'),
    registrationDate: iso(nowMs, true),
    joinUrl: joinUrl(w, registrantKey),
    timeZone: input.timeZone ?? w.timeZone,
    source: 'api',
  };
}

/** The key of the `n`th change's unregistered attendee of `w`. */
export const unregisteredKey = (seed: number, w: SimWebinar, n: number): string =>
  makeKey(seed, 61, w.genId, n);

/** `person` attended `session` from a minute after its start, by default for half of it. */
export function newAttendance(
  person: AttendeePerson,
  session: SimSession,
  attendanceTimeInSeconds: number | undefined,
): SimAttendee {
  const start = Date.parse(session.startTime);
  const seconds =
    attendanceTimeInSeconds ??
    Math.max(60, Math.round((Date.parse(session.endTime) - start) / 2000));
  return {
    ...person,
    sessionKey: session.sessionKey,
    attendanceTimeInSeconds: seconds,
    attendance: [
      {
        joinTime: iso(start + 60_000, false),
        leaveTime: iso(start + 60_000 + seconds * 1000, false),
      },
    ],
  };
}

/** The session of time #k of `w`, completed at the scheduled time. */
export function newSession(seed: number, w: SimWebinar, k: number, t: SimTime): SimSession {
  return {
    sessionKey: sessionKeyFor(seed, w, k),
    webinarKey: w.webinarKey,
    timeIndex: k,
    ...t,
  };
}

/** The `n`th change's webinar of `org`, created a day before `nowMs`. */
export function newWebinar(
  seed: number,
  org: SimOrganizer,
  n: number,
  input: AddWebinarInput,
  nowMs: number,
): SimWebinar {
  const genId = 4_000_000_000 + n;
  const times = normalizeTimes(input.times ?? []);
  return {
    webinarKey: makeKey(seed, 25, genId),
    webinarId: makeDigits(9, seed, 26, genId),
    organizerKey: org.organizerKey,
    accountKey: org.accountKey,
    subject: input.subject ?? `Added webinar ${n}`,
    description: input.description ?? '',
    times,
    timeZone: input.timeZone ?? org.timeZone,
    locale: org.locale,
    approvalType: input.approvalType ?? 'AUTOMATIC',
    recurrenceType: input.recurrenceType ?? (times.length > 1 ? 'sequence' : 'single_session'),
    recurrenceKey: input.recurrenceKey,
    experienceType: input.experienceType ?? 'CLASSIC',
    status: 'active',
    generatedRegistrants: input.registrants ?? 0,
    ...(input.registrationLimit !== undefined
      ? { registrationLimit: input.registrationLimit }
      : {}),
    genId,
    createTime: iso(nowMs - DAY, true),
  };
}

export function normalizeTimes(times: SimTime[]): SimTime[] {
  if (!Array.isArray(times) || times.length === 0)
    throw new SimInputError('times must be a non-empty array');
  return times.map((t) => {
    const s = Date.parse(t.startTime);
    const e = Date.parse(t.endTime);
    if (Number.isNaN(s) || Number.isNaN(e) || e <= s)
      throw new SimInputError('each time needs startTime < endTime');
    return { startTime: iso(s, false), endTime: iso(e, false) };
  });
}
