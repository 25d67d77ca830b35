// The GoTo Webinar v2 REST surface under /G2W/rest/v2 (section 4.1 of goto-webinar-api.md).
import { AccessToken } from './sim-auth';
import { SimContext, restError } from './sim-context';
import { SimReply, SimRequest, SimRouter, json, jsonText, parseJsonBody } from './sim-http';
import { num, stringify } from './sim-json';
import { hashString } from './sim-random';
import * as shape from './sim-shapes';
import { SimConflictError, SimInputError } from './sim-errors';
import { SimOrganizer, SimSession, SimWebinar } from './sim-types';
import { bearer } from './sim-oauth-routes';

const BASE = '/G2W/rest/v2';
const MAX_PAGE = 200;
const DEFAULT_PAGE = 20;
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$/;

class Reply extends Error {
  constructor(readonly reply: SimReply) {
    super('reply');
  }
}

const fail = (status: number, code: string, description: string, req: SimRequest): never => {
  throw new Reply(restError(status, code, description, req.path));
};

interface Scope {
  token: AccessToken;
  org: SimOrganizer;
}

function scope(ctx: SimContext, req: SimRequest): Scope {
  const t = bearer(ctx, req);
  if ('status' in t) throw new Reply(t);
  const key = req.params.organizerKey ?? req.params.accountKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid key: ${key}`, req);
  const org = ctx.store.activeOrganizer(t.organizerKey);
  const allowed = req.params.organizerKey ? key === t.organizerKey : key === org?.accountKey;
  if (!org || !allowed)
    fail(403, 'AccessDenied', 'The token does not grant access to this resource.', req);
  return { token: t, org: org! };
}

function webinarOf(ctx: SimContext, req: SimRequest, s: Scope): SimWebinar {
  const key = req.params.webinarKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid webinarKey: ${key}`, req);
  const w = ctx.store.webinar(key);
  if (!w || w.organizerKey !== s.org.organizerKey || w.status !== 'active') {
    fail(404, 'NotFound', 'Webinar with the specified key does not exist.', req);
  }
  return w!;
}

