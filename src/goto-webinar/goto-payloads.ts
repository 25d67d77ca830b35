// The boundary: GoTo's raw JSON text -> validated values of our own types.
// Bodies are parsed by parseJsonExact, so 64-bit keys keep all their digits (as strings of
// 16+ digits); keys leave this file as decimal strings. A malformed
// body or a field of the wrong shape becomes INVALID_RESPONSE naming the JSON path (e.g.
// `_embedded.webinars[3].times`). Unknown extra fields are ignored.
import {
  readArray,
  fieldPath,
  date,
  describeValue,
  dropUndefined,
  itemPath,
  Json,
  key,
  mapItems,
  readObject,
  optArr,
  optBool,
  optDate,
  optKey,
  optNum,
  optStr,
  PayloadError,
} from './goto-json-readers';
import { GotoWebinarError } from './goto-webinar.errors';
import { parseJsonExact } from './parse-json-exact';
import {
  GotoAttendanceInterval,
  GotoAttendee,
  GotoRecurrenceType,
  GotoRegistrant,
  GotoRegistrantCreated,
  GotoRegistrantStatus,
  GotoSession,
  GotoWebinar,
  GotoWebinarTime,
} from './goto-webinar.types';

export { key, PayloadError } from './goto-json-readers';

/** Parse a body, 64-bit integers exact. Empty body -> undefined; bad JSON -> INVALID_RESPONSE at `$`. */
export function parseJsonText(text: string, endpoint: string): Json {
  if (text.trim() === '') return undefined;
  try {
    return parseJsonExact(text);
  } catch (e) {
    const why = e instanceof Error ? e.message.slice(0, 160) : 'unreadable';
    throw new GotoWebinarError(
      'INVALID_RESPONSE',
      `GoTo Webinar sent malformed JSON (${endpoint}): ${why}`,
      {
        path: '$',
        endpoint,
      },
    );
  }
}

/** Run a mapper; a PayloadError becomes INVALID_RESPONSE with the path. */
export function mapPayload<T>(endpoint: string, json: Json, mapper: (json: Json) => T): T {
  try {
    return mapper(json);
  } catch (e) {
    if (e instanceof PayloadError) {
      throw new GotoWebinarError(
        'INVALID_RESPONSE',
        `GoTo Webinar sent an unexpected response (${endpoint}): ${e.path}: ${e.problem}`,
        { path: e.path, endpoint },
      );
    }
    throw e;
  }
}

// ---- paging envelopes ------------------------------------------------------------------------

export interface PageOf<T> {
  items: T[];
  /** True when this is the last page (`page.number >= page.totalPages - 1`, or no page info). */
  last: boolean;
  number?: number;
  totalPages?: number;
  totalElements?: number;
}

/**
 * A reporting collection: `{ _embedded: { <embeddedKey>: [...] }, page: {size, totalElements,
 * totalPages, number} }`. `_embedded` may be missing when there is nothing (totalElements 0 or a
 * page past the end).
 */
export function mapReportingPage<T>(
  json: Json,
  embeddedKey: string,
  item: (v: Json, path: string) => T,
): PageOf<T> {
  const root = readObject(json, '');
  let number: number | undefined;
  let totalPages: number | undefined;
  let totalElements: number | undefined;
  if (root.page !== undefined && root.page !== null) {
    const page = readObject(root.page, 'page');
    number = optNum(page.number, 'page.number');
    totalPages = optNum(page.totalPages, 'page.totalPages');
    totalElements = optNum(page.totalElements, 'page.totalElements');
  }
  const last = number === undefined || totalPages === undefined || number >= totalPages - 1;
  if (root._embedded === undefined || root._embedded === null) {
    const empty =
      totalElements === 0 ||
      (number !== undefined && totalPages !== undefined && number >= totalPages);
    if (!empty)
      throw new PayloadError(
        '_embedded',
        `expected an object, got ${describeValue(root._embedded)}`,
      );
    return { items: [], last: true, number, totalPages, totalElements };
  }
  const embedded = readObject(root._embedded, '_embedded');
  const list = embedded[embeddedKey];
  const base = `_embedded.${embeddedKey}`;
  if ((list === undefined || list === null) && totalElements === 0)
    return { items: [], last: true, number, totalPages, totalElements };
  const items = mapItems(readArray(list, base), base, item);
  return { items, last, number, totalPages, totalElements };
}

