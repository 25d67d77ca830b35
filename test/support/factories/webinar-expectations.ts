// Expectations computed from the simulator's dataset (never hand-copied from our output), with an
// implementation independent of src/participants/merge-participants.ts.
import { RunningSimulator, WebinarInfo } from '../../../src/simulator/simulator';

const DAY = 86_400_000;

export interface ExpectedParticipant {
  email: string;
  statusId: 1 | 2;
  registrationStatus: 'approved' | 'waiting' | 'denied';
  attendanceSeconds: number;
  sessionsAttended: number;
}

const validEmail = (e: string | undefined) => {
  const n = (e ?? '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(n) ? n : null;
};

/** Webinars GoTo lists for the organizer in the sync window around `now`. */
export function expectedWebinars(
  sim: RunningSimulator,
  organizerKey: string,
  now: Date,
  lookbackDays = 365,
  lookaheadDays = 365,
): WebinarInfo[] {
  const from = now.getTime() - lookbackDays * DAY;
  const to = now.getTime() + lookaheadDays * DAY;
  return sim.store
    .listWebinars(organizerKey)
    .filter(
      (w) =>
        w.status === 'active' &&
        w.times.some((t) => Date.parse(t.startTime) >= from && Date.parse(t.startTime) <= to),
    );
}

/** Participants of one webinar: one per valid normalized email among registrants and attendees. */
export function expectedParticipants(
  sim: RunningSimulator,
  webinarKey: string,
): Map<string, ExpectedParticipant> {
  const rank = { APPROVED: 3, WAITING: 2, DENIED: 1 } as const;
  const out = new Map<string, ExpectedParticipant>();
  const emailOfKey = new Map<string, string>();
  for (const r of sim.store.listRegistrants(webinarKey)) {
    const email = validEmail(r.email);
    if (!email) continue;
    emailOfKey.set(r.registrantKey, email);
    const status = r.status.toLowerCase() as ExpectedParticipant['registrationStatus'];
    const prev = out.get(email);
    if (prev && rank[prev.registrationStatus.toUpperCase() as keyof typeof rank] >= rank[r.status])
      continue;
    out.set(email, {
      email,
      statusId: 1,
      registrationStatus: status,
      attendanceSeconds: 0,
      sessionsAttended: 0,
    });
  }
  const sessionsOf = new Map<string, Set<string>>();
  for (const a of sim.store.listAttendees(webinarKey)) {
    const email = emailOfKey.get(a.registrantKey) ?? validEmail(a.email);
    if (!email) continue;
    const p = out.get(email) ?? {
      email,
      statusId: 1,
      registrationStatus: 'approved',
      attendanceSeconds: 0,
      sessionsAttended: 0,
    };
    p.statusId = 2;
    p.attendanceSeconds += a.attendanceTimeInSeconds;
    const sessions = sessionsOf.get(email) ?? new Set<string>();
    sessions.add(a.sessionKey);
    sessionsOf.set(email, sessions);
    p.sessionsAttended = sessions.size;
    out.set(email, p);
  }
  return out;
}
