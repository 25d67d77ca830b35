import { GotoAttendee, GotoRegistrant } from '../goto-webinar/goto-webinar.types';
import { mergeParticipants, normalizeEmail } from './merge-participants';

const reg = (
  key: string,
  email: string | undefined,
  extra: Partial<GotoRegistrant> = {},
): GotoRegistrant => ({
  registrantKey: key,
  email,
  firstName: 'First',
  lastName: 'Last',
  status: 'APPROVED',
  registrationDate: new Date('2026-11-01T10:00:00.789Z'),
  ...extra,
});

const att = (
  key: string | undefined,
  session: string,
  seconds: number,
  extra: Partial<GotoAttendee> = {},
  join = '2026-11-10T10:00:00Z',
  leave = '2026-11-10T10:30:00Z',
): GotoAttendee => ({
  registrantKey: key,
  sessionKey: session,
  email: extra.email ?? 'x@example.com',
  attendanceTimeInSeconds: seconds,
  attendance: [{ joinTime: new Date(join), leaveTime: new Date(leave) }],
  ...extra,
});

describe('normalizeEmail', () => {
  it('trims and lower-cases; rejects blank and invalid', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.ORG ')).toBe('ada.lovelace@example.org');
    for (const bad of [
      undefined,
      '',
      ' ',
      'not-an-email',
      'missing-at.example.com',
      'a@b',
      'a b@c.com',
      'a@@b.com',
      `${'x'.repeat(320)}@e.com`,
    ]) {
      expect(normalizeEmail(bad)).toBeNull();
    }
  });
});