export interface RegistrantPage {
  items: GotoRegistrant[];
  /** Set for the paginated object form; absent for the plain array form. */
  paging?: { page: number; limit: number; total: number };
}

/** Registrants come as a plain array (no page/limit sent) or as `{data,total,page,limit,pageSize}`. */
export function mapRegistrantsResponse(json: Json): RegistrantPage {
  if (Array.isArray(json)) return { items: mapItems(json, '', mapRegistrant) };
  const root = readObject(json, '');
  const items = mapItems(readArray(root.data, 'data'), 'data', mapRegistrant);
  const page = optNum(root.page, 'page') ?? 0;
  const limit = optNum(root.limit, 'limit') ?? items.length;
  const total = optNum(root.total, 'total') ?? items.length;
  return { items, paging: { page, limit, total } };
}

// ---- items -----------------------------------------------------------------------------------

const RECURRENCE: ReadonlySet<string> = new Set(['single_session', 'series', 'sequence']);
const REGISTRANT_STATUS: ReadonlySet<string> = new Set(['APPROVED', 'WAITING', 'DENIED']);

function recurrence(v: Json, path: string): GotoRecurrenceType | undefined {
  const s = optStr(v, path)?.trim().toLowerCase();
  return s !== undefined && RECURRENCE.has(s) ? (s as GotoRecurrenceType) : undefined;
}

function times(v: Json, path: string): GotoWebinarTime[] {
  return readArray(v, path).map((t, i) => {
    const p = itemPath(path, i);
    const o = readObject(t, p);
    return {
      startTime: date(o.startTime, fieldPath(p, 'startTime')),
      endTime: date(o.endTime, fieldPath(p, 'endTime')),
    };
  });
}

export function mapWebinar(v: Json, path = ''): GotoWebinar {
  const o = readObject(v, path);
  const webinarIdRaw = o.webinarID ?? o.webinarId;
  return dropUndefined({
    webinarKey: key(o.webinarKey, fieldPath(path, 'webinarKey')),
    organizerKey: optKey(o.organizerKey, fieldPath(path, 'organizerKey')),
    accountKey: optKey(o.accountKey, fieldPath(path, 'accountKey')),
    subject: optStr(o.subject, fieldPath(path, 'subject')) ?? '',
    description: optStr(o.description, fieldPath(path, 'description')),
    times: times(o.times, fieldPath(path, 'times')),
    timeZone: optStr(o.timeZone, fieldPath(path, 'timeZone')),
    recurrenceType:
      recurrence(o.recurrenceType, fieldPath(path, 'recurrenceType')) ??
      recurrence(o.type, fieldPath(path, 'type')) ??
      recurrence(o.recurrencePeriod, fieldPath(path, 'recurrencePeriod')),
    registrationUrl: optStr(o.registrationUrl, fieldPath(path, 'registrationUrl')),
    experienceType: optStr(o.experienceType, fieldPath(path, 'experienceType'))?.toUpperCase(),
    webinarId: optStr(
      webinarIdRaw,
      fieldPath(path, o.webinarID !== undefined ? 'webinarID' : 'webinarId'),
    ),
    organizerEmail: optStr(o.organizerEmail, fieldPath(path, 'organizerEmail')),
    organizerName: optStr(o.organizerName, fieldPath(path, 'organizerName')),
    numberOfRegistrants: optNum(o.numberOfRegistrants, fieldPath(path, 'numberOfRegistrants')),
    inSession: optBool(o.inSession, fieldPath(path, 'inSession')),
  });
}

