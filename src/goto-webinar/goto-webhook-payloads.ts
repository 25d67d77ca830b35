// GoTo webhook deliveries (goto-webinar-api.md §6.2) -> our types. Keys are 64-bit: the raw text is
// parsed with parseJsonExact, so they arrive here as exact decimal strings, never rounded.
import {
  at,
  date,
  idx,
  Json,
  key,
  obj,
  optArr,
  optDate,
  optKey,
  optStr,
  PayloadError,
  str,
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
    const path = Array.isArray(json) ? idx('', i) : '';
    const event = mapWebhookEvent(item, path);
    if (event === null) out.ignored++;
    else out.events.push({ event, text: Array.isArray(json) ? JSON.stringify(item) : text });
  });
  return out;
}

/** One event, or null for an event name we do not handle. */
export function mapWebhookEvent(v: Json, path = ''): GotoWebhookEvent | null {
  const o = obj(v, path);
  const eventName = str(o.eventName, at(path, 'eventName'));
  if (!(GOTO_WEBHOOK_EVENTS as readonly string[]).includes(eventName)) return null;
  const eventKey = str(o.eventKey, at(path, 'eventKey')).trim();
  if (!/^[\w-]{1,64}$/.test(eventKey))
    throw new PayloadError(at(path, 'eventKey'), 'expected an id of at most 64 characters');
  const base = {
    eventKey,
    timestamp: optDate(o.timestamp, at(path, 'timestamp')),
    webinarKey: key(o.webinarKey, at(path, 'webinarKey')),
  };
  const person = {
    email: optStr(o.email, at(path, 'email')),
    firstName: optStr(o.firstName, at(path, 'firstName')),
    lastName: optStr(o.lastName, at(path, 'lastName')),
  };
  const organizerKey = optKey(o.webinarCreatorKey ?? o.organizerKey, at(path, 'webinarCreatorKey'));
  if (eventName === 'registrant.added')
    return clean<RegistrantAddedEvent>({
      eventName,
      ...base,
      ...person,
      registrantKey: key(o.registrantKey, at(path, 'registrantKey')),
      organizerKey,
      status: optStr(o.status, at(path, 'status'))?.toUpperCase(),
      registrationDate: optDate(o.registrationDate, at(path, 'registrationDate')),
      joinUrl: optStr(o.joinUrl, at(path, 'joinUrl')),
    });
  if (eventName === 'registrant.joined')
    return clean<RegistrantJoinedEvent>({
      eventName,
      ...base,
      ...person,
      registrantKey: key(o.registrantKey, at(path, 'registrantKey')),
      organizerKey,
      sessionKey: optKey(o.sessionKey, at(path, 'sessionKey')),
      joinTime: optDate(o.joinTime, at(path, 'joinTime')),
    });
  const times = (optArr(o.times, at(path, 'times')) ?? []).map((t, i) => {
    const p = idx(at(path, 'times'), i);
    const to = obj(t, p);
    return {
      startTime: date(to.startTime, at(p, 'startTime')),
      endTime: date(to.endTime, at(p, 'endTime')),
    };
  });
  return clean({
    eventName: eventName as 'webinar.created' | 'webinar.changed',
    ...base,
    organizerKey: optKey(o.organizerKey, at(path, 'organizerKey')),
    accountKey: optKey(o.accountKey, at(path, 'accountKey')),
    subject: optStr(o.webinarTitle ?? o.subject, at(path, 'webinarTitle')),
    description: optStr(o.description, at(path, 'description')),
    times,
    timeZone: optStr(o.timeZone, at(path, 'timeZone')),
    recurrenceType: optStr(o.recurrenceType, at(path, 'recurrenceType')),
    experienceType: optStr(o.experienceType, at(path, 'experienceType'))?.toUpperCase(),
    status: optStr(o.status, at(path, 'status'))?.toUpperCase(),
  });
}

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

// Re-exported for the receiver's 400 (it must not import the readers themselves).
export { PayloadError };
