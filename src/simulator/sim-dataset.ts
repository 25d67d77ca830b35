// The seeded generator. Organizers and webinars are built once (they are few); registrants and
// attendees are rebuilt per request from (seed, webinar, index), so a 1000 x 1000 dataset costs
// almost no memory.
import { Rand, makeDigits, makeKey, mix } from './sim-random';
import {
  SimAttendee,
  SimOrganizer,
  SimRecurrenceType,
  SimRegistrant,
  SimRegistrantStatus,
  SimSession,
  SimTime,
  SimWebinar,
} from './sim-types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const FIRST_NAMES = [
  'Ada',
  'José',
  'Zoë',
  'Łukasz',
  'Søren',
  'Renée',
  'Mia',
  'Noah',
  'Aiko',
  'Дмитрий',
  '李',
  'Ömer',
  'Chloé',
  'Liam',
  'Ingrid',
  'Siobhán',
  'Mateo',
  'Fatima',
  'Björn',
  'Élodie',
];
const LAST_NAMES = [
  'Lovelace',
  'García',
  'Müller',
  'Nowak',
  'Ødegaard',
  "O'Brien",
  'Dubois',
  'Smith',
  'Tanaka',
  'Иванов',
  '王',
  'Çelik',
  'Rossi',
  'Kowalski',
  'Nguyễn',
  'Schmidt',
  'Fernández',
  'Jensen',
  'Brown',
  'Łęcka',
];
const DOMAINS = ['example.com', 'Example.org', 'mail.example.net', 'firma.example.de'];
const SUBJECTS = [
  'Product Update',
  'Onboarding Basics',
  'Security Deep Dive',
  'Customer Success Stories',
  'Quarterly Roadmap',
  'Ask Me Anything',
  'Webinar für Einsteiger',
  'Analytics Masterclass',
  'Release Notes Live',
  'Partner Summit',
];
const TIME_ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Europe/London',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'America/Bogota',
];
const LOCALES = ['en_US', 'de_DE', 'es_ES', 'fr_FR', 'it_IT', 'zh_CN'];
const EXPERIENCES = ['CLASSIC', 'CLASSIC', 'CLASSIC', 'BROADCAST', 'SIMULIVE'];

export const ACCOUNT_NAME = 'Example Inc';

/** ISO-8601 UTC with `Z`; `withMs` false drops the milliseconds (both forms occur on the real API). */
export function iso(ms: number, withMs: boolean): string {
  const s = new Date(ms).toISOString();
  return withMs ? s : s.replace(/\.\d{3}Z$/, 'Z');
}

export function generateOrganizers(seed: number, count: number): SimOrganizer[] {
  const accountKey = makeKey(seed, 10);
  return Array.from({ length: count }, (_, i) => {
    const rng = new Rand(mix(seed, 11, i));
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length];
    const lastName = LAST_NAMES[(i * 7 + 3) % LAST_NAMES.length];
    return {
      organizerKey: makeKey(seed, 12, i),
      accountKey,
      accountName: ACCOUNT_NAME,
      email: `organizer${i + 1}@example.com`,
      password: `organizer${i + 1}-password`,
      personalAccessToken: `pat-${makeDigits(12, seed, 13, i)}-${(mix(seed, 14, i) + 0x10000000).toString(36)}`,
      firstName,
      lastName,
      locale: i === 0 ? 'en_US' : rng.pick(LOCALES),
      timeZone: i === 0 ? 'America/New_York' : rng.pick(TIME_ZONES),
      removed: false,
    };
  });
}

interface WebinarPlan {
  recurrenceType: SimRecurrenceType;
  recurrenceKey?: string;
  times: SimTime[];
}

