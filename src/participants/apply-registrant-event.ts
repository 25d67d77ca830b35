// Pure: one webhook event about a registrant, applied to the stored participant (or to none yet).
// The rules (the one owner; unit-tested in apply-registrant-event.spec.ts):
//   - registrant.joined makes the participant Attended at once and never touches anything else;
//     nothing but the attendee report ever takes attendance away (duration and times come from it).
//   - registrant.added never touches attendance. It fills what the row lacks (registrant key, join
//     link, registration date) whenever it comes, and sets the registration status only when the event
//     is newer than the stored row's last change: a late or re-sent event cannot undo a newer state.
import { floorToSecond } from '../database/datetime';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';
import { RegistrationStatus } from './webinar-participant.entity';

export interface StoredEventTarget {
  registrantKey: string | null;
  statusId: number;
  registrationStatus: RegistrationStatus;
  registeredAt: number | null;
  joinUrl: string | null;
  /** The row's last change (epoch ms). */
  updatedAt: number;
}

export type RegistrantEventChange =
  | {
      kind: 'added';
      /** GoTo's event time; null when the event had none (treated as old). */
      at: Date | null;
      registrantKey: string;
      registrationStatus: RegistrationStatus;
      registeredAt: Date | null;
      joinUrl: string | null;
    }
  | { kind: 'joined'; at: Date | null; registrantKey: string };

export interface EventParticipantValues {
  registrantKey: string | null;
  statusId: number;
  registrationStatus: RegistrationStatus;
  registeredAt: Date | null;
  joinUrl: string | null;
}

/** GoTo's registrant status in an event -> ours; null for one we do not know (event ignored). */
export function registrationStatusOf(status: string | undefined): RegistrationStatus | null {
  switch (status ?? 'APPROVED') {
    case 'APPROVED':
      return 'approved';
    case 'WAITING':
      return 'waiting';
    case 'DENIED':
      return 'denied';
    case 'CANCELLED':
    case 'CANCELED':
      return 'cancelled';
    default:
      return null;
  }
}

/** The values to write, or null when the event changes nothing (duplicate, stale, already so). */
export function applyRegistrantEvent(
  stored: StoredEventTarget | null,
  change: RegistrantEventChange,
): EventParticipantValues | null {
  if (!stored) {
    return change.kind === 'joined'
      ? {
          registrantKey: change.registrantKey,
          statusId: PARTICIPANT_STATUS.ATTENDED,
          registrationStatus: 'approved',
          registeredAt: null,
          joinUrl: null,
        }
      : {
          registrantKey: change.registrantKey,
          statusId: PARTICIPANT_STATUS.NOT_ATTENDED,
          registrationStatus: change.registrationStatus,
          registeredAt: change.registeredAt && floorToSecond(change.registeredAt),
          joinUrl: change.joinUrl,
        };
  }
  const next: EventParticipantValues = {
    registrantKey: stored.registrantKey,
    statusId: stored.statusId,
    registrationStatus: stored.registrationStatus,
    registeredAt: stored.registeredAt === null ? null : new Date(stored.registeredAt),
    joinUrl: stored.joinUrl,
  };
  if (change.kind === 'joined') {
    next.statusId = PARTICIPANT_STATUS.ATTENDED;
    next.registrantKey ??= change.registrantKey;
  } else {
    const newer = change.at !== null && change.at.getTime() >= stored.updatedAt;
    if (newer) {
      next.registrationStatus = change.registrationStatus;
      next.registrantKey = change.registrantKey;
      if (change.joinUrl) next.joinUrl = change.joinUrl;
    } else {
      next.registrantKey ??= change.registrantKey;
      next.joinUrl ??= change.joinUrl;
    }
    if (next.registeredAt === null && change.registeredAt)
      next.registeredAt = floorToSecond(change.registeredAt);
  }
  const same =
    next.registrantKey === stored.registrantKey &&
    next.statusId === stored.statusId &&
    next.registrationStatus === stored.registrationStatus &&
    (next.registeredAt?.getTime() ?? null) === stored.registeredAt &&
    next.joinUrl === stored.joinUrl;
  return same ? null : next;
}
