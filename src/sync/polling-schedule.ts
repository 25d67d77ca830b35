import { PollingConfig } from '../config/polling-config';

// The adaptive polling of the periodic sync (docs/sync.md "Periodic sync"), pure: from a webinar's
// times, status, last read and attendance finality, whether its organizer's webhooks flow
// (webhooks-health.ts, asked by the callers per tick), and now, whether its participants are due.
// Before-send and on-demand syncs never ask: they always read fresh.

export type PollClass =
  | 'cancelled'
  | 'never_read'
  | 'live'
  | 'just_ended'
  | 'soon'
  | 'days_ahead'
  | 'ended_days'
  | 'months_ahead'
  | 'long_past';

export interface PolledWebinar {
  startsAt: Date;
  endsAt: Date;
  status: string;
  /** Every session of a sequence (ISO); empty = one session from startsAt to endsAt. */
  sessions: ReadonlyArray<{ startTime: string; endTime: string }>;
  /** When its participants were last read from GoTo (null: never). */
  participantsCheckedAt: Date | null;
  /** Attendance final (docs/sync.md); absent = not final. */
  attendanceFinalAt?: Date | null;
}

export interface PollingRules extends PollingConfig {
  /** SYNC_HOT_DAYS in ms: how long after its end a webinar is still re-read. */
  endedFor: number;
}

export interface PollDecision {
  pollClass: PollClass;
  due: boolean;
}

const MAX_SLACK = 5 * 60_000;

/** Where the webinar stands at `now`. */
export function classifyWebinar(w: PolledWebinar, now: Date, rules: PollingRules): PollClass {
  if (w.status === 'cancelled') return 'cancelled';
  const t = now.getTime();
  const { live, nextStart, lastEnd } = position(w, t);
  if (live) return 'live';
  if (t - lastEnd <= rules.within.justEnded) return 'just_ended';
  if (nextStart - t <= rules.within.soon) return 'soon';
  if (nextStart - t <= rules.within.daysAhead) return 'days_ahead';
  if (t - lastEnd <= rules.endedFor) return 'ended_days';
  if (nextStart !== Infinity) return 'months_ahead';
  return 'long_past';
}

const INTERVAL: Record<PollClass, keyof PollingConfig['every'] | null> = {
  cancelled: null,
  never_read: null,
  live: 'live',
  just_ended: 'justEnded',
  soon: 'soon',
  days_ahead: 'daysAhead',
  ended_days: 'endedDays',
  months_ahead: 'monthsAhead',
  long_past: null,
};

/**
 * How often a class is re-read (ms); null = not by the periodic sync (apart from the reads at and
 * after a session's end, and before its start with webhooks). `webhooks`: the organizer's events
 * flow, the relaxed schedule applies. `final`: attendance is final and no session is ahead.
 */
export function intervalOf(
  c: PollClass,
  rules: PollingRules,
  webhooks = false,
  final = false,
): number | null {
  if (webhooks) return relaxedInterval(c, rules, final);
  const key = INTERVAL[c];
  if (key === null) return null;
  const every = rules.every[key];
  // final and nothing ahead: nothing left to collect but late registrant edits; at most daily
  return final ? Math.max(every, rules.every.endedDays) : every;
}

function relaxedInterval(c: PollClass, rules: PollingRules, final: boolean): number | null {
  const w = rules.webhooks;
  switch (c) {
    case 'soon':
    case 'days_ahead':
      return w.upcoming;
    case 'months_ahead':
      return w.monthsAhead;
    case 'ended_days':
      return final ? null : w.endedDays;
    default:
      // live (joins arrive by webhook), just ended (the reads at and after the end), long past
      return null;
  }
}

/**
 * Whether the periodic sync should read the webinar's participants now. Never read → due (once,
 * whatever its class). A session that ended after the last read → due (attendance to collect).
 * With `webhooks` (the organizer's events flow), also due once `afterEnd` after each session's end
 * (unless attendance is final) and once in the `beforeStart` window before the next start.
 * Otherwise due once its class's interval has passed (`intervalOf`), less a little slack so that a
 * read a few seconds after the previous tick does not miss the next one.
 */
export function participantsDue(
  w: PolledWebinar,
  now: Date,
  rules: PollingRules,
  webhooks = false,
): PollDecision {
  const pollClass = classifyWebinar(w, now, rules);
  if (pollClass === 'cancelled') return { pollClass, due: false };
  const checked = w.participantsCheckedAt?.getTime();
  if (checked === undefined) return { pollClass: 'never_read', due: true };
  const t = now.getTime();
  if (endedSince(w, checked, t, 0)) return { pollClass, due: true };
  const { nextStart } = position(w, t);
  const final = (w.attendanceFinalAt ?? null) !== null && nextStart === Infinity;
  if (webhooks) {
    const { beforeStart, afterEnd } = rules.webhooks;
    // once more a while after each end (the report settled), unless already final
    if (!final && endedSince(w, checked, t, afterEnd)) return { pollClass, due: true };
    // once shortly before the next start, if not read since that window opened
    if (nextStart - t <= beforeStart && checked < nextStart - beforeStart)
      return { pollClass, due: true };
  }
  const every = intervalOf(pollClass, rules, webhooks, final);
  if (every === null) return { pollClass, due: false };
  return { pollClass, due: t - checked >= every - Math.min(every / 4, MAX_SLACK) };
}

/**
 * Whether the organizer's webinar list is due: never read, or older than `every.list` (at most a
 * day), or older than `every.listHot` while one of its webinars is live or starts within
 * `within.listHot` (a last-minute reschedule or cancellation shows up quickly).
 */
export function webinarListDue(
  listedAt: Date | null,
  webinars: readonly PolledWebinar[],
  now: Date,
  rules: PollingRules,
  webhooks = false,
): boolean {
  if (listedAt === null) return true;
  const age = now.getTime() - listedAt.getTime();
  const slack = (every: number) => every - Math.min(every / 4, MAX_SLACK);
  // webhooks: webinar.created / webinar.changed carry the changes; a daily re-list reconciles
  if (webhooks) return age >= slack(rules.webhooks.list);
  if (age >= slack(rules.every.list)) return true;
  if (age < slack(rules.every.listHot)) return false;
  const t = now.getTime();
  return webinars.some((w) => {
    if (w.status === 'cancelled') return false;
    const { live, nextStart } = position(w, t);
    return live || nextStart - t <= rules.within.listHot;
  });
}

/** Where the webinar's sessions stand at `t`: one running, the next start, the last end. */
function position(
  w: PolledWebinar,
  t: number,
): { live: boolean; nextStart: number; lastEnd: number } {
  const spans =
    w.sessions.length > 0
      ? w.sessions.map((s) => [Date.parse(s.startTime), Date.parse(s.endTime)] as const)
      : [[w.startsAt.getTime(), w.endsAt.getTime()] as const];
  let live = false;
  let nextStart = Infinity;
  let lastEnd = -Infinity;
  for (const [start, end] of spans) {
    if (start <= t && t < end) live = true;
    if (start > t) nextStart = Math.min(nextStart, start);
    if (end <= t) lastEnd = Math.max(lastEnd, end);
  }
  return { live, nextStart, lastEnd };
}

/** Whether a session's end + `after` passed between the last read and `t`. */
function endedSince(w: PolledWebinar, checked: number, t: number, after: number): boolean {
  const ends =
    w.sessions.length === 0 ? [w.endsAt.getTime()] : w.sessions.map((s) => Date.parse(s.endTime));
  return ends.some((end) => checked < end + after && end + after <= t);
}
