// Pure: what one participant sync changes, from what the merge decided (GoTo's list now) and the
// rows stored before the write. Counts per kind of change and a few sample emails.
import { MergedParticipant } from './merge-participants';
import { StoredParticipant } from './participants.repository';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';

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
  const out = Object.fromEntries(
    CHANGE_KINDS.map((k) => [k, { count: 0, samples: [] as string[] }]),
  ) as ParticipantChanges;
  const note = (kind: ChangeKind, email: string) => {
    const c = out[kind];
    c.count++;
    if (c.samples.length < samples) c.samples.push(email);
  };
  const byEmail = new Map(stored.map((s) => [s.email, s]));
  const listed = new Set<string>();
  for (const p of merged) {
    listed.add(p.email);
    const before = byEmail.get(p.email);
    if (!before) {
      note('added', p.email);
      if (p.attended) note('attended', p.email);
      continue;
    }
    if (p.attended && before.statusId !== PARTICIPANT_STATUS.ATTENDED) note('attended', p.email);
    if (p.registrationStatus === before.registrationStatus) continue;
    if (p.registrationStatus === 'cancelled') note('cancelled', p.email);
    else note('statusChanged', p.email);
  }
  for (const s of stored)
    if (!listed.has(s.email) && s.registrationStatus !== 'cancelled') note('cancelled', s.email);
  return out;
}

export function hasChanges(c: ParticipantChanges): boolean {
  return CHANGE_KINDS.some((k) => c[k].count > 0);
}