export function mapRegistrant(v: Json, path = ''): GotoRegistrant {
  const o = readObject(v, path);
  const rawStatus = optStr(o.status, fieldPath(path, 'status'))?.trim().toUpperCase();
  const known = rawStatus !== undefined && REGISTRANT_STATUS.has(rawStatus);
  // Built whole, absent fields undefined (not dropUndefined's copy): the lists' records are the
  // hot path, and one shape for all of them keeps the merge's property reads monomorphic.
  return {
    registrantKey: key(o.registrantKey, fieldPath(path, 'registrantKey')),
    firstName: optStr(o.firstName, fieldPath(path, 'firstName')),
    lastName: optStr(o.lastName, fieldPath(path, 'lastName')),
    email: optStr(o.email, fieldPath(path, 'email')),
    status: known ? (rawStatus as GotoRegistrantStatus) : undefined,
    rawStatus: known || rawStatus === '' ? undefined : rawStatus,
    registrationDate: optDate(o.registrationDate, fieldPath(path, 'registrationDate')),
    timeZone: optStr(o.timeZone, fieldPath(path, 'timeZone')),
    joinUrl: optStr(o.joinUrl, fieldPath(path, 'joinUrl')),
  };
}

export function mapSession(v: Json, path = '', webinarKey?: string): GotoSession {
  const o = readObject(v, path);
  const wk = optKey(o.webinarKey, fieldPath(path, 'webinarKey')) ?? webinarKey;
  if (wk === undefined)
    throw new PayloadError(fieldPath(path, 'webinarKey'), 'expected a numeric key, got missing');
  return dropUndefined({
    sessionKey: key(o.sessionKey, fieldPath(path, 'sessionKey')),
    webinarKey: wk,
    startTime: optDate(o.startTime, fieldPath(path, 'startTime')),
    endTime: optDate(o.endTime, fieldPath(path, 'endTime')),
    registrantsAttended: optNum(o.registrantsAttended, fieldPath(path, 'registrantsAttended')),
    registrantCount: optNum(o.registrantCount, fieldPath(path, 'registrantCount')),
  });
}

export function mapAttendee(v: Json, path = ''): GotoAttendee {
  const o = readObject(v, path);
  const intervals = optArr(o.attendance, fieldPath(path, 'attendance')) ?? [];
  // Built whole like mapRegistrant's records.
  return {
    registrantKey: optKey(o.registrantKey, fieldPath(path, 'registrantKey')),
    sessionKey: optKey(o.sessionKey, fieldPath(path, 'sessionKey')),
    firstName: optStr(o.firstName, fieldPath(path, 'firstName')),
    lastName: optStr(o.lastName, fieldPath(path, 'lastName')),
    email: optStr(o.email, fieldPath(path, 'email')),
    attendanceTimeInSeconds: optNum(
      o.attendanceTimeInSeconds,
      fieldPath(path, 'attendanceTimeInSeconds'),
    ),
    attendance: mapItems(
      intervals,
      fieldPath(path, 'attendance'),
      (a, p): GotoAttendanceInterval => {
        const io = readObject(a, p);
        return {
          joinTime: optDate(io.joinTime, fieldPath(p, 'joinTime')),
          leaveTime: optDate(io.leaveTime, fieldPath(p, 'leaveTime')),
        };
      },
    ),
  };
}

export function mapAttendeeArray(json: Json): GotoAttendee[] {
  return mapItems(readArray(json, ''), '', mapAttendee);
}

export function mapRegistrantCreated(json: Json): GotoRegistrantCreated {
  const o = readObject(json, '');
  return dropUndefined({
    registrantKey: key(o.registrantKey, 'registrantKey'),
    joinUrl: optStr(o.joinUrl, 'joinUrl'),
  });
}

/**
 * A 409 on registration that names the existing registrant: that registrant, with
 * `alreadyRegistered: true`; undefined for any other answer (it stays an error).
 */
export function mapRegistrantConflict(
  status: number,
  json: Json,
): GotoRegistrantCreated | undefined {
  if (status !== 409 || typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (o.registrantKey === undefined) return undefined;
  try {
    const registrantKey = key(o.registrantKey, 'registrantKey');
    return {
      registrantKey,
      ...(typeof o.joinUrl === 'string' ? { joinUrl: o.joinUrl } : {}),
      alreadyRegistered: true,
    };
  } catch {
    return undefined;
  }
}
