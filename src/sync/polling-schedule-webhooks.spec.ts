import { DEFAULT_POLLING, loadPollingConfig } from '../config/polling-config';
import {
  intervalOf,
  participantsDue,
  PolledWebinar,
  PollingRules,
  webinarListDue,
} from './polling-schedule';

// The relaxed schedule of an organizer whose webhooks flow, and attendance finality
// (docs/sync.md "With webhooks"). The normal schedule: polling-schedule.spec.ts.
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = new Date('2026-06-15T12:00:00Z');
const rules: PollingRules = { ...DEFAULT_POLLING, endedFor: 7 * DAY };
const FINAL = { attendanceFinalAt: new Date(NOW.getTime() - DAY) };

/** A one-hour webinar starting `startIn` from NOW, last read `readAgo` before NOW. */
function webinar(startIn: number, readAgo: number, extra: Partial<PolledWebinar> = {}) {
  const startsAt = new Date(NOW.getTime() + startIn);
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + HOUR),
    status: 'scheduled',
    sessions: [],
    participantsCheckedAt: new Date(NOW.getTime() - readAgo),
    ...extra,
  } satisfies PolledWebinar;
}
const due = (w: PolledWebinar, webhooks: boolean) => participantsDue(w, NOW, rules, webhooks).due;

describe('polling schedule with webhooks flowing: one row per class', () => {
  // [class, starts in, read ago: due without webhooks but not with them, read ago: due with them]
  const cases: Array<[string, number, number, number]> = [
    ['soon', 5 * HOUR, 12 * HOUR, DAY],
    ['days_ahead', 5 * DAY, 12 * HOUR, DAY],
    ['months_ahead', 90 * DAY, 3 * DAY, 7 * DAY],
    ['ended_days', -3 * DAY, 20 * HOUR, DAY],
  ];
  it.each(cases)('%s: reconciled at the relaxed interval', (cls, startIn, relaxed, stale) => {
    const fresh = webinar(startIn, relaxed);
    expect(participantsDue(fresh, NOW, rules, true)).toEqual({ pollClass: cls, due: false });
    if (cls !== 'ended_days') expect(due(fresh, false)).toBe(true);
    expect(participantsDue(webinar(startIn, stale), NOW, rules, true)).toEqual({
      pollClass: cls,
      due: true,
    });
  });

  it('live: never re-read while it runs (joins arrive by webhook)', () => {
    expect(participantsDue(webinar(-30 * MIN, 20 * MIN), NOW, rules, true)).toEqual({
      pollClass: 'live',
      due: false,
    });
    expect(due(webinar(-30 * MIN, 20 * MIN), false)).toBe(true);
  });

  it('once in the hour before the start, unless read within that hour already', () => {
    expect(due(webinar(40 * MIN, 2 * HOUR), true)).toBe(true);
    expect(due(webinar(40 * MIN, 10 * MIN), true)).toBe(false);
    expect(due(webinar(90 * MIN, 2 * HOUR), true)).toBe(false); // the window opens in 30 min
  });

  it('just ended: read at the end, once more 6 h later, then not again', () => {
    // ended 10 min ago, read while it ran: the end read
    expect(participantsDue(webinar(-70 * MIN, 20 * MIN), NOW, rules, true)).toEqual({
      pollClass: 'just_ended',
      due: true,
    });
    // ended 4 h ago, read at its end: nothing until end + 6 h (the normal pace reads every 2 h)
    expect(due(webinar(-5 * HOUR, 3 * HOUR + 50 * MIN), true)).toBe(false);
    expect(due(webinar(-5 * HOUR, 3 * HOUR + 50 * MIN), false)).toBe(true);
    // ended 6 h ago, read at its end: the later read
    expect(due(webinar(-7 * HOUR, 5 * HOUR + 50 * MIN), true)).toBe(true);
    // ended 12 h ago, read after end + 6 h: done
    expect(due(webinar(-13 * HOUR, 5 * HOUR), true)).toBe(false);
  });

  it('attendance final: no later read and no daily ended-days read', () => {
    expect(due(webinar(-7 * HOUR, 5 * HOUR + 50 * MIN, FINAL), true)).toBe(false);
    expect(due(webinar(-3 * DAY, 2 * DAY, FINAL), true)).toBe(false);
    expect(due(webinar(-3 * DAY, 2 * DAY), true)).toBe(true);
  });

  it('the webinar list: daily, whatever runs or starts soon', () => {
    const live = [webinar(-10 * MIN, HOUR)];
    const listed = (ago: number) => new Date(NOW.getTime() - ago);
    expect(webinarListDue(listed(2 * HOUR), live, NOW, rules, true)).toBe(false);
    expect(webinarListDue(listed(2 * HOUR), live, NOW, rules, false)).toBe(true);
    expect(webinarListDue(listed(12 * HOUR), [], NOW, rules, true)).toBe(false);
    expect(webinarListDue(listed(DAY), [], NOW, rules, true)).toBe(true);
    expect(webinarListDue(null, [], NOW, rules, true)).toBe(true);
  });
});

