import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import { TargetGroupKind } from './target-group.entity';

// The name column is varchar(255); MySQL counts characters (code points), so do we.
export const TARGET_GROUP_NAME_MAX = 255;
export const UNTITLED_SUBJECT = 'Untitled webinar';
const ELLIPSIS = '…';

export const TARGET_GROUP_KINDS: readonly TargetGroupKind[] = [
  'registered',
  'attended',
  'not_attended',
];

export const KIND_LABELS: Record<TargetGroupKind, string> = {
  registered: 'Registered',
  attended: 'Attended',
  not_attended: 'Not Attended',
  engaged: 'Engaged',
};

/** The kinds an account's webinars get: the three, plus `engaged` while engagementMinutes is set. */
export function kindsFor(engagementMinutes: number | null): readonly TargetGroupKind[] {
  return engagementMinutes === null ? TARGET_GROUP_KINDS : [...TARGET_GROUP_KINDS, 'engaged'];
}

/** `Registered`, …, `Engaged (≥ 30 min)`. */
export function kindLabel(kind: TargetGroupKind, engagementMinutes?: number | null): string {
  if (kind !== 'engaged') return KIND_LABELS[kind];
  if (!engagementMinutes) throw new RangeError('an engaged group needs its threshold in minutes');
  return `${KIND_LABELS.engaged} (≥ ${engagementMinutes} min)`;
}

// English locales tried in order for a letter abbreviation of the zone at that instant.
// ICU only gives one where it is in common use in that country (en-US: EST/EDT, PST;
// en-GB: BST, CET; en-AU: ACDT; en-IN: IST …); elsewhere it answers "GMT+9", which we reject.
const ABBREVIATION_LOCALES = [
  'en-US',
  'en-CA',
  'en-GB',
  'en-IE',
  'en-AU',
  'en-NZ',
  'en-IN',
  'en-SG',
  'en-ZA',
];
const LETTER_ABBREVIATION = /^[A-Z]{2,5}$/;

export interface TargetGroupNameInput {
  subject: string;
  /** The webinar's first session start (UTC instant). */
  startsAt: Date;
  /** IANA zone of the account's displayed time zone. */
  timeZone: string;
  kind: TargetGroupKind;
  /** Kind `engaged` only: the threshold in minutes, part of the name. */
  engagementMinutes?: number | null;
  /** 1 (or absent) for the first webinar with this name in the folder; n ≥ 2 adds " (n)". */
  ordinal?: number;
}

/** `Q4 Product Update - Dec 3, 2026 2:00 PM EST - Attended`, at most 255 characters. */
export function buildTargetGroupName(input: TargetGroupNameInput): string {
  const ordinal = input.ordinal && input.ordinal > 1 ? ` (${input.ordinal})` : '';
  const tail = ` - ${startLabel(input.startsAt, input.timeZone)}${ordinal} - ${kindLabel(input.kind, input.engagementMinutes)}`;
  const room = TARGET_GROUP_NAME_MAX - codePointLength(tail);
  return truncate(normalizeSubject(input.subject), room) + tail;
}

// Each webinar's three groups share one label, and a full sync names a thousand webinars: Luxon's
// zone lookups and ICU formatting cost ~0.3 ms a label, so labels and zone checks are kept
// (both bounded; a zone's rules only change with the ICU data, i.e. with the Node binary).
const labels = new LRUCache<string, string, { startsAt: Date; timeZone: string }>({
  max: 2000,
  memoMethod: (_key, _stale, { context }) => formatStartLabel(context.startsAt, context.timeZone),
});
const zoneValidity = new LRUCache<string, boolean>({
  max: 2000,
  memoMethod: (zone) => IANAZone.isValidZone(zone),
});

/** `Dec 3, 2026 2:00 PM EST`: the start in the zone, with the zone's abbreviation then. */
function startLabel(startsAt: Date, timeZone: string): string {
  return labels.memo(`${timeZone}|${startsAt.getTime()}`, { context: { startsAt, timeZone } });
}

function formatStartLabel(startsAt: Date, timeZone: string): string {
  const start = DateTime.fromJSDate(startsAt, { zone: requireZone(timeZone) }).setLocale('en-US');
  if (!start.isValid) throw new RangeError(`Invalid webinar start: ${String(startsAt)}`);
  return `${start.toFormat('LLL d, yyyy h:mm a')} ${zoneAbbreviation(start)}`;
}

/** The zone's abbreviation at that instant as people read it (EST/EDT, GMT/BST), else `UTC+5:45`. */
export function zoneAbbreviation(at: DateTime): string {
  for (const locale of ABBREVIATION_LOCALES) {
    const name = at.setLocale(locale).offsetNameShort;
    if (name && LETTER_ABBREVIATION.test(name)) return name;
  }
  return utcOffsetLabel(at.offset);
}

// "UTC+9", "UTC-3", "UTC+5:45", "UTC": an unambiguous offset, unlike the sign-inverted Etc/GMT±n names.
export function utcOffsetLabel(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60;
  return `UTC${offsetMinutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/** Recurring webinars are named by their first session; a webinar without sessions by its start. */
export function firstSessionStart(webinar: {
  startsAt: Date;
  sessions?: { startTime: string }[] | null;
}): Date {
  const starts = (Array.isArray(webinar.sessions) ? webinar.sessions : [])
    .map((s) => Date.parse(s?.startTime))
    .filter((t) => Number.isFinite(t));
  return starts.length ? new Date(Math.min(...starts)) : webinar.startsAt;
}

export function normalizeSubject(subject: string | null | undefined): string {
  const s = (subject ?? '').replace(/\s+/gu, ' ').trim();
  return s || UNTITLED_SUBJECT;
}

export function isValidTimeZone(zone: string | null | undefined): zone is string {
  return !!zone && zoneValidity.memo(zone);
}

function requireZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown IANA time zone: ${zone}`);
  return zone;
}

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// Cut at a grapheme boundary (never inside a surrogate pair, a ZWJ emoji or a combining sequence)
// so that text + ellipsis fits in `max` code points.
function truncate(text: string, max: number): string {
  if (codePointLength(text) <= max) return text;
  const budget = max - codePointLength(ELLIPSIS);
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    const len = codePointLength(segment);
    if (used + len > budget) break;
    out += segment;
    used += len;
  }
  return out.trimEnd() + ELLIPSIS;
}
