// GoTo Webinar simulator: an in-process HTTP server faithful to GoTo's API (traps included).
// Never imported by the app; used by tests, the demo, the bench and `npm run simulator`.
import { Server, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { SimAuth } from './sim-auth';
import { SimContext, restError } from './sim-context';
import { SimControl } from './sim-control';
import { addControlRoutes } from './sim-control-routes';
import {
  Counters,
  FaultRegistry,
  RateLimiter,
  SimCounters,
  SimFault,
  SimFaultInput,
  SimRequestRecord,
} from './sim-faults';
import { addGotoRoutes } from './sim-goto-routes';
import { SimRouter } from './sim-http';
import { addOauthRoutes } from './sim-oauth-routes';
import { serveRequest, write } from './sim-serve-request';
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
    serveRequest(ctx, api, controlRouter, req, res).catch((e: unknown) => {
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