function sessionOf(ctx: SimContext, req: SimRequest, w: SimWebinar): SimSession {
  const key = req.params.sessionKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid sessionKey: ${key}`, req);
  const s = ctx.store.sessions(w).find((x) => x.sessionKey === key);
  if (!s) fail(404, 'NotFound', 'Session with the specified key does not exist.', req);
  return s!;
}

function intParam(
  ctx: SimContext,
  req: SimRequest,
  name: string,
  dflt: number,
  min: number,
  max?: number,
): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min)
    fail(400, 'InvalidRequest', `Invalid ${name}: ${raw}`, req);
  const n = Number(raw);
  if (max !== undefined && n > max) {
    if (ctx.settings.pageSizeOverflow === 'reject')
      fail(400, 'InvalidRequest', `${name} must not exceed ${max}`, req);
    return max;
  }
  return n;
}

function timeRange(req: SimRequest, required: boolean): [number, number] {
  const parse = (name: string, dflt: number): number => {
    const raw = req.query.get(name);
    if (raw === null || raw === '') {
      if (required) fail(400, 'InvalidRequest', `Required parameter ${name} is missing.`, req);
      return dflt;
    }
    if (!UTC_ISO.test(raw) || Number.isNaN(Date.parse(raw))) {
      fail(
        400,
        'InvalidRequest',
        `Invalid ${name}: expected ISO-8601 UTC, e.g. 2020-03-13T10:00:00Z.`,
        req,
      );
    }
    return Date.parse(raw);
  };
  const from = parse('fromTime', -Infinity);
  const to = parse('toTime', Infinity);
  if (from > to) fail(400, 'InvalidRequest', 'fromTime must be before toTime.', req);
  return [from, to];
}

/** Reporting envelope: `_embedded.<name>` plus `page`; with no items on the page, no `_embedded`. */
function reportingPage(ctx: SimContext, req: SimRequest, name: string, all: unknown[]): SimReply {
  const { page, size } = pageParams(ctx, req);
  const items = all.slice(page * size, page * size + size);
  const body: Record<string, unknown> = {};
  if (items.length > 0) body._embedded = { [name]: items };
  body.page = pageInfo(page, size, all.length);
  return json(200, body);
}

/**
 * The same envelope from rows serialized beforehand (memoized per webinar): a page costs a join,
 * not a rebuild of every row. `rows()` gives the row objects for faults that edit the body.
 */
function reportingPageOfText(
  ctx: SimContext,
  req: SimRequest,
  name: string,
  texts: string[],
  rows: () => unknown[],
): SimReply {
  const { page, size } = pageParams(ctx, req);
  const from = page * size;
  const items = texts.slice(from, from + size);
  const info = pageInfo(page, size, texts.length);
  const text =
    (items.length > 0 ? `{"_embedded":{${JSON.stringify(name)}:[${items.join(',')}]},` : '{') +
    `"page":${JSON.stringify(info)}}`;
  return jsonText(200, text, () => {
    const body: Record<string, unknown> = {};
    if (items.length > 0) body._embedded = { [name]: rows().slice(from, from + size) };
    body.page = info;
    return body;
  });
}

function pageParams(ctx: SimContext, req: SimRequest): { page: number; size: number } {
  return {
    page: intParam(ctx, req, 'page', 0, 0),
    size: intParam(ctx, req, 'size', DEFAULT_PAGE, 1, MAX_PAGE),
  };
}

const pageInfo = (page: number, size: number, total: number) => ({
  size,
  totalElements: total,
  totalPages: Math.ceil(total / size),
  number: page,
});

const inRange = (w: SimWebinar, from: number, to: number) =>
  w.times.some((t) => Date.parse(t.startTime) >= from && Date.parse(t.startTime) <= to);

function listWebinars(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const [from, to] = timeRange(req, true);
  const orgs = req.params.accountKey
    ? ctx.store.organizers.filter((o) => !o.removed && o.accountKey === s.org.accountKey)
    : [s.org];
  const list = orgs
    .flatMap((o) => ctx.store.webinarsOf(o.organizerKey))
    .filter((w) => w.status === 'active' && inRange(w, from, to))
    .sort((a, b) => a.times[0].startTime.localeCompare(b.times[0].startTime));
  return reportingPage(ctx, req, 'webinars', list.map(shape.webinarItem));
}

function sessionRows(
  ctx: SimContext,
  w: SimWebinar,
  org: SimOrganizer,
  sessions: SimSession[],
): unknown[] {
  const registrants = sessions.length > 0 ? ctx.store.registrantCount(w) : 0;
  return sessions.map((x) =>
    shape.reportingSession(
      x,
      w,
      org,
      { attended: ctx.store.attendeeCount(w, x), registrants },
      hashString(x.sessionKey),
    ),
  );
}

function organizerSessions(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const [from, to] = timeRange(req, true);
  const rows: { start: string; row: unknown }[] = [];
  for (const w of ctx.store.webinarsOf(s.org.organizerKey)) {
    if (w.status !== 'active') continue;
    const sessions = ctx.store
      .sessions(w)
      .filter((x) => Date.parse(x.startTime) >= from && Date.parse(x.startTime) <= to);
    sessionRows(ctx, w, s.org, sessions).forEach((row, i) =>
      rows.push({ start: sessions[i].startTime, row }),
    );
  }
  rows.sort((a, b) => a.start.localeCompare(b.start));
  return reportingPage(
    ctx,
    req,
    'sessionInfoResources',
    rows.map((r) => r.row),
  );
}

function getRegistrants(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const { list, texts } = ctx.store.memoize('registrants', w, '', () => {
    const registrants = ctx.store.registrants(w);
    return { list: registrants, texts: registrants.map((r) => stringify(shape.registrant(r))) };
  });
  if (!req.query.has('page') && !req.query.has('limit'))
    return jsonText(200, `[${texts.join(',')}]`, () => list.map(shape.registrant));
  const page = intParam(ctx, req, 'page', 0, 0);
  const limit = intParam(ctx, req, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const data = list.slice(page * limit, page * limit + limit).map(shape.registrant);
  return json(200, { data, total: list.length, page, limit, pageSize: data.length });
}

function getRegistrant(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const key = req.params.registrantKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid registrantKey: ${key}`, req);
  const r = ctx.store.registrants(w).find((x) => x.registrantKey === key);
  if (!r) fail(404, 'NotFound', 'Registrant with the specified key does not exist.', req);
  return json(200, shape.registrantDetailed(r!, w));
}

