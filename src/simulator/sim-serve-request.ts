// Serving one request of the simulator: the control routes, then GoTo's routes with the injected
// faults (down, hang, latency, status, body faults), the per-client rate limit, and the answer.
import { IncomingMessage, ServerResponse } from 'node:http';
import { SimContext, invalidToken, notFoundRoute, restError } from './sim-context';
import { SimFault, SimFaultType, nowMs } from './sim-faults';
import { SimReply, SimRequest, SimRouter, payload, readBody, serialize } from './sim-http';

export async function serveRequest(
  ctx: SimContext,
  api: SimRouter,
  controlRouter: SimRouter,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const arrived = nowMs();
  const url = new URL(req.url ?? '/', 'http://simulator');
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req);
  const base = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body };

  if (url.pathname.startsWith('/_sim/')) {
    const m = controlRouter.match(method, url.pathname);
    if (m === null || m === 'method') return write(res, notFoundRoute(url.pathname));
    return write(res, await m.route.handler({ ...base, params: m.params }));
  }

  const m = api.match(method, url.pathname);
  const label = m && m !== 'method' ? `${method} ${m.route.pattern}` : `${method} (unrouted)`;
  const faults = ctx.faults.take(method, url.pathname);
  if (faults.has('down')) {
    ctx.counters.record(label, 'reset', arrived);
    req.socket.destroy();
    return;
  }
  if (faults.has('hang')) {
    ctx.counters.record(label, 'hang', arrived);
    return;
  }
  const latency = faults.get('latency');
  if (latency) await new Promise((r) => setTimeout(r, latency.latencyMs));

  let reply: SimReply;
  if (faults.has('status')) reply = statusFault(faults.get('status')!, url.pathname);
  else if (faults.has('invalid-token')) reply = invalidToken();
  else if (m === null) reply = notFoundRoute(url.pathname);
  else if (m === 'method')
    reply = restError(
      405,
      'MethodNotAllowed',
      `Method ${method} is not supported here.`,
      url.pathname,
    );
  else if (!rateAllowed(ctx, { ...base, params: m.params })) {
    reply = restError(429, 'TooManyRequests', 'Rate limit exceeded.', url.pathname);
  } else {
    try {
      reply = await m.route.handler({ ...base, params: m.params });
    } catch (e) {
      reply = restError(500, 'InternalServerError', 'Unexpected error.', url.pathname);
      console.error('simulator handler failed', e);
    }
  }
  reply = applyBodyFaults(reply, faults);
  ctx.counters.record(label, reply.status, arrived);
  write(res, reply);
}

function rateAllowed(ctx: SimContext, req: SimRequest): boolean {
  if (ctx.limiter.rps === null || req.path.startsWith('/oauth/')) return true;
  const m = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '');
  const token = m ? ctx.auth.checkAccess(m[1]) : undefined;
  return ctx.limiter.allow(token?.clientId ?? 'anonymous');
}

function statusFault(f: SimFault, path: string): SimReply {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
  if (f.body !== undefined) return { status: f.status!, body: f.body, headers };
  const code =
    f.status === 429
      ? 'TooManyRequests'
      : f.status! >= 500
        ? 'InternalServerError'
        : f.status === 404
          ? 'NotFound'
          : 'InvalidRequest';
  const reply = restError(f.status!, code, `Injected fault (${f.status}).`, path);
  return { ...reply, headers };
}

const REQUIRED_FIELDS = [
  'times',
  'registrantKey',
  'sessionKey',
  'webinarKey',
  'email',
  'access_token',
  'id',
];

function applyBodyFaults(reply: SimReply, faults: Map<SimFaultType, SimFault>): SimReply {
  let out = reply;
  if (faults.has('schema-violation') && out.body !== undefined) {
    const body = JSON.parse(JSON.stringify(out.body)) as unknown;
    const target = firstObject(body);
    const field = target && REQUIRED_FIELDS.find((k) => k in target);
    if (target && field) delete target[field];
    // The JSON round trip keeps RawNumber markers as strings; serialize() still turns them into digits.
    // A prebuilt `bytes` (jsonBytes) is dropped: the edited body is what goes out.
    out = { status: out.status, headers: out.headers, body };
  }
  if (faults.has('malformed-json')) {
    const text = serialize(out);
    out = { ...out, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
  }
  return out;
}

function firstObject(v: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(v)) return v.length > 0 ? firstObject(v[0]) : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (o._embedded && typeof o._embedded === 'object') {
    const list = Object.values(o._embedded as Record<string, unknown>)[0];
    return firstObject(list);
  }
  if (Array.isArray(o.data)) return firstObject(o.data);
  return o;
}

export function write(res: ServerResponse, reply: SimReply): void {
  const body = payload(reply);
  const headers: Record<string, string | number> = { ...(reply.headers ?? {}) };
  if (body.length > 0) headers['Content-Type'] = 'application/json;charset=UTF-8';
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(reply.status, headers);
  res.end(body);
}
