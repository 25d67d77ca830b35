import {
  attendanceHistogram,
  MAX_ATTENDANCE_BARS,
  REGISTRATION_SLOT_SECONDS,
  registrationsPerDay,
} from './bucket-webinar-stats';

const slotOf = (iso: string) => Math.floor(Date.parse(iso) / 1000 / REGISTRATION_SLOT_SECONDS);

describe('registrationsPerDay', () => {
  it('folds slots into days of the displayed zone, not UTC days', () => {
    const slots = [
      { slot: slotOf('2026-11-03T03:00:00Z'), count: 2 }, // Nov 2, 10 PM in New York
      { slot: slotOf('2026-11-03T15:00:00Z'), count: 1 },
    ];
    expect(registrationsPerDay(slots, 'America/New_York')).toEqual([
      { date: '2026-11-02', count: 2 },
      { date: '2026-11-03', count: 1 },
    ]);
    expect(registrationsPerDay(slots, 'UTC')).toEqual([{ date: '2026-11-03', count: 3 }]);
  });

  it('fills the days between with zeros, across a DST change', () => {
    const slots = [
      { slot: slotOf('2026-10-31T12:00:00Z'), count: 1 },
      { slot: slotOf('2026-11-02T12:00:00Z'), count: 4 }, // DST ended Nov 1 in the US
    ];
    expect(registrationsPerDay(slots, 'America/Chicago')).toEqual([
      { date: '2026-10-31', count: 1 },
      { date: '2026-11-01', count: 0 },
      { date: '2026-11-02', count: 4 },
    ]);
  });

  it('places a slot of a half-hour zone on the right day', () => {
    // 18:30 UTC is midnight in India (+05:30).
    const slots = [
      { slot: slotOf('2026-11-03T18:15:00Z'), count: 1 },
      { slot: slotOf('2026-11-03T18:30:00Z'), count: 1 },
    ];
    expect(registrationsPerDay(slots, 'Asia/Kolkata')).toEqual([
      { date: '2026-11-03', count: 1 },
      { date: '2026-11-04', count: 1 },
    ]);
  });

  it('is empty without registrations', () => {
    expect(registrationsPerDay([], 'UTC')).toEqual([]);
  });
});

describe('attendanceHistogram', () => {
  it('uses one-minute bars for short attendance, from 0 to the longest', () => {
    const h = attendanceHistogram([
      { minute: 0, count: 2 },
      { minute: 3, count: 1 },
    ]);
    expect(h.barMinutes).toBe(1);
    expect(h.bars.map((b) => b.count)).toEqual([2, 0, 0, 1]);
    expect(h.bars[3]).toEqual({ fromMinutes: 3, toMinutes: 4, count: 1 });
  });

  it('widens the bars so there are at most MAX_ATTENDANCE_BARS', () => {
    const h = attendanceHistogram([
      { minute: 4, count: 1 },
      { minute: 9, count: 2 },
      { minute: 59, count: 3 },
      { minute: 60, count: 1 },
    ]);
    expect(h.barMinutes).toBe(10);
    expect(h.bars).toHaveLength(7);
    expect(h.bars.map((b) => b.count)).toEqual([3, 0, 0, 0, 0, 3, 1]);
    expect(h.bars.length).toBeLessThanOrEqual(MAX_ATTENDANCE_BARS);
    expect(h.bars.reduce((n, b) => n + b.count, 0)).toBe(7);
  });

  it('stays within the bar limit for very long attendance', () => {
    const h = attendanceHistogram([{ minute: 100_000, count: 1 }]);
    expect(h.bars.length).toBeLessThanOrEqual(MAX_ATTENDANCE_BARS);
    expect(h.bars[h.bars.length - 1].count).toBe(1);
  });

  it('has no bars without attendees', () => {
    expect(attendanceHistogram([]).bars).toEqual([]);
  });
});
