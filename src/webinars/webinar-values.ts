// Pure rules of a webinar's stored values: a GoTo webinar -> the values we store, the comparison that
// decides whether to write, and what its session times say.
import { floorToSecond } from '../database/datetime';
import { GotoWebinar } from '../goto-webinar/goto-webinar.types';
import { WebinarSessionTime, WebinarStatus } from './webinar.entity';

export interface WebinarValues {
  webinarKey: string;
  subject: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string | null;
  recurrenceType: string;
  sessions: WebinarSessionTime[];
  registrationUrl: string | null;
  status: WebinarStatus;
}

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

const clip = (s: string | undefined, max: number): string | null => {
  const t = s?.trim();
  return t ? t.slice(0, max) : null;
};

/**
 * The stored form of a webinar, or a reason it cannot be stored (no usable session times).
 * Status: `ended` once its last session has ended, else `scheduled` (cancelled is decided by
 * the import, when GoTo stops returning it).
 */
export function toWebinarValues(w: GotoWebinar, now: Date): WebinarValues | { invalid: string } {
  const times = w.times
    .filter(
      (t) => valid(t.startTime) && valid(t.endTime) && t.endTime.getTime() >= t.startTime.getTime(),
    )
    .map((t) => ({ start: floorToSecond(t.startTime), end: floorToSecond(t.endTime) }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  if (times.length === 0 || times.length !== w.times.length)
    return { invalid: 'missing or invalid session times' };
  const startsAt = times[0].start;
  const endsAt = new Date(Math.max(...times.map((t) => t.end.getTime())));
  return {
    webinarKey: w.webinarKey,
    subject: clip(w.subject, 500) ?? '(no subject)',
    description: w.description?.trim() ? w.description : null,
    startsAt,
    endsAt,
    timeZone: clip(w.timeZone, 64),
    recurrenceType: w.recurrenceType ?? 'single_session',
    sessions: times.map((t) => ({
      startTime: t.start.toISOString(),
      endTime: t.end.toISOString(),
    })),
    registrationUrl: clip(w.registrationUrl, 1000),
    status: endsAt.getTime() <= now.getTime() ? 'ended' : 'scheduled',
  };
}

function valid(d: Date | undefined): d is Date {
  const t = d?.getTime();
  return t !== undefined && Number.isFinite(t) && t >= MIN_MS && t <= MAX_MS;
}

/**
 * The organizer that owns a webinar row (keyed by account and webinar key) after `organizerId`'s
 * import saw it. Stable when two organizers of the account see the same webinar: the organizer
 * GoTo names as its `organizerKey` takes it; otherwise the stored owner keeps it (the first that
 * imported it), unless the row is cancelled (its owner no longer lists it, this one still does).
 */
export function webinarOwner(
  stored: Pick<StoredWebinar, 'organizerId' | 'status'> | undefined,
  organizerId: number,
  gotoNamesThisOrganizer: boolean,
): number {
  if (!stored || gotoNamesThisOrganizer || stored.status === 'cancelled') return organizerId;
  return stored.organizerId;
}

/** True when the stored row already holds these values (so nothing is written). */
export function sameWebinar(stored: StoredWebinar, v: WebinarValues, organizerId: number): boolean {
  return (
    stored.organizerId === organizerId &&
    stored.subject === v.subject &&
    (stored.description ?? null) === v.description &&
    stored.startsAt === v.startsAt.getTime() &&
    stored.endsAt === v.endsAt.getTime() &&
    (stored.timeZone ?? null) === v.timeZone &&
    stored.recurrenceType === v.recurrenceType &&
    stored.sessionsJson === JSON.stringify(v.sessions) &&
    (stored.registrationUrl ?? null) === v.registrationUrl &&
    stored.status === v.status
  );
}

export interface StoredWebinar {
  id: number;
  webinarKey: string;
  organizerId: number;
  subject: string;
  description: string | null;
  startsAt: number;
  endsAt: number;
  timeZone: string | null;
  recurrenceType: string;
  sessionsJson: string;
  registrationUrl: string | null;
  status: WebinarStatus;
  participantsSyncedAt: number | null;
  /** The row's last change (epoch ms). */
  updatedAt: number;
  attendanceFinalAt: number | null;
  participantsCheckedAt: number | null;
}

/** Whether a scheduled session has started: before that GoTo can have no completed session. */
export function hasStartedSession(sessions: WebinarSessionTime[], now: Date): boolean {
  return sessions.some((s) => Date.parse(s.startTime) <= now.getTime());
}

/** Whether any session starts within [from, to]: GoTo's list returns exactly those. */
export function startsWithin(sessions: WebinarSessionTime[], from: Date, to: Date): boolean {
  return sessions.some((s) => {
    const t = Date.parse(s.startTime);
    return t >= from.getTime() && t <= to.getTime();
  });
}
