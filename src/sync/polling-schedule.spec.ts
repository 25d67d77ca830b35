import { DEFAULT_POLLING, loadPollingConfig } from '../config/polling-config';
import {
  classifyWebinar,
  participantsDue,
  PolledWebinar,
  PollingRules,
  webinarListDue,
} from './polling-schedule';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = new Date('2026-06-15T12:00:00Z');
const rules: PollingRules = { ...DEFAULT_POLLING, endedFor: 7 * DAY };

/** A one-hour webinar starting `startIn` from NOW, last read `readAgo` before NOW (null: never). */
function webinar(startIn: number, readAgo: number | null, extra: Partial<PolledWebinar> = {}) {
  const startsAt = new Date(NOW.getTime() + startIn);
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + HOUR),
    status: 'scheduled',
    sessions: [],
    participantsCheckedAt: readAgo === null ? null : new Date(NOW.getTime() - readAgo),
    ...extra,
  } satisfies PolledWebinar;
}

describe('polling schedule: one row per class of webinar', () => {
  // [class, starts in, read ago that is NOT due yet, read ago that IS due]
  const cases: Array<[string, number, number, number]> = [
    ['live', -30 * MIN, 5 * MIN, 15 * MIN],
    ['just_ended', -5 * HOUR, HOUR, 2 * HOUR], // ended 4 h ago, read after it ended
    ['soon', 3 * HOUR, 30 * MIN, HOUR],
    ['days_ahead', 5 * DAY, 3 * HOUR, 6 * HOUR],
    ['ended_days', -3 * DAY, 12 * HOUR, DAY],
    ['months_ahead', 90 * DAY, 12 * HOUR, DAY],
  ];
  it.each(cases)('%s: due only once its interval has passed', (cls, startIn, fresh, stale) => {
    expect(participantsDue(webinar(startIn, fresh), NOW, rules)).toEqual({
      pollClass: cls,
      due: false,
    });
    expect(participantsDue(webinar(startIn, stale), NOW, rules)).toEqual({
      pollClass: cls,
      due: true,
    });
  });

  it('a read a few seconds after the previous tick does not skip the next tick', () => {
    expect(participantsDue(webinar(-30 * MIN, 15 * MIN - 20_000), NOW, rules).due).toBe(true);
    expect(participantsDue(webinar(5 * DAY, 6 * HOUR - 60_000), NOW, rules).due).toBe(true);
  });

  it('never read: due once whatever its class, even long past', () => {
    expect(participantsDue(webinar(-200 * DAY, null), NOW, rules)).toEqual({
      pollClass: 'never_read',
      due: true,
    });
    expect(participantsDue(webinar(200 * DAY, null), NOW, rules).due).toBe(true);
  });

  it('long past (ended before SYNC_HOT_DAYS) and read: never re-read', () => {
    expect(participantsDue(webinar(-30 * DAY, 20 * DAY), NOW, rules)).toEqual({
      pollClass: 'long_past',
      due: false,
    });
  });

  it('cancelled: never, even never read', () => {
    expect(participantsDue(webinar(DAY, null, { status: 'cancelled' }), NOW, rules)).toEqual({
      pollClass: 'cancelled',
      due: false,
    });
  });

  it('a session that ended after the last read is due at once (attendance to collect)', () => {
    // ended 10 minutes ago, read 20 minutes ago (while it ran)
    const w = webinar(-70 * MIN, 20 * MIN);
    expect(participantsDue(w, NOW, rules)).toEqual({ pollClass: 'just_ended', due: true });
  });

  it('a sequence: live while one of its sessions runs, soon before the next one', () => {
    const sessions = (offsets: number[]) =>
      offsets.map((o) => ({
        startTime: new Date(NOW.getTime() + o).toISOString(),
        endTime: new Date(NOW.getTime() + o + HOUR).toISOString(),
      }));
    const seq = (offsets: number[]) => ({
      ...webinar(offsets[0], 10 * MIN),
      endsAt: new Date(NOW.getTime() + offsets[offsets.length - 1] + HOUR),
      sessions: sessions(offsets),
    });
    expect(classifyWebinar(seq([-7 * DAY, -10 * MIN, 7 * DAY]), NOW, rules)).toBe('live');
    expect(classifyWebinar(seq([-7 * DAY, 2 * HOUR]), NOW, rules)).toBe('soon');
    expect(classifyWebinar(seq([-30 * DAY, 10 * DAY]), NOW, rules)).toBe('days_ahead');
    expect(classifyWebinar(seq([-3 * DAY, 40 * DAY]), NOW, rules)).toBe('ended_days');
  });

  it('the horizons come from the configuration', () => {
    const problems: string[] = [];
    const polling = loadPollingConfig(
      { SYNC_POLL_HORIZONS: 'soon=2h', SYNC_POLL_INTERVALS: 'soon=10m' },
      problems,
    );
    expect(problems).toEqual([]);
    const custom: PollingRules = { ...polling, endedFor: 7 * DAY };
    expect(classifyWebinar(webinar(3 * HOUR, 0), NOW, custom)).toBe('days_ahead');
    expect(participantsDue(webinar(HOUR, 10 * MIN), NOW, custom)).toEqual({
      pollClass: 'soon',
      due: true,
    });
  });
});

