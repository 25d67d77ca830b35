// A tiny scripted GoTo over real HTTP, for the client's shapes and failures the simulator cannot
// force (e.g. the paginated registrant form as first answer). Each spec file starts its own server
// with `scriptedGoto()` and sets `goto.handler` per test.
import { Test, TestingModule } from '@nestjs/testing';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ConfigModule } from '../../../src/config/config.module';
import { GotoCallBudgetService } from '../../../src/goto-webinar/budget/goto-call-budget.service';
import { GotoWebinarClient } from '../../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarModule } from '../../../src/goto-webinar/goto-webinar.module';
import { OrganizerAuth } from '../../../src/goto-webinar/goto-webinar.types';
import { testConfig } from '../test-config';
import { fakeCallBudget, FakeGotoTime } from './fake-goto-time';

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  auth?: string;
}
export type Handler = (req: Seen, res: ServerResponse) => void | Promise<void>;

export const ORG = '8439885694023999999';
export const WEB = '5620084814059709442';
export const REG = '8325357307900339981';
export const CLIENT_SECRET = 'super-secret-client-secret';

export function send(
  res: ServerResponse,
  status: number,
  body: string | object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const p of gen) pages.push(p);
  return pages;
}

/** A registrant of the paginated or plain form, key REG + i (beyond 2^53: exact keys). */
export const registrant = (i: number) =>
  `{"registrantKey":${BigInt(REG) + BigInt(i)},"email":"r${i}@x.io","status":"APPROVED"}`;

let authSerial = 0;
/** Personal-access-token credentials under a fresh cache key. */
export const pat = (): OrganizerAuth => ({
  cacheKey: `org:${++authSerial}`,
  credentials: {
    method: 'personal_access_token',
    email: 'o@example.com',
    personalAccessToken: 'PAT-1',
  },
});
export const nextCacheKey = () => `org:${++authSerial}`;

/**
 * Starts the server (in `beforeAll`), closes it and the clients' modules (in `afterAll`), and
 * resets what was seen (in `beforeEach`). Times are on `time`: the client's retry waits, token
 * expiry and the pacer never wait on the wall clock.
 */
export function scriptedGoto() {
  const goto = {
    url: '',
    seen: [] as Seen[],
    handler: (() => undefined) as Handler,
    time: new FakeGotoTime(),
    tokenSerial: 0,
    /** Requests to the GoTo API (path ending in `p`, or all). */
    api: (p = '') =>
      goto.seen.filter((s) => s.path.startsWith('/G2W/') && (p === '' || s.path.endsWith(p))),
    tokens: () => goto.seen.filter((s) => s.path === '/oauth/token'),
    /** The default token endpoint; each token has a serial number. */
    tokenEndpoint: (_req: Seen, res: ServerResponse, extra: object = {}) => {
      goto.tokenSerial += 1;
      send(res, 200, {
        access_token: `access-${goto.tokenSerial}`,
        expires_in: 3600,
        refresh_token: `refresh-${goto.tokenSerial}`,
        ...extra,
      });
    },
    /** A client in its own module, configured for this server (overrides in `config`). */
    makeClient: async (config: Record<string, unknown> = {}): Promise<GotoWebinarClient> => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot(
            testConfig({
              goto: {
                apiUrl: goto.url,
                authUrl: goto.url,
                clientId: 'cid',
                clientSecret: CLIENT_SECRET,
                maxRps: 1000,
                // Generous: only the timeout tests depend on it (a loaded machine must not retry).
                timeoutMs: 30_000,
                maxRetries: 3,
                ...config,
              },
            }),
          ),
          GotoWebinarModule.register({
            baseDelayMs: 5,
            maxDelayMs: 20,
            now: goto.time.now,
            sleep: goto.time.sleep,
          }),
        ],
      })
        .overrideProvider(GotoCallBudgetService)
        .useValue(fakeCallBudget(1000, goto.time))
        .compile();
      modules.push(moduleRef);
      return moduleRef.get(GotoWebinarClient);
    },
  };
  const modules: TestingModule[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://x');
    const s: Seen = {
      method: req.method ?? '',
      path: u.pathname,
      query: u.searchParams,
      body: Buffer.concat(chunks).toString(),
      auth: req.headers.authorization,
    };
    goto.seen.push(s);
    await goto.handler(s, res);
  });

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    goto.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(modules.map((m) => m.close()));
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    goto.seen = [];
    goto.time.sleeps.length = 0;
    goto.handler = () => undefined;
  });
  return goto;
}
