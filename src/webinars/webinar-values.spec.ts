import { GotoWebinar } from '../goto-webinar/goto-webinar.types';
import {
  hasStartedSession,
  webinarOwner,
  sameWebinar,
  startsWithin,
  StoredWebinar,
  toWebinarValues,
  WebinarValues,
} from './webinar-values';

const NOW = new Date('2026-11-29T12:00:00Z');
const gw = (overrides: Partial<GotoWebinar> = {}): GotoWebinar => ({
  webinarKey: '9223372036854775807',
  subject: ' Q4 Product Update ',
  description: 'About',
  times: [
    { startTime: new Date('2026-12-10T15:00:00.500Z'), endTime: new Date('2026-12-10T16:00:00Z') },
    { startTime: new Date('2026-12-03T15:00:00Z'), endTime: new Date('2026-12-03T16:00:00Z') },
  ],
  timeZone: 'America/New_York',
  recurrenceType: 'sequence',
  registrationUrl: 'https://attendee.gotowebinar.com/register/1',
  ...overrides,
});

describe('toWebinarValues', () => {
  it('sessions sorted, to the second; first start and last end; scheduled until the last session ended', () => {
    const v = toWebinarValues(gw(), NOW) as WebinarValues;
    expect(v).toMatchObject({
      webinarKey: '9223372036854775807',
      subject: 'Q4 Product Update',
      startsAt: new Date('2026-12-03T15:00:00Z'),
      endsAt: new Date('2026-12-10T16:00:00Z'),
      recurrenceType: 'sequence',
      status: 'scheduled',
    });
    expect(v.sessions.map((s) => s.startTime)).toEqual([
      '2026-12-03T15:00:00.000Z',
      '2026-12-10T15:00:00.000Z',
    ]);
    expect((toWebinarValues(gw(), new Date('2026-12-10T16:00:00Z')) as WebinarValues).status).toBe(
      'ended',
    );
  });

  it('defaults and clipping: blank description -> null, no recurrence -> single_session, long subject cut to 500', () => {
    const v = toWebinarValues(
      gw({
        description: '  ',
        recurrenceType: undefined,
        subject: 'x'.repeat(600),
        timeZone: undefined,
      }),
      NOW,
    ) as WebinarValues;
    expect(v.description).toBeNull();
    expect(v.recurrenceType).toBe('single_session');
    expect(v.subject).toHaveLength(500);
    expect(v.timeZone).toBeNull();
  });

  it('no usable times -> invalid (skipped and counted by the import)', () => {
    expect(toWebinarValues(gw({ times: [] }), NOW)).toEqual({ invalid: expect.any(String) });
    expect(
      toWebinarValues(gw({ times: [{ startTime: new Date(0), endTime: new Date(1000) }] }), NOW),
    ).toHaveProperty('invalid');
    expect(
      toWebinarValues(
        gw({
          times: [
            {
              startTime: new Date('2026-12-03T16:00:00Z'),
              endTime: new Date('2026-12-03T15:00:00Z'),
            },
          ],
        }),
        NOW,
      ),
    ).toHaveProperty('invalid');
  });
});

describe('sameWebinar', () => {
  it('equal stored values are unchanged; any field differing is a change', () => {
    const v = toWebinarValues(gw(), NOW) as WebinarValues;
    const stored: StoredWebinar = {
      id: 1,
      webinarKey: v.webinarKey,
      organizerId: 5,
      subject: v.subject,
      description: v.description,
      startsAt: v.startsAt.getTime(),
      endsAt: v.endsAt.getTime(),
      timeZone: v.timeZone,
      recurrenceType: v.recurrenceType,
      sessionsJson: JSON.stringify(v.sessions),
      registrationUrl: v.registrationUrl,
      status: v.status,
      participantsSyncedAt: null,
      updatedAt: 0,
      attendanceFinalAt: null,
      participantsCheckedAt: null,
    };
    expect(sameWebinar(stored, v, 5)).toBe(true);
    expect(sameWebinar(stored, v, 6)).toBe(false);
    expect(sameWebinar({ ...stored, status: 'cancelled' }, v, 5)).toBe(false);
    expect(sameWebinar({ ...stored, sessionsJson: '[]' }, v, 5)).toBe(false);
  });
});

describe('session helpers', () => {
  const sessions = [{ startTime: '2026-11-01T10:00:00.000Z', endTime: '2026-11-01T11:00:00.000Z' }];
  it('hasStartedSession: once a scheduled session has started', () => {
    expect(hasStartedSession(sessions, new Date('2026-11-01T09:59:59Z'))).toBe(false);
    expect(hasStartedSession(sessions, new Date('2026-11-01T10:00:00Z'))).toBe(true);
  });
  it('startsWithin: a session start inside the range', () => {
    expect(startsWithin(sessions, new Date('2026-10-01'), new Date('2026-11-01T10:00:00Z'))).toBe(
      true,
    );
    expect(startsWithin(sessions, new Date('2026-11-02'), new Date('2026-12-01'))).toBe(false);
  });
});

describe('webinarOwner (two organizers of the account see one webinar)', () => {
  const row = { organizerId: 1, status: 'scheduled' as const };
  it('a new row belongs to the organizer that imported it first', () => {
    expect(webinarOwner(undefined, 2, false)).toBe(2);
  });
  it('another organizer that sees it (co-organizer) leaves the owner alone', () => {
    expect(webinarOwner(row, 2, false)).toBe(1);
    expect(webinarOwner(row, 1, false)).toBe(1);
  });
  it('the organizer GoTo names as its organizerKey takes it over', () => {
    expect(webinarOwner(row, 2, true)).toBe(2);
  });
  it('a row its owner no longer lists (cancelled) goes to the organizer that still sees it', () => {
    expect(webinarOwner({ ...row, status: 'cancelled' }, 2, false)).toBe(2);
  });
});
