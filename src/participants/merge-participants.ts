// Pure: GoTo registrants + attendees of one webinar -> one participant per person.
// Matching order: registrant key, then normalized email (trimmed, lower-cased). Nothing here
// touches the database or the network, so every rule is unit-tested (merge-participants.spec.ts).
import { floorToSecond } from '../database/datetime';
import { GotoAttendee, GotoRegistrant } from '../goto-webinar/goto-webinar.types';
import { RegistrationStatus } from './webinar-participant.entity';

export interface MergedParticipant {
  /** Normalized: trimmed, NFC, lower-cased. The subscriber's identity within the account. */
  email: string;
  firstName: string | null;
  lastName: string | null;
  registrantKey: string | null;
  registrationStatus: RegistrationStatus;
  registeredAt: Date | null;
  attended: boolean;
  attendanceSeconds: number;
  sessionsAttended: number;
  firstJoinedAt: Date | null;
  lastLeftAt: Date | null;
}

export type SkipReason = 'invalid_email' | 'absurd_value' | 'unknown_status';

export interface MergeResult {
  participants: MergedParticipant[];
  /** Records (registrant or attendee rows) left out, by reason. */
  skipped: Record<SkipReason, number>;
  /** Rows read from GoTo. */
  registrantsRead: number;
  attendeeRowsRead: number;
}

export const EMAIL_MAX = 320;
export const NAME_MAX = 200;
// One attendance row is one session; nobody sits in one session for more than a week.
const MAX_SESSION_SECONDS = 7 * 86_400;
// Dates outside this range are not GoTo data but garbage (epoch zero, year 9999, ...).
const MIN_DATE_MS = Date.UTC(2000, 0, 1);
const MAX_DATE_MS = Date.UTC(2100, 0, 1);

// Deliberately simple: one @, no spaces, a dot in the domain, no leading/trailing dot.
const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const ASCII = /^[ -~]*$/; // printable ASCII

/** Trimmed, NFC, lower-cased; null when it is not a usable address. */
export function normalizeEmail(raw: string | undefined | null): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  // NFC changes nothing in plain ASCII (nearly every address): skip its cost there.
  const email = (ASCII.test(trimmed) ? trimmed : trimmed.normalize('NFC')).toLowerCase();
  if (email.length === 0 || email.length > EMAIL_MAX || !EMAIL_RE.test(email)) return null;
  return email;
}

function cleanName(v: string | undefined): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s.length === 0 ? null : s.slice(0, NAME_MAX);
}

function saneDate(d: Date | undefined): Date | null | 'absurd' {
  if (d === undefined) return null;
  const t = d.getTime();
  if (!Number.isFinite(t) || t < MIN_DATE_MS || t > MAX_DATE_MS) return 'absurd';
  // Stored to the second (DATETIME without fraction), so they compare exactly.
  return floorToSecond(d);
}

const STATUS_RANK: Record<RegistrationStatus, number> = {
  approved: 3,
  waiting: 2,
  denied: 1,
  cancelled: 0,
};

function registrationStatus(r: GotoRegistrant): RegistrationStatus | null {
  if (r.status === 'APPROVED' || (r.status === undefined && r.rawStatus === undefined))
    return 'approved';
  if (r.status === 'WAITING') return 'waiting';
  if (r.status === 'DENIED') return 'denied';
  if (r.rawStatus === 'CANCELLED' || r.rawStatus === 'CANCELED') return 'cancelled';
  return null;
}

/** What an attendee's rows have added up to so far. */
interface Attendance {
  sessions: Set<string>;
  // (registrantKey|sessionKey) already counted, so a row repeated across pages counts once.
  rows: Set<string>;
}

function newParticipant(
  email: string,
  names: { firstName?: string; lastName?: string },
  registrantKey: string | null,
  registrationStatus: RegistrationStatus,
  registeredAt: Date | null,
): MergedParticipant {
  return {
    email,
    firstName: cleanName(names.firstName),
    lastName: cleanName(names.lastName),
    registrantKey,
    registrationStatus,
    registeredAt,
    attended: false,
    attendanceSeconds: 0,
    sessionsAttended: 0,
    firstJoinedAt: null,
    lastLeftAt: null,
  };
}