describe('attendance final without webhooks', () => {
  it('a final webinar with no session ahead is re-read at most at the ended-days interval', () => {
    // ended 4 h ago, read 2 h ago: due at the just-ended pace, not once final
    expect(due(webinar(-5 * HOUR, 2 * HOUR), false)).toBe(true);
    expect(due(webinar(-5 * HOUR, 2 * HOUR, FINAL), false)).toBe(false);
    expect(due(webinar(-5 * HOUR, DAY, FINAL), false)).toBe(true);
    expect(intervalOf('just_ended', rules, false, true)).toBe(DAY);
  });

  it('a session ahead (a sequence): finality does not slow it down', () => {
    const s = (o: number) => ({
      startTime: new Date(NOW.getTime() + o).toISOString(),
      endTime: new Date(NOW.getTime() + o + HOUR).toISOString(),
    });
    const seq = { ...webinar(-5 * HOUR, 2 * HOUR, FINAL), sessions: [s(-5 * HOUR), s(30 * DAY)] };
    expect(participantsDue(seq, NOW, rules, false)).toEqual({
      pollClass: 'just_ended',
      due: true,
    });
  });
});

describe('SYNC_POLL_INTERVALS_WEBHOOKS', () => {
  it('overrides the relaxed intervals key by key', () => {
    const problems: string[] = [];
    const c = loadPollingConfig(
      { SYNC_POLL_INTERVALS_WEBHOOKS: 'monthsAhead=3d,afterEnd=2h' },
      problems,
    );
    expect(problems).toEqual([]);
    expect(c.webhooks).toEqual({
      ...DEFAULT_POLLING.webhooks,
      monthsAhead: 3 * DAY,
      afterEnd: 2 * HOUR,
    });
    const custom = { ...c, endedFor: 7 * DAY };
    expect(participantsDue(webinar(90 * DAY, 3 * DAY), NOW, custom, true).due).toBe(true);
  });

  it('refuses unknown keys and a list over a day, naming the variable, never the value', () => {
    const problems: string[] = [];
    loadPollingConfig({ SYNC_POLL_INTERVALS_WEBHOOKS: 'secretish=5m' }, problems);
    loadPollingConfig({ SYNC_POLL_INTERVALS_WEBHOOKS: 'list=3d' }, problems);
    loadPollingConfig({ SYNC_POLL_INTERVALS_WEBHOOKS: 'upcoming:1d' }, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^SYNC_POLL_INTERVALS_WEBHOOKS: unknown key \(known: upcoming,/),
      expect.stringMatching(/^SYNC_POLL_INTERVALS_WEBHOOKS: list must be at most 24h/),
      expect.stringMatching(/^SYNC_POLL_INTERVALS_WEBHOOKS: must be key=duration pairs/),
    ]);
    expect(problems.join(' ')).not.toMatch(/secretish|3d|upcoming:1d/);
  });
});
