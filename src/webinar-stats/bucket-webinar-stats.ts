import { DateTime } from 'luxon';

// Pure shaping of the SQL aggregates into what the webinar page draws. The database groups the
// rows (15-minute slots of registration time, whole minutes of attendance); these functions only
// fold those few rows into days of the displayed zone and into histogram bars.

/** Registration times are grouped in 15-minute slots: every zone's UTC offset is a multiple of 15 minutes. */
export const REGISTRATION_SLOT_SECONDS = 900;
/** The histogram has at most this many bars. */
export const MAX_ATTENDANCE_BARS = 12;
/** Bar widths in minutes, the smallest that keeps the bars within MAX_ATTENDANCE_BARS wins. */
export const ATTENDANCE_BAR_MINUTES = [1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480, 1440] as const;

export interface SlotCount {
  /** Seconds since the epoch / REGISTRATION_SLOT_SECONDS, floored. */
  slot: number;
  count: number;
}

export interface DayCount {
  /** Calendar day in the displayed zone, YYYY-MM-DD. */
  date: string;
  count: number;
}

/** Registrations per calendar day in `timeZone`, from the first day to the last (days without any: 0). */
export function registrationsPerDay(slots: readonly SlotCount[], timeZone: string): DayCount[] {
  const byDay = new Map<string, number>();
  for (const s of slots) {
    const day = DateTime.fromSeconds(s.slot * REGISTRATION_SLOT_SECONDS, { zone: timeZone });
    const key = day.toISODate()!;
    byDay.set(key, (byDay.get(key) ?? 0) + s.count);
  }
  if (byDay.size === 0) return [];
  const days = [...byDay.keys()].sort();
  const out: DayCount[] = [];
  const last = DateTime.fromISO(days[days.length - 1], { zone: 'UTC' });
  for (let d = DateTime.fromISO(days[0], { zone: 'UTC' }); d <= last; d = d.plus({ days: 1 })) {
    const key = d.toISODate()!;
    out.push({ date: key, count: byDay.get(key) ?? 0 });
  }
  return out;
}

export interface MinuteCount {
  /** Whole minutes of summed attendance, floored. */
  minute: number;
  count: number;
}

export interface AttendanceBar {
  /** From this many minutes (inclusive) … */
  fromMinutes: number;
  /** … to this many (exclusive). */
  toMinutes: number;
  count: number;
}

export interface AttendanceHistogram {
  barMinutes: number;
  bars: AttendanceBar[];
}

/** Attendees by summed attendance: equal bars from 0 up to the longest, at most MAX_ATTENDANCE_BARS. */
export function attendanceHistogram(minutes: readonly MinuteCount[]): AttendanceHistogram {
  if (minutes.length === 0) return { barMinutes: ATTENDANCE_BAR_MINUTES[0], bars: [] };
  const longest = Math.max(...minutes.map((m) => m.minute));
  const barMinutes =
    ATTENDANCE_BAR_MINUTES.find((w) => Math.floor(longest / w) < MAX_ATTENDANCE_BARS) ??
    Math.ceil((longest + 1) / MAX_ATTENDANCE_BARS);
  const bars: AttendanceBar[] = Array.from(
    { length: Math.floor(longest / barMinutes) + 1 },
    (_, i) => ({ fromMinutes: i * barMinutes, toMinutes: (i + 1) * barMinutes, count: 0 }),
  );
  for (const m of minutes) bars[Math.floor(Math.max(0, m.minute) / barMinutes)].count += m.count;
  return { barMinutes, bars };
}