function planWebinar(seed: number, orgIndex: number, j: number, anchorMs: number): WebinarPlan {
  const rng = new Rand(mix(seed, 20, orgIndex, j));
  const block = Math.floor(j / 3);
  // Series: three consecutive webinars with their own keys, sharing a recurrenceKey, a week apart.
  if (mix(seed, 21, orgIndex, block) % 7 === 0) {
    const brng = new Rand(mix(seed, 22, orgIndex, block));
    const base = startOffset(brng, anchorMs) + (j % 3) * 7 * DAY;
    const duration = brng.pick([45, 60]) * MINUTE;
    return {
      recurrenceType: 'series',
      recurrenceKey: makeKey(seed, 23, orgIndex, block),
      times: [time(base, duration)],
    };
  }
  const start = startOffset(rng, anchorMs);
  const duration = rng.pick([30, 45, 60, 90]) * MINUTE;
  if (rng.chance(0.2)) {
    const count = rng.int(2, 3);
    const gap = rng.pick([1, 7]) * DAY;
    const times = Array.from({ length: count }, (_, k) => time(start + k * gap, duration));
    return { recurrenceType: 'sequence', times };
  }
  return { recurrenceType: 'single_session', times: [time(start, duration)] };
}

function startOffset(rng: Rand, anchorMs: number): number {
  // Mostly within a year around now, a few further out.
  const days = rng.chance(0.05) ? rng.pick([-1, 1]) * rng.int(366, 800) : rng.int(-365, 365);
  const dayStart = Math.floor(anchorMs / DAY) * DAY;
  return dayStart + days * DAY + rng.int(8, 18) * HOUR + rng.pick([0, 0, 15, 30]) * MINUTE;
}

function time(startMs: number, durationMs: number): SimTime {
  return { startTime: iso(startMs, false), endTime: iso(startMs + durationMs, false) };
}

export function generateWebinars(
  seed: number,
  org: SimOrganizer,
  orgIndex: number,
  count: number,
  registrants: number,
  anchorMs: number,
): SimWebinar[] {
  return Array.from({ length: count }, (_, j) => {
    const plan = planWebinar(seed, orgIndex, j, anchorMs);
    const rng = new Rand(mix(seed, 24, orgIndex, j));
    const genId = orgIndex * 1_000_000 + j;
    const firstStart = Date.parse(plan.times[0].startTime);
    return {
      webinarKey: makeKey(seed, 25, genId),
      webinarId: makeDigits(9, seed, 26, genId),
      organizerKey: org.organizerKey,
      accountKey: org.accountKey,
      subject: `${rng.pick(SUBJECTS)} #${j + 1}`,
      description: rng.chance(0.3)
        ? ''
        : `Session ${j + 1} of ${org.firstName}'s programme – Ümlauts & “quotes” welcome.`,
      times: plan.times,
      timeZone: rng.pick(TIME_ZONES),
      locale: rng.pick(LOCALES),
      approvalType: rng.chance(0.1) ? 'MANUAL' : 'AUTOMATIC',
      recurrenceType: plan.recurrenceType,
      recurrenceKey: plan.recurrenceKey,
      experienceType: rng.pick(EXPERIENCES),
      status: 'active',
      generatedRegistrants: registrants,
      genId,
      createTime: iso(firstStart - rng.int(20, 60) * DAY - rng.int(0, 86_399_999), true),
    };
  });
}

export function joinUrl(webinar: SimWebinar, registrantKey: string): string {
  return `https://global.gotowebinar.com/join/${webinar.webinarKey}/${registrantKey.slice(-9)}`;
}

/** Registrant i of a webinar. Emails overlap across webinars (a shared pool of people). */
export function generateRegistrant(
  seed: number,
  webinar: SimWebinar,
  i: number,
  nowMs: number,
): SimRegistrant {
  const h = mix(seed, 30, webinar.genId, i);
  const rng = new Rand(h);
  const pool = Math.max(60, webinar.generatedRegistrants * 3);
  const person = (webinar.genId % 997) * 13 + i;
  const p = person % pool;
  const firstName = FIRST_NAMES[p % FIRST_NAMES.length];
  const lastName = LAST_NAMES[Math.floor(p / FIRST_NAMES.length) % LAST_NAMES.length];
  let email = `${asciiName(firstName)}.${asciiName(lastName)}${p}@${DOMAINS[p % DOMAINS.length]}`;
  if (p % 5 === 0) email = email.charAt(0).toUpperCase() + email.slice(1);
  if (i > 0 && h % 37 === 5) {
    // Same person registered twice under a differently-cased address.
    const prev = generateRegistrant(seed, webinar, i - 1, nowMs);
    email = prev.email.toUpperCase();
  } else if (h % 97 === 3) {
    email = rng.pick(['', ' ', 'not-an-email', 'missing-at.example.com']);
  }
  const status = registrantStatus(seed, webinar, i);
  const firstStart = Date.parse(webinar.times[0].startTime);
  const registeredMs = Math.min(
    firstStart - rng.int(600, 40 * 86_400) * 1000,
    nowMs - rng.int(60, 86_400) * 1000,
  );
  const registrantKey = makeKey(seed, 31, webinar.genId, i);
  return {
    registrantKey,
    firstName,
    lastName,
    email,
    status,
    registrationDate: iso(registeredMs - rng.int(0, 999), rng.chance(0.7)),
    joinUrl: joinUrl(webinar, registrantKey),
    timeZone: rng.pick(TIME_ZONES),
    source: rng.pick(['', 'website', 'newsletter', 'linkedin']),
    organization: rng.chance(0.5) ? 'Example Corp' : '',
    jobTitle: rng.chance(0.5) ? 'Engineer' : '',
  };
}

