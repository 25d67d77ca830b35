// The seeded generator: organizers and webinars, built once (they are few). Registrants
// (sim-dataset-registrants.ts), sessions and attendees (sim-dataset-sessions.ts) are rebuilt per
// request from (seed, webinar, index), so a 1000 x 1000 dataset costs almost no memory.
import { Rand, makeDigits, makeKey, mix } from './sim-random';
import { SimOrganizer, SimRecurrenceType, SimTime, SimWebinar } from './sim-types';
import {
  EXPERIENCES,
  FIRST_NAMES,
  LAST_NAMES,
  LOCALES,
  SUBJECTS,
  TIME_ZONES,
} from './sim-word-lists';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const ACCOUNT_NAME = 'Example Inc';

/** 'YYYY-MM-DDT' per day number: toISOString costs ~0.5 µs a call, and a dataset spans few days. */
const datePrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** ISO-8601 UTC with `Z`; `withMs` false drops the milliseconds (both forms occur on the real API). */
export function iso(ms: number, withMs: boolean): string {
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15) {
    // Outside the cached arithmetic's domain (fractional, invalid): toISOString decides, or throws.
    const s = new Date(ms).toISOString();
    return withMs ? s : `${s.slice(0, -5)}Z`; // toISOString always ends in `.sssZ`
  }
  const day = Math.floor(ms / DAY);
  let date = datePrefixes.get(day);
  if (date === undefined) {
    if (datePrefixes.size >= 100_000) datePrefixes.clear();
    date = new Date(day * DAY).toISOString().slice(0, -13); // without `HH:mm:ss.sssZ`
    datePrefixes.set(day, date);
  }
  const t = ms - day * DAY;
  const time = `${pad2(Math.floor(t / HOUR))}:${pad2(Math.floor(t / MINUTE) % 60)}:${pad2(Math.floor(t / 1000) % 60)}`;
  return withMs ? `${date}${time}.${pad3(t % 1000)}Z` : `${date}${time}Z`;
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