function createRegistrant(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  let body: Record<string, unknown>;
  try {
    body = parseJsonBody(req);
  } catch {
    return fail(400, 'InvalidRequest', 'Malformed JSON body.', req);
  }
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  try {
    const r = ctx.store.addRegistrant(w.webinarKey, {
      firstName: str('firstName'),
      lastName: str('lastName'),
      email: str('email'),
    });
    return json(201, { registrantKey: num(r.registrantKey), joinUrl: r.joinUrl });
  } catch (e) {
    if (e instanceof SimConflictError) {
      const body409 = restError(409, 'Conflict', 'The user is already registered.', req.path)
        .body as Record<string, unknown>;
      return json(409, {
        ...body409,
        registrantKey: num(e.existing!.registrantKey),
        joinUrl: e.existing!.joinUrl,
      });
    }
    if (e instanceof SimInputError) return fail(400, 'InvalidRequest', e.message, req);
    throw e;
  }
}

function deleteRegistrant(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const key = req.params.registrantKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid registrantKey: ${key}`, req);
  if (!ctx.store.registrants(w).some((r) => r.registrantKey === key)) {
    fail(404, 'NotFound', 'Registrant with the specified key does not exist.', req);
  }
  const lastEnd = Math.max(...w.times.map((t) => Date.parse(t.endTime)));
  if (lastEnd <= ctx.store.nowMs())
    fail(400, 'InvalidRequest', 'Registrants can only be removed from future webinars.', req);
  ctx.store.removeRegistrant(w.webinarKey, key);
  return { status: 204 };
}

function webinarAttendees(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const sessions = ctx.store.sessions(w);
  // Built once per webinar (and dataset revision / set of completed sessions), then paged.
  const sig = sessions.map((x) => `${x.sessionKey}@${x.startTime}/${x.endTime}`).join(',');
  const { list, texts } = ctx.store.memoize('attendees', w, sig, () => {
    const rows = sessions.flatMap((x) => ctx.store.attendees(w, x));
    return { list: rows, texts: rows.map((a) => stringify(shape.attendee(a))) };
  });
  return reportingPageOfText(ctx, req, 'attendeeParticipationResponses', texts, () =>
    list.map(shape.attendee),
  );
}

function sessionAttendee(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const x = sessionOf(ctx, req, w);
  const a = ctx.store.attendees(w, x).find((y) => y.registrantKey === req.params.registrantKey);
  if (!a) fail(404, 'NotFound', 'Attendee with the specified key does not exist.', req);
  const r = ctx.store.registrants(w).find((y) => y.registrantKey === a!.registrantKey);
  return json(200, r ? shape.registrant(r) : shape.attendee(a!));
}

function registrationFields(): SimReply {
  const field = (f: string, required: boolean) => ({
    field: f,
    required,
    maxSize: 128,
    answers: [],
  });
  return json(200, {
    fields: [
      field('firstName', true),
      field('lastName', true),
      field('email', true),
      field('organization', false),
      field('jobTitle', false),
    ],
    questions: [],
  });
}

// DELETE …/webinars/{webinarKey}: cancels it (204); GET then answers 404 and lists drop it.
function cancelWebinar(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  if (shape.inSession(w, ctx.store.nowMs()))
    fail(409, 'Conflict', 'The webinar is in session.', req);
  // deleteAll (default true) cancels every webinar of a series; false only this one.
  const all = req.query.get('deleteAll') !== 'false' && w.recurrenceKey !== undefined;
  const targets = all
    ? ctx.store.webinarsOf(s.org.organizerKey).filter((x) => x.recurrenceKey === w.recurrenceKey)
    : [w];
  for (const x of targets) ctx.store.cancelWebinar(x.webinarKey);
  return { status: 204 };
}

export function addGotoRoutes(router: SimRouter, ctx: SimContext): void {
  const wrap = (h: (ctx: SimContext, req: SimRequest) => SimReply) => (req: SimRequest) => {
    try {
      return h(ctx, req);
    } catch (e) {
      if (e instanceof Reply) return e.reply;
      throw e;
    }
  };
  const W = `${BASE}/organizers/{organizerKey}/webinars/{webinarKey}`;
  router
    .add('GET', `${BASE}/organizers/{organizerKey}/webinars`, wrap(listWebinars))
    .add('GET', `${BASE}/accounts/{accountKey}/webinars`, wrap(listWebinars))
    .add('GET', `${BASE}/organizers/{organizerKey}/sessions`, wrap(organizerSessions))
    .add(
      'GET',
      `${BASE}/organizers/{organizerKey}/insessionWebinars`,
      wrap((c, req) => {
        const s = scope(c, req);
        const now = c.store.nowMs();
        const live = c.store
          .webinarsOf(s.org.organizerKey)
          .filter((w) => w.status === 'active' && shape.inSession(w, now));
        return json(
          200,
          live.map((w) => shape.brokerWebinar(w, s.org, c.store.registrantCount(w), now)),
        );
      }),
    )
    .add(
      'GET',
      `${W}/registrants/fields`,
      wrap((c, req) => (webinarOf(c, req, scope(c, req)), registrationFields())),
    )
    .add('GET', `${W}/registrants`, wrap(getRegistrants))
    .add('POST', `${W}/registrants`, wrap(createRegistrant))
    .add('GET', `${W}/registrants/{registrantKey}`, wrap(getRegistrant))
    .add('DELETE', `${W}/registrants/{registrantKey}`, wrap(deleteRegistrant))
    .add(
      'GET',
      `${W}/sessions`,
      wrap((c, req) => {
        const s = scope(c, req);
        const w = webinarOf(c, req, s);
        return reportingPage(
          c,
          req,
          'sessionInfoResources',
          sessionRows(c, w, s.org, c.store.sessions(w)),
        );
      }),
    )
    .add(
      'GET',
      `${W}/sessions/{sessionKey}`,
      wrap((c, req) => {
        const w = webinarOf(c, req, scope(c, req));
        const x = sessionOf(c, req, w);
        return json(200, shape.sessionByKey(x, w, c.store.attendeeCount(w, x)));
      }),
    )
    .add(
      'GET',
      `${W}/sessions/{sessionKey}/attendees`,
      wrap((c, req) => {
        const w = webinarOf(c, req, scope(c, req));
        return json(200, c.store.attendees(w, sessionOf(c, req, w)).map(shape.attendee));
      }),
    )
    .add('GET', `${W}/sessions/{sessionKey}/attendees/{registrantKey}`, wrap(sessionAttendee))
    .add('GET', `${W}/attendees`, wrap(webinarAttendees))
    .add(
      'GET',
      `${W}/meetingtimes`,
      wrap((c, req) => {
        const w = webinarOf(c, req, scope(c, req));
        return json(
          200,
          w.times.map((t) => ({ startTime: t.startTime, endTime: t.endTime })),
        );
      }),
    )
    .add('DELETE', W, wrap(cancelWebinar))
    .add(
      'GET',
      W,
      wrap((c, req) => {
        const s = scope(c, req);
        const w = webinarOf(c, req, s);
        return json(200, shape.webinarByKey(w, s.org, c.store.registrantCount(w), c.store.nowMs()));
      }),
    );
}