function asciiName(s: string): string {
  const plain = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '');
  return plain.length > 0 ? plain.toLowerCase() : 'user';
}

/** Status from its own hash, so attendance can be counted without building registrants. */
export function registrantStatus(
  seed: number,
  webinar: SimWebinar,
  i: number,
): SimRegistrantStatus {
  const roll = mix(seed, 32, webinar.genId, i) / 4294967296;
  const manual = webinar.approvalType === 'MANUAL';
  return roll < (manual ? 0.6 : 0.88) ? 'APPROVED' : roll < 0.95 ? 'WAITING' : 'DENIED';
}

const attends = (seed: number, webinar: SimWebinar, i: number, k: number) =>
  mix(seed, 50, webinar.genId, i, k) % 100 < 55;
const extraAttendees = (seed: number, webinar: SimWebinar, k: number) =>
  mix(seed, 52, webinar.genId, k) % 3;

/** Number of generated attendees of the session for time k (same rule as generateAttendees). */
export function countGeneratedAttendees(seed: number, webinar: SimWebinar, k: number): number {
  let n = extraAttendees(seed, webinar, k);
  for (let i = 0; i < webinar.generatedRegistrants; i++) {
    if (attends(seed, webinar, i, k) && registrantStatus(seed, webinar, i) === 'APPROVED') n++;
  }
  return n;
}

export function generateRegistrants(
  seed: number,
  webinar: SimWebinar,
  nowMs: number,
): SimRegistrant[] {
  return Array.from({ length: webinar.generatedRegistrants }, (_, i) =>
    generateRegistrant(seed, webinar, i, nowMs),
  );
}

/** Completed sessions: one per scheduled time that has ended, with actual (slightly off) times. */
export function generateSessions(seed: number, webinar: SimWebinar, nowMs: number): SimSession[] {
  const out: SimSession[] = [];
  webinar.times.forEach((t, k) => {
    const end = Date.parse(t.endTime);
    if (end > nowMs) return;
    const rng = new Rand(mix(seed, 40, webinar.genId, k));
    const start = Date.parse(t.startTime) + rng.int(0, 180) * 1000 + rng.int(0, 999);
    const actualEnd = end + rng.int(-300, 600) * 1000 + rng.int(0, 999);
    const withMs = rng.chance(0.5);
    out.push({
      sessionKey: sessionKeyFor(seed, webinar, k),
      webinarKey: webinar.webinarKey,
      timeIndex: k,
      startTime: iso(start, withMs),
      endTime: iso(actualEnd, withMs),
    });
  });
  return out;
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
  const attendance = [{ joinTime: iso(join, withMs), leaveTime: iso(leave, withMs) }];
  if (rng.chance(0.2) && leave + 120_000 < end) {
    const rejoin = leave + rng.int(60, 120) * 1000;
    attendance.push({ joinTime: iso(rejoin, withMs), leaveTime: iso(end, withMs) });
  }
  const seconds = attendance.reduce(
    (s, a) => s + Math.round((Date.parse(a.leaveTime) - Date.parse(a.joinTime)) / 1000),
    0,
  );
  return { ...p, sessionKey: session.sessionKey, attendanceTimeInSeconds: seconds, attendance };
}
