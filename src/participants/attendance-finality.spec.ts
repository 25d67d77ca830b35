import { GotoAttendee, GotoSession } from '../goto-webinar/goto-webinar.types';
import {
  ATTENDANCE_GIVE_UP_MS,
  isAttendanceFinal,
  isLongPast,
  LONG_PAST_MS,
  SESSION_SETTLE_MS,
} from './attendance-finality';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const H = 3_600_000;
const slot = (startMs: number) => ({
  startTime: new Date(startMs).toISOString(),
  endTime: new Date(startMs + H).toISOString(),
});
const session = (key: string, startMs: number, endMs: number): GotoSession => ({
  sessionKey: key,
  webinarKey: '1',
  startTime: new Date(startMs),
  endTime: new Date(endMs),
});
const attendee = (sessionKey: string): GotoAttendee => ({ sessionKey, attendance: [] });
const at = (ms: number) => new Date(ms);

describe('isAttendanceFinal', () => {
  const scheduled = [slot(T0)];
  const ran = session('s1', T0 + 60_000, T0 + H + 10 * 60_000); // ended 11:10

  it('not before the scheduled end, whatever GoTo reports', () => {
    expect(
      isAttendanceFinal({ scheduled, completed: [], attendees: [], now: at(T0 + H / 2) }),
    ).toBe(false);
  });

  it('a session still running past its schedule (no completed session) is not final', () => {
    expect(
      isAttendanceFinal({ scheduled, completed: [], attendees: [], now: at(T0 + 2 * H) }),
    ).toBe(false);
  });

  it('a completed session settles SESSION_SETTLE_MS after its real end, with attendees', () => {
    const end = ran.endTime!.getTime();
    const ev = { scheduled, completed: [ran], attendees: [attendee('s1')] };
    expect(isAttendanceFinal({ ...ev, now: at(end + SESSION_SETTLE_MS - 1000) })).toBe(false);
    expect(isAttendanceFinal({ ...ev, now: at(end + SESSION_SETTLE_MS) })).toBe(true);
  });

  it('a completed session with no attendees yet is not final until given up', () => {
    const end = ran.endTime!.getTime();
    const ev = { scheduled, completed: [ran], attendees: [] };
    expect(isAttendanceFinal({ ...ev, now: at(end + 2 * SESSION_SETTLE_MS) })).toBe(false);
    expect(isAttendanceFinal({ ...ev, now: at(end + ATTENDANCE_GIVE_UP_MS) })).toBe(true);
  });

  it('a sequence: every session counts', () => {
    const seq = [slot(T0), slot(T0 + 7 * 24 * H)];
    const second = session('s2', T0 + 7 * 24 * H, T0 + 7 * 24 * H + H);
    const later = at(second.endTime!.getTime() + SESSION_SETTLE_MS);
    // Only the first session reported: not final while the second may still appear.
    expect(
      isAttendanceFinal({
        scheduled: seq,
        completed: [ran],
        attendees: [attendee('s1')],
        now: later,
      }),
    ).toBe(false);
    // Both, but the second without attendees yet.
    expect(
      isAttendanceFinal({
        scheduled: seq,
        completed: [ran, second],
        attendees: [attendee('s1')],
        now: later,
      }),
    ).toBe(false);
    expect(
      isAttendanceFinal({
        scheduled: seq,
        completed: [ran, second],
        attendees: [attendee('s1'), attendee('s2')],
        now: later,
      }),
    ).toBe(true);
  });

  it('long past its schedule (no sessions call needed): LONG_PAST_MS after the last scheduled end', () => {
    expect(isLongPast(scheduled, at(T0 + H + LONG_PAST_MS - 1))).toBe(false);
    expect(isLongPast(scheduled, at(T0 + H + LONG_PAST_MS))).toBe(true);
    expect(isLongPast([], at(T0 + 100 * H))).toBe(false);
  });

  it('a webinar that never took place is final (empty) once given up', () => {
    const ev = { scheduled, completed: [], attendees: [] };
    expect(isAttendanceFinal({ ...ev, now: at(T0 + H + ATTENDANCE_GIVE_UP_MS - 1) })).toBe(false);
    expect(isAttendanceFinal({ ...ev, now: at(T0 + H + ATTENDANCE_GIVE_UP_MS) })).toBe(true);
  });
});
