// How often the periodic sync re-reads what (the adaptive polling of docs/sync.md). Two compact
// variables of `key=duration` pairs (durations: 30m, 6h, 14d); a key left out keeps its default.
//   SYNC_POLL_INTERVALS  how often each class of webinar (and the webinar list) is re-read
//   SYNC_POLL_HORIZONS   where the classes begin and end
//   SYNC_POLL_INTERVALS_WEBHOOKS  the relaxed schedule of an organizer whose webhooks flow
// Written by hand: four lines of parsing, and the messages must name the variable, never echo the value.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface PollingConfig {
  /** Re-read intervals (ms). */
  every: {
    live: number;
    justEnded: number;
    soon: number;
    daysAhead: number;
    monthsAhead: number;
    endedDays: number;
    list: number;
    listHot: number;
  };
  /** The relaxed schedule while the organizer's webhooks flow (docs/sync.md), ms. */
  webhooks: WebhookPolling;
  /** Class boundaries (ms). "ended days ago" ends at SYNC_HOT_DAYS. */
  within: {
    soon: number;
    justEnded: number;
    daysAhead: number;
    listHot: number;
  };
}

// a type (not an interface): parsePollPairs takes it as a Record of durations
export type WebhookPolling = {
  /** Reconciliation of webinars starting within `within.daysAhead` (soon, days ahead). */
  upcoming: number;
  monthsAhead: number;
  /** Ended days ago, attendance not yet final (final: never). */
  endedDays: number;
  list: number;
  /** One read in this window before the next start, unless read within it already. */
  beforeStart: number;
  /** One more attendee read this long after each session's end (the first comes at the end). */
  afterEnd: number;
};

export const DEFAULT_WEBHOOK_POLLING: WebhookPolling = {
  upcoming: DAY,
  monthsAhead: 7 * DAY,
  endedDays: DAY,
  list: DAY,
  beforeStart: HOUR,
  afterEnd: 6 * HOUR,
};

export const DEFAULT_POLLING: PollingConfig = {
  every: {
    live: 15 * MINUTE,
    justEnded: 2 * HOUR,
    soon: HOUR,
    daysAhead: 6 * HOUR,
    monthsAhead: DAY,
    endedDays: DAY,
    list: 6 * HOUR,
    listHot: HOUR,
  },
  webhooks: DEFAULT_WEBHOOK_POLLING,
  within: { soon: DAY, justEnded: DAY, daysAhead: 14 * DAY, listHot: 3 * HOUR },
};

const UNIT: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY };
export const POLL_PAIRS_PATTERN = /^\s*[A-Za-z]+=\d+[mhd]\s*(,\s*[A-Za-z]+=\d+[mhd]\s*)*$/;

/** `a=15m,b=6h` over the defaults; problems name the variable and the key, never the value. */
export function parsePollPairs<T extends Record<string, number>>(
  variable: string,
  raw: string | undefined,
  defaults: T,
  problems: string[],
): T {
  const out = { ...defaults };
  if (raw === undefined || raw.trim() === '') return out;
  if (!POLL_PAIRS_PATTERN.test(raw)) {
    problems.push(`${variable}: must be key=duration pairs separated by commas (e.g. live=15m)`);
    return out;
  }
  for (const pair of raw.split(',')) {
    const [key, value] = pair.trim().split('=');
    if (!(key in defaults)) {
      problems.push(`${variable}: unknown key (known: ${Object.keys(defaults).join(', ')})`);
      continue;
    }
    const ms = Number(value.slice(0, -1)) * UNIT[value.slice(-1)];
    if (ms < MINUTE) problems.push(`${variable}: ${key} must be at least 1m`);
    (out as Record<string, number>)[key] = ms;
  }
  return out;
}

export function loadPollingConfig(
  env: {
    SYNC_POLL_INTERVALS?: string;
    SYNC_POLL_HORIZONS?: string;
    SYNC_POLL_INTERVALS_WEBHOOKS?: string;
  },
  problems: string[],
): PollingConfig {
  const every = parsePollPairs(
    'SYNC_POLL_INTERVALS',
    env.SYNC_POLL_INTERVALS,
    DEFAULT_POLLING.every,
    problems,
  );
  const within = parsePollPairs(
    'SYNC_POLL_HORIZONS',
    env.SYNC_POLL_HORIZONS,
    DEFAULT_POLLING.within,
    problems,
  );
  const webhooks = parsePollPairs(
    'SYNC_POLL_INTERVALS_WEBHOOKS',
    env.SYNC_POLL_INTERVALS_WEBHOOKS,
    DEFAULT_POLLING.webhooks,
    problems,
  );
  if (every.list > DAY)
    problems.push('SYNC_POLL_INTERVALS: list must be at most 24h (a full re-list at least daily)');
  if (webhooks.list > DAY)
    problems.push(
      'SYNC_POLL_INTERVALS_WEBHOOKS: list must be at most 24h (a full re-list at least daily)',
    );
  return { every, within, webhooks };
}
