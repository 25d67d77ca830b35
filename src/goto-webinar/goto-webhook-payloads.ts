// GoTo webhook deliveries (goto-webinar-api.md §6.2) -> our types. Keys are 64-bit: the raw text is
// parsed with parseJsonExact, so they arrive here as exact decimal strings, never rounded.
import {
  date,
  fieldPath,
  itemPath,
  Json,
  key,
  optArr,
  optDate,
  optKey,
  optStr,
  PayloadError,
  readObject,
  readString,
} from './goto-json-readers';
import { GotoWebinarTime } from './goto-webinar.types';
import { parseJsonExact } from './parse-json-exact';

export const GOTO_WEBHOOK_EVENTS = [
  'registrant.added',
  'registrant.joined',
  'webinar.created',
  'webinar.changed',
] as const;
export type GotoWebhookEventName = (typeof GOTO_WEBHOOK_EVENTS)[number];

interface EventBase {
  eventKey: string;
  /** When it happened at GoTo (`timestamp`); absent in a malformed event (then ordering is by arrival). */
  timestamp?: Date;
  webinarKey: string;
}

export interface RegistrantAddedEvent extends EventBase {
  eventName: 'registrant.added';
  registrantKey: string;
  /** The webinar's organizer (GoTo's `webinarCreatorKey`). */
  organizerKey?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** Upper-cased GoTo status: APPROVED | WAITING | DENIED | CANCELLED (others kept as sent). */
  status?: string;
  registrationDate?: Date;
  joinUrl?: string;
}

export interface RegistrantJoinedEvent extends EventBase {
  eventName: 'registrant.joined';
  registrantKey: string;
  organizerKey?: string;
  sessionKey?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  joinTime?: Date;
}

export interface WebinarChangedEvent extends EventBase {
  eventName: 'webinar.created' | 'webinar.changed';
  organizerKey?: string;
  accountKey?: string;
  subject?: string;
  description?: string;
  times: GotoWebinarTime[];
  timeZone?: string;
  recurrenceType?: string;
  experienceType?: string;
  /** NEW | UPDATED | DELETED (upper-cased). */
  status?: string;
}

export type GotoWebhookEvent = RegistrantAddedEvent | RegistrantJoinedEvent | WebinarChangedEvent;

/** One delivery's events: GoTo posts one event per request; an array is accepted too. */
export interface ParsedDelivery {
  events: Array<{ event: GotoWebhookEvent; text: string }>;
  /** Events of a kind we do not handle (acknowledged, not stored). */
  ignored: number;
}

/** Throws a PayloadError (a 400 for the sender) when the JSON is not an event or a list of them. */
export function parseWebhookDelivery(text: string): ParsedDelivery {
  let json: Json;
  try {
    json = parseJsonExact(text);
  } catch {
    throw new PayloadError('$', 'not valid JSON');
  }
  const list = Array.isArray(json) ? json : [json];
  const out: ParsedDelivery = { events: [], ignored: 0 };
  list.forEach((item, i) => {
    const path = Array.isArray(json) ? itemPath('', i) : '';
    const event = mapWebhookEvent(item, path);
    if (event === null) out.ignored++;
    else out.events.push({ event, text: Array.isArray(json) ? JSON.stringify(item) : text });
  });
  return out;
}

/** One event, or null for an event name we do not handle. */
export function mapWebhookEvent(v: Json, path = ''): GotoWebhookEvent | null {
  const o = readObject(v, path);
  const eventName = readString(o.eventName, fieldPath(path, 'eventName'));
  if (!(GOTO_WEBHOOK_EVENTS as readonly string[]).includes(eventName)) return null;
  const eventKey = readString(o.eventKey, fieldPath(path, 'eventKey')).trim();
  if (!/^[\w-]{1,64}$/.test(eventKey))
    throw new PayloadError(fieldPath(path, 'eventKey'), 'expected an id of at most 64 characters');
  const base = {
    eventKey,
    timestamp: optDate(o.timestamp, fieldPath(path, 'timestamp')),
    webinarKey: key(o.webinarKey, fieldPath(path, 'webinarKey')),
  };
  const person = {
    email: optStr(o.email, fieldPath(path, 'email')),
    firstName: optStr(o.firstName, fieldPath(path, 'firstName')),
    lastName: optStr(o.lastName, fieldPath(path, 'lastName')),
  };
  const organizerKey = optKey(
    o.webinarCreatorKey ?? o.organizerKey,
    fieldPath(path, 'webinarCreatorKey'),
  );
  if (eventName === 'registrant.added')
    return clean<RegistrantAddedEvent>({
      eventName,
      ...base,
      ...person,
      registrantKey: key(o.registrantKey, fieldPath(path, 'registrantKey')),
      organizerKey,
      status: optStr(o.status, fieldPath(path, 'status'))?.toUpperCase(),
      registrationDate: optDate(o.registrationDate, fieldPath(path, 'registrationDate')),
      joinUrl: optStr(o.joinUrl, fieldPath(path, 'joinUrl')),
    });
  if (eventName === 'registrant.joined')
    return clean<RegistrantJoinedEvent>({
      eventName,
      ...base,
      ...person,
      registrantKey: key(o.registrantKey, fieldPath(path, 'registrantKey')),
      organizerKey,
      sessionKey: optKey(o.sessionKey, fieldPath(path, 'sessionKey')),
      joinTime: optDate(o.joinTime, fieldPath(path, 'joinTime')),
    });
  const times = (optArr(o.times, fieldPath(path, 'times')) ?? []).map((t, i) => {
    const p = itemPath(fieldPath(path, 'times'), i);
    const to = readObject(t, p);
    return {
      startTime: date(to.startTime, fieldPath(p, 'startTime')),
      endTime: date(to.endTime, fieldPath(p, 'endTime')),
    };
  });
  return clean({
    eventName: eventName as 'webinar.created' | 'webinar.changed',
    ...base,
    organizerKey: optKey(o.organizerKey, fieldPath(path, 'organizerKey')),
    accountKey: optKey(o.accountKey, fieldPath(path, 'accountKey')),
    subject: optStr(o.webinarTitle ?? o.subject, fieldPath(path, 'webinarTitle')),
    description: optStr(o.description, fieldPath(path, 'description')),
    times,
    timeZone: optStr(o.timeZone, fieldPath(path, 'timeZone')),
    recurrenceType: optStr(o.recurrenceType, fieldPath(path, 'recurrenceType')),
    experienceType: optStr(o.experienceType, fieldPath(path, 'experienceType'))?.toUpperCase(),
    status: optStr(o.status, fieldPath(path, 'status'))?.toUpperCase(),
  });
}

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

// Re-exported for the receiver's 400 (it must not import the readers themselves).
export { PayloadError };