describe('webinar list', () => {
  const far = [webinar(90 * DAY, HOUR)];
  it('never listed: due', () => {
    expect(webinarListDue(null, [], NOW, rules)).toBe(true);
  });
  it('due every `list` interval', () => {
    expect(webinarListDue(new Date(NOW.getTime() - 5 * HOUR), far, NOW, rules)).toBe(false);
    expect(webinarListDue(new Date(NOW.getTime() - 6 * HOUR), far, NOW, rules)).toBe(true);
  });
  it('hourly while a webinar is live or starts within hours', () => {
    const listed = new Date(NOW.getTime() - HOUR);
    expect(webinarListDue(listed, far, NOW, rules)).toBe(false);
    expect(webinarListDue(listed, [...far, webinar(2 * HOUR, HOUR)], NOW, rules)).toBe(true);
    expect(webinarListDue(listed, [webinar(-10 * MIN, HOUR)], NOW, rules)).toBe(true);
    expect(webinarListDue(new Date(NOW.getTime() - 20 * MIN), [webinar(HOUR, 0)], NOW, rules)).toBe(
      false,
    );
  });
  it('a sequence between two sessions weeks apart is not hot', () => {
    const listed = new Date(NOW.getTime() - HOUR);
    const session = (o: number) => ({
      startTime: new Date(NOW.getTime() + o).toISOString(),
      endTime: new Date(NOW.getTime() + o + HOUR).toISOString(),
    });
    const seq = {
      ...webinar(-7 * DAY, HOUR),
      endsAt: new Date(NOW.getTime() + 7 * DAY + HOUR),
      sessions: [session(-7 * DAY), session(7 * DAY)],
    };
    expect(webinarListDue(listed, [seq], NOW, rules)).toBe(false);
    expect(
      webinarListDue(listed, [{ ...seq, sessions: [...seq.sessions, session(HOUR)] }], NOW, rules),
    ).toBe(true);
  });
});

describe('polling configuration', () => {
  it('refuses unknown keys, bad syntax and a list interval over a day, naming the variable', () => {
    const problems: string[] = [];
    loadPollingConfig({ SYNC_POLL_INTERVALS: 'lve=15m', SYNC_POLL_HORIZONS: 'soon=abc' }, problems);
    loadPollingConfig({ SYNC_POLL_INTERVALS: 'list=2d' }, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^SYNC_POLL_INTERVALS: unknown key \(known: live,/),
      expect.stringMatching(/^SYNC_POLL_HORIZONS: must be key=duration pairs/),
      expect.stringMatching(/^SYNC_POLL_INTERVALS: list must be at most 24h/),
    ]);
    expect(problems.join(' ')).not.toContain('abc');
  });
  it('keeps the defaults for keys left out', () => {
    const problems: string[] = [];
    const c = loadPollingConfig({ SYNC_POLL_INTERVALS: 'live=5m' }, problems);
    expect(c.every).toEqual({ ...DEFAULT_POLLING.every, live: 5 * MIN });
  });
});