describe('mergeParticipants', () => {
  it('a registrant who attended no session is not attended; registration date kept to the second', () => {
    const { participants } = mergeParticipants([reg('1', 'a@example.com')], []);
    expect(participants).toEqual([
      {
        email: 'a@example.com',
        firstName: 'First',
        lastName: 'Last',
        registrantKey: '1',
        registrationStatus: 'approved',
        registeredAt: new Date('2026-11-01T10:00:00Z'),
        attended: false,
        attendanceSeconds: 0,
        sessionsAttended: 0,
        firstJoinedAt: null,
        lastLeftAt: null,
      },
    ]);
  });

  it('attended in one of two sessions of a sequence: seconds summed, sessions counted, first join / last leave', () => {
    const regs = [reg('9223372036854775807', 'a@example.com'), reg('2', 'b@example.com')];
    const atts = [
      att('9223372036854775807', 's1', 600, {}, '2026-11-10T10:05:00Z', '2026-11-10T10:15:00Z'),
      att('2', 's1', 100, {}, '2026-11-10T10:00:00Z', '2026-11-10T10:01:40Z'),
      att('2', 's2', 200, {}, '2026-11-17T10:00:00Z', '2026-11-17T10:03:20Z'),
    ];
    const { participants } = mergeParticipants(regs, atts);
    const a = participants.find((p) => p.email === 'a@example.com')!;
    const b = participants.find((p) => p.email === 'b@example.com')!;
    expect(a).toMatchObject({
      attended: true,
      attendanceSeconds: 600,
      sessionsAttended: 1,
      registrantKey: '9223372036854775807',
    });
    expect(b).toMatchObject({
      attended: true,
      attendanceSeconds: 300,
      sessionsAttended: 2,
      firstJoinedAt: new Date('2026-11-10T10:00:00Z'),
      lastLeftAt: new Date('2026-11-17T10:03:20Z'),
    });
  });

  it('matches an attendee by email when the registrant key differs (trim + case)', () => {
    const { participants } = mergeParticipants(
      [reg('1', 'Ada@Example.com')],
      [att('999', 's1', 60, { email: ' ADA@example.COM ' })],
    );
    expect(participants).toHaveLength(1);
    expect(participants[0]).toMatchObject({
      email: 'ada@example.com',
      registrantKey: '1',
      attended: true,
      attendanceSeconds: 60,
    });
  });

  it('an attendee missing from the registrant list is an attended, approved participant', () => {
    const { participants } = mergeParticipants(
      [],
      [att('77', 's1', 120, { email: 'Walk.In@Example.com', firstName: ' Walk ', lastName: 'In' })],
    );
    expect(participants).toEqual([
      expect.objectContaining({
        email: 'walk.in@example.com',
        firstName: 'Walk',
        lastName: 'In',
        registrantKey: '77',
        registrationStatus: 'approved',
        registeredAt: null,
        attended: true,
        sessionsAttended: 1,
      }),
    ]);
  });

  it('duplicate registrations of one address (mixed case) give one participant with the best status', () => {
    const { participants } = mergeParticipants(
      [
        reg('1', 'dup@example.com', {
          status: 'WAITING',
          registrationDate: new Date('2026-11-02T00:00:00Z'),
        }),
        reg('2', 'DUP@EXAMPLE.COM', { status: 'APPROVED', firstName: 'Other' }),
      ],
      [att('1', 's1', 30)],
    );
    expect(participants).toHaveLength(1);
    expect(participants[0]).toMatchObject({
      email: 'dup@example.com',
      firstName: 'First',
      registrantKey: '2',
      registrationStatus: 'approved',
      registeredAt: new Date('2026-11-01T10:00:00Z'),
      attended: true,
    });
  });

  it('maps registration statuses; a status it does not know is skipped', () => {
    const { participants, skipped } = mergeParticipants(
      [
        reg('1', 'a@example.com', { status: 'WAITING' }),
        reg('2', 'b@example.com', { status: 'DENIED' }),
        reg('3', 'c@example.com', { status: undefined, rawStatus: 'CANCELLED' }),
        reg('4', 'd@example.com', { status: undefined, rawStatus: 'WEIRD' }),
        reg('5', 'e@example.com', { status: undefined }),
      ],
      [],
    );
    expect(participants.map((p) => [p.email, p.registrationStatus])).toEqual([
      ['a@example.com', 'waiting'],
      ['b@example.com', 'denied'],
      ['c@example.com', 'cancelled'],
      ['e@example.com', 'approved'],
    ]);
    expect(skipped.unknown_status).toBe(1);
  });

  it('skips and counts invalid emails and absurd values', () => {
    const { participants, skipped } = mergeParticipants(
      [
        reg('1', ''),
        reg('2', 'not-an-email'),
        reg('3', undefined),
        reg('4', 'ok@example.com'),
        reg('5', 'old@example.com', { registrationDate: new Date(0) }),
      ],
      [
        att(undefined, 's1', 10, { email: ' ' }),
        att('4', 's1', -5),
        att('4', 's1', 10 * 86_400),
        att('4', 's2', 50, {}, '2026-11-10T10:30:00Z', '2026-11-10T10:00:00Z'),
        att('4', 's3', 40),
      ],
    );
    expect(participants.map((p) => p.email)).toEqual(['ok@example.com']);
    expect(participants[0]).toMatchObject({ attendanceSeconds: 40, sessionsAttended: 1 });
    expect(skipped).toEqual({ invalid_email: 4, absurd_value: 4, unknown_status: 0 });
  });

  it('an attendee whose key is known but whose email is blank still counts for the registrant', () => {
    const { participants } = mergeParticipants(
      [reg('1', 'a@example.com')],
      [att('1', 's1', 30, { email: '' })],
    );
    expect(participants[0]).toMatchObject({ attended: true, attendanceSeconds: 30 });
  });

  it('the same attendance row repeated (page overlap) counts once', () => {
    const { participants } = mergeParticipants(
      [reg('1', 'a@example.com')],
      [att('1', 's1', 30), att('1', 's1', 30)],
    );
    expect(participants[0]).toMatchObject({ attendanceSeconds: 30, sessionsAttended: 1 });
  });

  it('without attendanceTimeInSeconds the intervals are summed', () => {
    const a = att('1', 's1', 0);
    delete a.attendanceTimeInSeconds;
    const { participants } = mergeParticipants([reg('1', 'a@example.com')], [a]);
    expect(participants[0].attendanceSeconds).toBe(1800);
  });

  it('names: trimmed, blank -> null, truncated to 200', () => {
    const { participants } = mergeParticipants(
      [reg('1', 'a@example.com', { firstName: '  ', lastName: 'x'.repeat(300) })],
      [],
    );
    expect(participants[0].firstName).toBeNull();
    expect(participants[0].lastName).toHaveLength(200);
  });
});
