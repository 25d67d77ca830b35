// Generated registrants: rebuilt per read from (seed, webinar, index), so a 1000 x 1000 dataset costs
// almost no memory. Emails overlap across webinars; a few are duplicates or invalid on purpose.
import { iso, joinUrl } from './sim-dataset';
import { Rand, makeKey, mix } from './sim-random';
import { SimRegistrant, SimRegistrantStatus, SimWebinar } from './sim-types';
import { DOMAINS, FIRST_NAMES, LAST_NAMES, TIME_ZONES } from './sim-word-lists';

/** Registrant i of a webinar. Emails overlap across webinars (a shared pool of people). */
export function generateRegistrant(
  seed: number,
  webinar: SimWebinar,
  i: number,
  nowMs: number,
  firstStartMs = Date.parse(webinar.times[0].startTime),
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
    const prev = generateRegistrant(seed, webinar, i - 1, nowMs, firstStartMs);
    email = prev.email.toUpperCase();
  } else if (h % 97 === 3) {
    email = rng.pick(['', ' ', 'not-an-email', 'missing-at.example.com']);
  }
  const status = registrantStatus(seed, webinar, i);
  const registeredMs = Math.min(
    firstStartMs - rng.int(600, 40 * 86_400) * 1000,
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

/** asciiName of the word lists' names, computed once each (names come from a finite list). */
const asciiNames = new Map<string, string>();

export function asciiName(s: string): string {
  let ascii = asciiNames.get(s);
  if (ascii === undefined) {
    const plain = s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z]/g, '');
    // Copied through latin1: the replace of a two-byte name (Łukasz) gives a two-byte string even
    // when all that is left is ASCII, and one such email made every row and list two-byte.
    ascii =
      plain.length > 0 ? Buffer.from(plain.toLowerCase(), 'latin1').toString('latin1') : 'user';
    if (asciiNames.size < 10_000) asciiNames.set(s, ascii);
  }
  return ascii;
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

export function generateRegistrants(
  seed: number,
  webinar: SimWebinar,
  nowMs: number,
): SimRegistrant[] {
  const firstStartMs = Date.parse(webinar.times[0].startTime);
  return Array.from({ length: webinar.generatedRegistrants }, (_, i) =>
    generateRegistrant(seed, webinar, i, nowMs, firstStartMs),
  );
}
