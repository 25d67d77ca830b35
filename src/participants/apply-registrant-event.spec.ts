import {
  applyRegistrantEvent,
  RegistrantEventChange,
  registrationStatusOf,
  StoredEventTarget,
} from './apply-registrant-event';
import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';

const T = (s: string) => new Date(`2026-12-03T${s}Z`);
const added = (
  at: string | null,
  over: Partial<RegistrantEventChange> = {},
): RegistrantEventChange =>
  ({
    kind: 'added',
    at: at === null ? null : T(at),
    registrantKey: '2457606543231312345',
    registrationStatus: 'approved',
    registeredAt: T('10:00:00.700'),
    joinUrl: 'https://join/1',
    ...over,
  }) as RegistrantEventChange;
const joined = (at: string): RegistrantEventChange => ({
  kind: 'joined',
  at: T(at),
  registrantKey: '2457606543231312345',
});
const stored = (over: Partial<StoredEventTarget> = {}): StoredEventTarget => ({
  registrantKey: '2457606543231312345',
  statusId: PARTICIPANT_STATUS.NOT_ATTENDED,
  registrationStatus: 'approved',
  registeredAt: T('10:00:00').getTime(),
  joinUrl: 'https://join/1',
  updatedAt: T('10:00:05').getTime(),
  ...over,
});

describe('applyRegistrantEvent', () => {
  it('a new registrant: registered, not attended, with key, link and date (to the second)', () => {
    expect(applyRegistrantEvent(null, added('10:00:01'))).toEqual({
      registrantKey: '2457606543231312345',
      statusId: PARTICIPANT_STATUS.NOT_ATTENDED,
      registrationStatus: 'approved',
      registeredAt: T('10:00:00'),
      joinUrl: 'https://join/1',
    });
  });

  it('a join: Attended at once, also for someone not stored yet (join before add)', () => {
    expect(applyRegistrantEvent(stored(), joined('11:00:00'))).toMatchObject({
      statusId: PARTICIPANT_STATUS.ATTENDED,
      registrationStatus: 'approved',
    });
    expect(applyRegistrantEvent(null, joined('11:00:00'))).toMatchObject({
      statusId: PARTICIPANT_STATUS.ATTENDED,
      registrationStatus: 'approved',
    });
  });

  it('an older registrant.added never erases attendance, whatever its time', () => {
    const attended = stored({ statusId: PARTICIPANT_STATUS.ATTENDED, joinUrl: null });
    for (const at of ['09:00:00', '12:00:00']) {
      const r = applyRegistrantEvent(attended, added(at));
      expect(r?.statusId ?? attended.statusId).toBe(PARTICIPANT_STATUS.ATTENDED);
    }
    // the late event still fills the missing join link
    expect(applyRegistrantEvent(attended, added('09:00:00'))?.joinUrl).toBe('https://join/1');
  });

  it('a stale registrant.added does not undo a newer registration status', () => {
    const cancelled = stored({ registrationStatus: 'cancelled' });
    expect(applyRegistrantEvent(cancelled, added('10:00:04'))).toBeNull();
    expect(applyRegistrantEvent(cancelled, added(null))).toBeNull();
    // a newer one (a re-registration) does
    expect(applyRegistrantEvent(cancelled, added('10:00:06'))?.registrationStatus).toBe('approved');
  });

  it('duplicates and joins of an attendee change nothing', () => {
    expect(applyRegistrantEvent(stored(), added('10:00:06'))).toBeNull();
    expect(
      applyRegistrantEvent(stored({ statusId: PARTICIPANT_STATUS.ATTENDED }), joined('11:00:00')),
    ).toBeNull();
  });
});

describe('registrationStatusOf', () => {
  it('maps GoTo statuses, approved by default, null for unknown ones', () => {
    expect(registrationStatusOf(undefined)).toBe('approved');
    expect(registrationStatusOf('WAITING')).toBe('waiting');
    expect(registrationStatusOf('DENIED')).toBe('denied');
    expect(registrationStatusOf('CANCELLED')).toBe('cancelled');
    expect(registrationStatusOf('ODD')).toBeNull();
  });
});