export function mergeParticipants(
  registrants: GotoRegistrant[],
  attendees: GotoAttendee[],
): MergeResult {
  const skipped: Record<SkipReason, number> = {
    invalid_email: 0,
    absurd_value: 0,
    unknown_status: 0,
  };
  const byEmail = new Map<string, MergedParticipant>();
  const byKey = new Map<string, MergedParticipant>();
  // Only for attendees (created on their first attendance row).
  const attendance = new Map<MergedParticipant, Attendance>();

  for (const r of registrants) {
    const email = normalizeEmail(r.email);
    if (!email) {
      skipped.invalid_email++;
      continue;
    }
    const status = registrationStatus(r);
    if (!status) {
      skipped.unknown_status++;
      continue;
    }
    const registeredAt = saneDate(r.registrationDate);
    if (registeredAt === 'absurd') {
      skipped.absurd_value++;
      continue;
    }
    const existing = byEmail.get(email);
    if (existing) {
      // The same person registered twice (e.g. different casing): one participant, the best
      // registration status, the earliest registration, names from the first record that has them.
      if (STATUS_RANK[status] > STATUS_RANK[existing.registrationStatus]) {
        existing.registrationStatus = status;
        existing.registrantKey = r.registrantKey;
      }
      if (registeredAt && (!existing.registeredAt || registeredAt < existing.registeredAt))
        existing.registeredAt = registeredAt;
      existing.firstName ??= cleanName(r.firstName);
      existing.lastName ??= cleanName(r.lastName);
      byKey.set(r.registrantKey, existing);
      continue;
    }
    const p = newParticipant(email, r, r.registrantKey, status, registeredAt);
    byEmail.set(email, p);
    byKey.set(r.registrantKey, p);
  }

  for (const a of attendees) {
    const seconds = attendanceSeconds(a);
    if (seconds === null) {
      skipped.absurd_value++;
      continue;
    }
    const intervals = attendanceIntervals(a);
    if (intervals === 'absurd') {
      skipped.absurd_value++;
      continue;
    }
    let p = a.registrantKey ? byKey.get(a.registrantKey) : undefined;
    if (!p) {
      const email = normalizeEmail(a.email);
      if (!email) {
        skipped.invalid_email++;
        continue;
      }
      p = byEmail.get(email);
      if (!p) {
        // Attended without being in the registrant list: a participant all the same.
        p = newParticipant(email, a, a.registrantKey ?? null, 'approved', null);
        byEmail.set(email, p);
      }
      if (a.registrantKey) byKey.set(a.registrantKey, p);
    }
    const session = a.sessionKey ?? '';
    const rowId = `${a.registrantKey ?? a.email ?? ''}|${session}`;
    let seen = attendance.get(p);
    if (!seen) attendance.set(p, (seen = { sessions: new Set(), rows: new Set() }));
    if (seen.rows.has(rowId)) continue;
    seen.rows.add(rowId);
    p.attended = true;
    seen.sessions.add(session);
    p.sessionsAttended = seen.sessions.size;
    p.attendanceSeconds += seconds;
    for (const i of intervals) {
      if (i.join && (!p.firstJoinedAt || i.join < p.firstJoinedAt)) p.firstJoinedAt = i.join;
      if (i.leave && (!p.lastLeftAt || i.leave > p.lastLeftAt)) p.lastLeftAt = i.leave;
    }
  }

  return {
    participants: [...byEmail.values()],
    skipped,
    registrantsRead: registrants.length,
    attendeeRowsRead: attendees.length,
  };
}

/** Seconds of one attendance row: GoTo's total, else the sum of its intervals; null if absurd. */
function attendanceSeconds(a: GotoAttendee): number | null {
  let s = a.attendanceTimeInSeconds;
  if (s === undefined) {
    s = 0;
    for (const i of a.attendance) {
      if (i.joinTime && i.leaveTime)
        s += Math.max(0, Math.round((i.leaveTime.getTime() - i.joinTime.getTime()) / 1000));
    }
  }
  if (!Number.isFinite(s) || s < 0 || s > MAX_SESSION_SECONDS) return null;
  return Math.round(s);
}

function attendanceIntervals(
  a: GotoAttendee,
): Array<{ join: Date | null; leave: Date | null }> | 'absurd' {
  const out: Array<{ join: Date | null; leave: Date | null }> = [];
  for (const i of a.attendance) {
    const join = saneDate(i.joinTime);
    const leave = saneDate(i.leaveTime);
    if (join === 'absurd' || leave === 'absurd') return 'absurd';
    if (join && leave && leave < join) return 'absurd';
    out.push({ join, leave });
  }
  return out;
}
