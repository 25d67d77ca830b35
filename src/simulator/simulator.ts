// GoTo Webinar simulator: an in-process HTTP server faithful to GoTo's API (traps included).
// Never imported by the app; used by tests, the demo, the bench and `npm run simulator`.
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { SimAuth } from './sim-auth';
import { SimContext, invalidToken, notFoundRoute, restError } from './sim-context';
import { SimControl } from './sim-control';
import { addControlRoutes } from './sim-control-routes';
import {
  Counters,
  FaultRegistry,
  RateLimiter,
  SimCounters,
  SimFault,
  SimFaultInput,
  SimFaultType,
  SimRequestRecord,
  nowMs,
} from './sim-faults';
import { addGotoRoutes } from './sim-goto-routes';
import { SimReply, SimRequest, SimRouter, payload, readBody, serialize } from './sim-http';
import { addOauthRoutes } from './sim-oauth-routes';
import { SimStore } from './sim-store';
import { addWebhookControlRoutes, addWebhookRoutes } from './sim-webhook-routes';
import { SimWebhooks } from './sim-webhooks';

export type { OrganizerInfo, WebinarInfo, SimSettingsPatch } from './sim-control';
export type {
  SimFault,
  SimFaultInput,
  SimFaultType,
  SimCounters,
  SimRequestRecord,
} from './sim-faults';
export { maxInAnyWindow } from './sim-faults';
export type { AddRegistrantInput, AddWebinarInput, MarkAttendanceInput } from './sim-store-inputs';
export type { SimAttendee, SimRegistrant, SimSession, SimTime } from './sim-types';
export { SimControl } from './sim-control';
export type { SimDelivery, SimDeliveryFaults } from './sim-webhooks';
export { SimWebhooks } from './sim-webhooks';

export const SIMULATOR_CLIENT_ID = 'webinar-sync-demo';
export const SIMULATOR_CLIENT_SECRET = 'webinar-sync-demo-secret';

export interface SimulatorOptions {
  /** 0 = random free port (default). */
  port?: number;
  host?: string;
  seed?: number;
  organizers?: number;
  /** Webinars per organizer. */
  webinars?: number;
  /** Registrants per generated webinar. */
  registrants?: number;
  /** Our OAuth client is modelled as an old client that kept Direct Login (default true). */
  passwordGrant?: boolean;
  tokenTtlSeconds?: number;
  /** Whether a refresh returns a new refresh_token (default false: omitted, the old one stays valid). */
  rotateRefreshTokens?: boolean;
  /** Requests per second per OAuth client; null = unlimited (default). GoTo documents 10. */
  rateLimitRps?: number | null;
  /** The simulator's clock at start; default the real time. With `now` set the clock stands still. */
  now?: Date;
  /** `size`/`limit` above 200: clamp (default) or 400. */
  pageSizeOverflow?: 'clamp' | 'reject';
  clientId?: string;
  clientSecret?: string;
}

export interface SimulatorFaults {
  inject(fault: SimFaultInput): SimFault;
  list(): SimFault[];
  /** Remove one fault, or all of them. */
  clear(id?: number): void;
}

export interface SimulatorCounters {
  read(): SimCounters;
  /** Every GoTo and OAuth request as it arrived (epoch ms), its route and its answer. */
  requests(): SimRequestRecord[];
  reset(): void;
}

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:4010: the REST base is `${url}/G2W/rest/v2`, OAuth `${url}/oauth/token`. */
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  store: SimControl;
  faults: SimulatorFaults;
  counters: SimulatorCounters;
  /** GoTo's webhooks: state, delivery log, delivery faults, and `idle()` to await deliveries. */
  webhooks: SimWebhooks;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 1;
  const store = new SimStore({
    seed,
    organizers: options.organizers ?? 2,
    webinars: options.webinars ?? 10,
    registrants: options.registrants ?? 20,
    now: options.now,
  });
  const auth = new SimAuth(seed, () => store.nowMs());
  const ctx: SimContext = {
    store,
    auth,
    faults: new FaultRegistry(seed, () => auth.expireAll()),
    counters: new Counters(),
    limiter: new RateLimiter(options.rateLimitRps ?? null),
    settings: {
      clientId: options.clientId ?? SIMULATOR_CLIENT_ID,
      clientSecret: options.clientSecret ?? SIMULATOR_CLIENT_SECRET,
      passwordGrant: options.passwordGrant ?? true,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
      rotateRefreshTokens: options.rotateRefreshTokens ?? false,
      pageSizeOverflow: options.pageSizeOverflow ?? 'clamp',
    },
  };
  const control = new SimControl(ctx);
  const api = new SimRouter();
  addOauthRoutes(api, ctx);
  addGotoRoutes(api, ctx);
  const webhooks = new SimWebhooks(store);
  addWebhookRoutes(api, ctx, webhooks);
  const controlRouter = new SimRouter();
  addControlRoutes(controlRouter, ctx, control);
  addWebhookControlRoutes(controlRouter, webhooks);

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(ctx, api, controlRouter, req, res).catch((e: unknown) => {
      if (!res.headersSent) write(res, restError(500, 'InternalServerError', String(e)));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clientId: ctx.settings.clientId,
    clientSecret: ctx.settings.clientSecret,
    store: control,
    faults: {
      inject: (f) => ctx.faults.inject(f),
      list: () => ctx.faults.list(),
      clear: (id) => ctx.faults.clear(id),
    },
    counters: {
      read: () => ctx.counters.read(),
      requests: () => ctx.counters.requests(),
      reset: () => ctx.counters.reset(),
    },
    webhooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function handle(
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

function write(res: ServerResponse, reply: SimReply): void {
  const body = payload(reply);
  const headers: Record<string, string | number> = { ...(reply.headers ?? {}) };
  if (body.length > 0) headers['Content-Type'] = 'application/json;charset=UTF-8';
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(reply.status, headers);
  res.end(body);
}
