// Pure: what one participant sync changes, from what the merge decided (GoTo's list now) and the
// rows stored before the write. Counts per kind of change and a few sample emails.
import { MergedParticipant } from './merge-participants';
import { StoredParticipant } from './participants.repository';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';
import { RegistrationStatus } from './webinar-participant.entity';

export const CHANGE_KINDS = ['added', 'cancelled', 'attended', 'statusChanged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export const CHANGE_SAMPLES = 5;

export interface ChangeCount {
  count: number;
  /** The first few emails (in the order GoTo listed them, then stored order for removals). */
  samples: string[];
}
export type ParticipantChanges = Record<ChangeKind, ChangeCount>;

/**
 * - added: a person not stored for this webinar before;
 * - cancelled: a stored registration that was not cancelled is now cancelled, or GoTo no longer
 *   lists the person (the sync then marks it cancelled);
 * - attended: now attended and not before (new participants who attended included);
 * - statusChanged: any other change of registration status (e.g. waiting → approved, or a
 *   cancelled registration approved again).
 */
export function participantChanges(
  stored: readonly StoredParticipant[],
  merged: readonly MergedParticipant[],
  samples = CHANGE_SAMPLES,
): ParticipantChanges {
  const out = noChanges();
  const note = (kind: ChangeKind, email: string) => noteChange(out, kind, email, samples);
  const byEmail = new Map(stored.map((s) => [s.email, s]));
  const listed = new Set<string>();
  for (const p of merged) {
    listed.add(p.email);
    const before = byEmail.get(p.email) ?? null;
    const after = {
      statusId: p.attended ? PARTICIPANT_STATUS.ATTENDED : PARTICIPANT_STATUS.NOT_ATTENDED,
      registrationStatus: p.registrationStatus,
    };
    for (const kind of rowChangeKinds(before, after)) note(kind, p.email);
  }
  for (const s of stored)
    if (!listed.has(s.email) && s.registrationStatus !== 'cancelled') note('cancelled', s.email);
  return out;
}

/** Nothing changed yet (a tally to note changes into). */
export function noChanges(): ParticipantChanges {
  return Object.fromEntries(
    CHANGE_KINDS.map((k) => [k, { count: 0, samples: [] as string[] }]),
  ) as ParticipantChanges;
}

/** Counts one change of one person; keeps the first `samples` emails. */
export function noteChange(
  into: ParticipantChanges,
  kind: ChangeKind,
  email: string,
  samples = CHANGE_SAMPLES,
): void {
  const c = into[kind];
  c.count++;
  if (c.samples.length < samples) c.samples.push(email);
}

/**
 * What one person's row change is, by the same kinds as a sync: `before` null = a new participant
 * (added, and attended if it comes attended); then attended when it became so, cancelled or
 * statusChanged when the registration status moved.
 */
export function rowChangeKinds(
  before: { statusId: number; registrationStatus: RegistrationStatus } | null,
  after: { statusId: number; registrationStatus: RegistrationStatus },
): ChangeKind[] {
  const attended = after.statusId === PARTICIPANT_STATUS.ATTENDED;
  if (!before) return attended ? ['added', 'attended'] : ['added'];
  const kinds: ChangeKind[] = [];
  if (attended && before.statusId !== PARTICIPANT_STATUS.ATTENDED) kinds.push('attended');
  if (after.registrationStatus !== before.registrationStatus)
    kinds.push(after.registrationStatus === 'cancelled' ? 'cancelled' : 'statusChanged');
  return kinds;
}

export function hasChanges(c: ParticipantChanges): boolean {
  return CHANGE_KINDS.some((k) => c[k].count > 0);
}
