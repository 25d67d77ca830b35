// Registrants: the list (whole or paged), one registrant, registering, removing, the form fields.
import { SimContext, restError } from './sim-context';
import { SimConflictError, SimInputError } from './sim-errors';
import { SimReply, SimRequest, json, jsonBytes, parseJsonBody } from './sim-http';
import { num } from './sim-json';
import { DEFAULT_PAGE, MAX_PAGE } from './sim-goto-paging';
import { fail, intParam, scope, webinarOf } from './sim-goto-request';
import { registrantBytes } from './sim-row-text';
import * as shape from './sim-shapes';
import { SimRegistrant } from './sim-types';

export function getRegistrants(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  if (!req.query.has('page') && !req.query.has('limit')) {
    // Only the bytes are memoized (off the JS heap); a fault that edits the body reads the
    // registrants again, the same ones while the memo holds (it expires with any change).
    const bytes = ctx.store.memoize('registrants', w, '', () =>
      registrantArray(ctx.store.registrants(w)),
    );
    return jsonBytes(200, bytes, () => ctx.store.registrants(w).map(shape.registrant));
  }
  const list = ctx.store.registrants(w);
  const page = intParam(ctx, req, 'page', 0, 0);
  const limit = intParam(ctx, req, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
  const data = list.slice(page * limit, page * limit + limit).map(shape.registrant);
  return json(200, { data, total: list.length, page, limit, pageSize: data.length });
}

/** The whole list as GoTo's plain array, written once per webinar (memoized). */
function registrantArray(registrants: SimRegistrant[]): Buffer {
  let text = '[';
  for (let i = 0; i < registrants.length; i++) {
    if (i > 0) text += ',';
    text += registrantBytes(registrants[i]);
  }
  return Buffer.from(`${text}]`, 'latin1');
}

export function getRegistrant(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const key = req.params.registrantKey;
  if (!/^\d+$/.test(key)) fail(400, 'InvalidRequest', `Invalid registrantKey: ${key}`, req);
  const r = ctx.store.registrants(w).find((x) => x.registrantKey === key);
  if (!r) fail(404, 'NotFound', 'Registrant with the specified key does not exist.', req);
  return json(200, shape.registrantDetailed(r!, w));
}

export function createRegistrant(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  let body: Record<string, unknown>;
  try {
    body = parseJsonBody(req);
  } catch {
    return fail(400, 'InvalidRequest', 'Malformed JSON body.', req);
  }
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  // A webinar that is over takes no registrations; a full one none beyond its seats (a duplicate
  // email still answers 409 below, as GoTo checks the registrant first).
  const lastEnd = Math.max(...w.times.map((t) => Date.parse(t.endTime)));
  const existing = ctx.store
    .registrants(w)
    .some((r) => r.email.toLowerCase() === str('email').toLowerCase());
  if (!existing && lastEnd <= ctx.store.nowMs())
    return fail(400, 'InvalidRequest', 'Registration is closed: the webinar has ended.', req);
  if (
    !existing &&
    w.registrationLimit !== undefined &&
    ctx.store.registrants(w).filter((r) => r.status !== 'DENIED').length >= w.registrationLimit
  )
    return fail(400, 'InvalidRequest', 'The webinar is full: no seats are left.', req);
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

export function deleteRegistrant(ctx: SimContext, req: SimRequest): SimReply {
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

export function registrationFields(ctx: SimContext, req: SimRequest): SimReply {
  webinarOf(ctx, req, scope(ctx, req));
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
