// What every GoTo REST handler starts with: the bearer scope, the addressed webinar or session,
// query parameters checked like GoTo does; a failure is thrown as a Reply and answered as is.
import { AccessToken } from './sim-auth';
import { SimContext, restError } from './sim-context';
import { SimReply, SimRequest } from './sim-http';
import { bearer } from './sim-oauth-routes';
import { SimOrganizer, SimSession, SimWebinar } from './sim-types';

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$/;

export class Reply extends Error {
  constructor(readonly reply: SimReply) {
    super('reply');
  }
}

export const fail = (status: number, code: string, description: string, req: SimRequest): never => {
  throw new Reply(restError(status, code, description, req.path));
};

export interface Scope {
  token: AccessToken;
  org: SimOrganizer;
}

export function scope(ctx: SimContext, req: SimRequest): Scope {
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

export function webinarOf(ctx: SimContext, req: SimRequest, s: Scope): SimWebinar {
  const key = req.params.webinarKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid webinarKey: ${key}`, req);
  const w = ctx.store.webinar(key);
  const sees =
    w?.organizerKey === s.org.organizerKey || w?.coorganizerKeys?.includes(s.org.organizerKey);
  if (!w || !sees || w.status !== 'active') {
    fail(404, 'NotFound', 'Webinar with the specified key does not exist.', req);
  }
  return w!;
}

export function sessionOf(ctx: SimContext, req: SimRequest, w: SimWebinar): SimSession {
  const key = req.params.sessionKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid sessionKey: ${key}`, req);
  const s = ctx.store.sessions(w).find((x) => x.sessionKey === key);
  if (!s) fail(404, 'NotFound', 'Session with the specified key does not exist.', req);
  return s!;
}

export function intParam(
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

export function timeRange(req: SimRequest, required: boolean): [number, number] {
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
