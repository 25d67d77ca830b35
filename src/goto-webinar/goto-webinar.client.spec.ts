// The client over real HTTP against a tiny scripted GoTo (shapes the simulator cannot force, e.g.
// the paginated registrant form as first answer). Contract tests against the simulator live in
// test/e2e/goto-*.e2e-spec.ts.
import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { testConfig } from '../../test/support/test-config';
import { ConfigModule } from '../config/config.module';
import { GotoWebinarClient, PAGE_CONCURRENCY } from './goto-webinar.client';
import { GotoWebinarError } from './goto-webinar.errors';
import { GotoWebinarModule } from './goto-webinar.module';
import { GOTO_WEBINAR_OPTIONS } from './goto-webinar.options';
import { OrganizerAuth } from './goto-webinar.types';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  auth?: string;
}
type Handler = (req: Seen, res: ServerResponse) => void | Promise<void>;

const ORG = '8439885694023999999';
const WEB = '5620084814059709442';
const REG = '8325357307900339981';
const CLIENT_SECRET = 'super-secret-client-secret';

let server: Server;
let url = '';
let seen: Seen[] = [];
let handler: Handler = () => undefined;
let tokenSerial = 0;

function send(
  res: ServerResponse,
  status: number,
  body: string | object,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Default token endpoint; each token has a serial number. */
function tokenEndpoint(req: Seen, res: ServerResponse, extra: object = {}) {
  tokenSerial += 1;
  send(res, 200, {
    access_token: `access-${tokenSerial}`,
    expires_in: 3600,
    refresh_token: `refresh-${tokenSerial}`,
    ...extra,
  });
}

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
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
    seen.push(s);
    await handler(s, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const sleeps: number[] = [];
let clockMs = Date.now();
async function makeClient(goto: Record<string, unknown> = {}) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(
        testConfig({
          goto: {
            apiUrl: url,
            authUrl: url,
            clientId: 'cid',
            clientSecret: CLIENT_SECRET,
            maxRps: 1000,
            timeoutMs: 300,
            maxRetries: 3,
            ...goto,
          },
        }),
      ),
      GotoWebinarModule.register({
        baseDelayMs: 5,
        maxDelayMs: 20,
        now: () => clockMs,
        sleep: async (ms) => {
          sleeps.push(ms);
          await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
        },
      }),
    ],
  }).compile();
  return moduleRef.get(GotoWebinarClient);
}

let n = 0;
const pat = (): OrganizerAuth => ({
  cacheKey: `org:${++n}`,
  credentials: {
    method: 'personal_access_token',
    email: 'o@example.com',
    personalAccessToken: 'PAT-1',
  },
});
const api = (p: string) =>
  seen.filter((s) => s.path.startsWith('/G2W/') && (p === '' || s.path.endsWith(p)));
const tokens = () => seen.filter((s) => s.path === '/oauth/token');

beforeEach(() => {
  seen = [];
  sleeps.length = 0;
  handler = () => undefined;
});

async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const p of gen) pages.push(p);
  return pages;
}

const registrant = (i: number) =>
  `{"registrantKey":${BigInt(REG) + BigInt(i)},"email":"r${i}@x.io","status":"APPROVED"}`;

describe('GotoWebinarClient over HTTP', () => {
  it('registrants: follows the paginated object form when GoTo sends it', async () => {
    const client = await makeClient();
    handler = (req, res) => {
      if (req.path === '/oauth/token') return tokenEndpoint(req, res);
      const page = Number(req.query.get('page') ?? 0);
      const limit = Number(req.query.get('limit') ?? 200);
      const count = Math.max(0, Math.min(limit, 450 - page * limit));
      const data = Array.from({ length: count }, (_, i) => registrant(page * limit + i));
      send(
        res,
        200,
        `{"data":[${data.join(',')}],"total":450,"page":${page},"limit":${limit},"pageSize":${count}}`,
      );
    };
    const pages = await collect(client.listRegistrants(pat(), ORG, WEB));
    expect(pages.map((p) => p.length)).toEqual([200, 200, 50]);
    expect(pages[0][0].registrantKey).toBe(REG);
    expect(pages[2][49].registrantKey).toBe((BigInt(REG) + 449n).toString());
    const calls = api('/registrants');
    expect(calls).toHaveLength(3);
    expect(calls[0].query.toString()).toBe('');
    expect(calls.slice(1).map((c) => c.query.toString())).toEqual([
      'page=1&limit=200',
      'page=2&limit=200',
    ]);
  });

  it('registrants: the plain array form is one call', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token'
        ? tokenEndpoint(req, res)
        : send(res, 200, `[${Array.from({ length: 450 }, (_, i) => registrant(i)).join(',')}]`);
    const pages = await collect(client.listRegistrants(pat(), ORG, WEB));
    expect(pages.flat()).toHaveLength(450);
    expect(api('/registrants')).toHaveLength(1);
  });

  it('sends fromTime/toTime as UTC ISO and page/size 200, Bearer + Accept headers', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token'
        ? tokenEndpoint(req, res)
        : send(res, 200, { page: { size: 200, totalElements: 0, totalPages: 0, number: 0 } });
    const pages = await collect(
      client.listWebinars(
        pat(),
        ORG,
        new Date('2026-01-01T00:00:00.000Z'),
        new Date('2027-01-01T00:00:00.500Z'),
      ),
    );
    expect(pages).toEqual([]);
    const [call] = api('/webinars');
    expect(call.path).toBe(`/G2W/rest/v2/organizers/${ORG}/webinars`);
    expect(call.query.get('fromTime')).toBe('2026-01-01T00:00:00Z');
    expect(call.query.get('toTime')).toBe('2027-01-01T00:00:01Z');
    expect(call.query.get('page')).toBe('0');
    expect(call.query.get('size')).toBe('200');
    expect(call.auth).toBe('Bearer access-' + tokenSerial);
  });

  describe('reporting pages after page 0', () => {
    const attendee = (i: number) =>
      `{"registrantKey":${BigInt(REG) + BigInt(i)},"email":"a${i}@x.io","sessionKey":1,"attendanceTimeInSeconds":60,"attendance":[]}`;
    /** A report of `total()` rows; page n answers after `delayMs(n)`; tracks requests in flight. */
    function report(total: () => number, delayMs: (page: number) => number) {
      const stats = { inFlight: 0, maxInFlight: 0 };
      handler = async (req, res) => {
        if (req.path === '/oauth/token') return tokenEndpoint(req, res);
        const page = Number(req.query.get('page'));
        const size = Number(req.query.get('size'));
        stats.inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        await new Promise((r) => setTimeout(r, delayMs(page)));
        stats.inFlight -= 1;
        const n = total();
        const rows = Array.from({ length: Math.max(0, Math.min(size, n - page * size)) }, (_, i) =>
          attendee(page * size + i),
        );
        const info = `"page":{"size":${size},"totalElements":${n},"totalPages":${Math.ceil(n / size)},"number":${page}}`;
        send(
          res,
          200,
          rows.length > 0
            ? `{"_embedded":{"attendeeParticipationResponses":[${rows.join(',')}]},${info}}`
            : `{${info}}`,
        );
      };
      return stats;
    }

    it('are requested a few at a time and yielded in page order', async () => {
      const client = await makeClient();
      // Early pages answer last: the consumer still sees page 0, 1, 2, … in order.
      const stats = report(
        () => 1850,
        (page) => (10 - page) * 8,
      );
      const pages = await collect(client.listWebinarAttendees(pat(), ORG, WEB));
      expect(pages.map((p) => p.length)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 50]);
      expect(pages.flat().map((a) => a.registrantKey)).toEqual(
        Array.from({ length: 1850 }, (_, i) => (BigInt(REG) + BigInt(i)).toString()),
      );
      const calls = api('/attendees');
      expect(calls).toHaveLength(10);
      expect(new Set(calls.map((c) => c.query.get('page')))).toEqual(
        new Set(Array.from({ length: 10 }, (_, i) => String(i))),
      );
      expect(stats.maxInFlight).toBeGreaterThan(1);
      expect(stats.maxInFlight).toBeLessThanOrEqual(PAGE_CONCURRENCY);
    });

    it('follow pages past the first totalPages when the report grew meanwhile', async () => {
      const client = await makeClient();
      let asked = 0;
      // 450 rows when page 0 is read (3 pages), 650 from the second request on (4 pages).
      report(
        () => (asked++ === 0 ? 450 : 650),
        () => 1,
      );
      const pages = await collect(client.listWebinarAttendees(pat(), ORG, WEB));
      expect(pages.map((p) => p.length)).toEqual([200, 200, 200, 50]);
      expect(api('/attendees')).toHaveLength(4);
    });

    it('a page that fails fails the listing, after the pages before it', async () => {
      const client = await makeClient({ maxRetries: 0 });
      report(
        () => 1000,
        () => 1,
      );
      const ok = handler;
      handler = (req, res) =>
        req.query.get('page') === '3'
          ? send(res, 400, { errorCode: 'InvalidRequest' })
          : ok(req, res);
      const got: number[] = [];
      await expect(
        (async () => {
          for await (const p of client.listWebinarAttendees(pat(), ORG, WEB)) got.push(p.length);
        })(),
      ).rejects.toBeInstanceOf(GotoWebinarError);
      expect(got).toEqual([200, 200, 200]);
    });
  });

  it('token request: Basic client auth, form-encoded PAT grant', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token' ? tokenEndpoint(req, res) : send(res, 200, { id: ORG });
    await client.getIdentity(pat());
    const [t] = tokens();
    expect(t.auth).toBe(`Basic ${Buffer.from(`cid:${CLIENT_SECRET}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(t.body))).toEqual({
      grant_type: 'personal_access_token',
      pat: 'PAT-1',
    });
  });

  it('oauth: a rotated refresh token is reported and used next; an absent one keeps the old', async () => {
    const client = await makeClient();
    const rotated: string[] = [];
    const auth: OrganizerAuth = {
      cacheKey: `org:${++n}`,
      credentials: { method: 'oauth', refreshToken: 'stored-refresh' },
      onRefreshTokenRotated: async (t) => {
        rotated.push(t);
      },
    };
    let refreshCalls = 0;
    handler = (req, res) => {
      if (req.path === '/oauth/token') {
        refreshCalls += 1;
        // First refresh rotates, second omits refresh_token.
        return refreshCalls === 1
          ? send(res, 200, {
              access_token: 'a1',
              expires_in: 3600,
              refresh_token: 'rotated-refresh',
            })
          : send(res, 200, { access_token: 'a2', expires_in: 3600 });
      }
      if (req.auth === 'Bearer a1')
        return send(res, 403, { int_err_code: 'InvalidToken', msg: 'Invalid token passed' });
      send(res, 200, { id: ORG });
    };
    await expect(client.getIdentity(auth)).resolves.toMatchObject({ organizerKey: ORG });
    expect(rotated).toEqual(['rotated-refresh']);
    const forms = tokens().map((t) => Object.fromEntries(new URLSearchParams(t.body)));
    expect(forms).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'stored-refresh' },
      { grant_type: 'refresh_token', refresh_token: 'rotated-refresh' },
    ]);
    // The caller now passes the persisted rotated token: same cache entry, no new token request.
    await client.getIdentity({
      ...auth,
      credentials: { method: 'oauth', refreshToken: 'rotated-refresh' },
    });
    expect(tokens()).toHaveLength(2);
  });

  it('403 InvalidToken twice -> AUTH_EXPIRED after one renewal', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token'
        ? tokenEndpoint(req, res)
        : send(res, 403, { int_err_code: 'InvalidToken', msg: 'Invalid token passed' });
    const e = await client.getWebinar(pat(), ORG, WEB).catch((x) => x);
    expect(e).toBeInstanceOf(GotoWebinarError);
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(api('')).toHaveLength(2);
    expect(tokens()).toHaveLength(2);
  });

  it('429 with Retry-After waits at least that long, then succeeds', async () => {
    const client = await makeClient();
    let hits = 0;
    handler = (req, res) => {
      if (req.path === '/oauth/token') return tokenEndpoint(req, res);
      hits += 1;
      if (hits === 1) return send(res, 429, '', { 'Retry-After': '1' });
      send(res, 200, `{"webinarKey":${WEB},"subject":"S","times":[]}`);
    };
    await expect(client.getWebinar(pat(), ORG, WEB)).resolves.toMatchObject({ webinarKey: WEB });
    expect(sleeps.some((ms) => ms >= 1000)).toBe(true);
  });

  it('an aborted signal stops the retry wait at once: no further attempt, the abort error', async () => {
    const client = await makeClient();
    const c = new AbortController();
    const reason = new Error('shutting down');
    handler = (req, res) => {
      if (req.path === '/oauth/token') return tokenEndpoint(req, res);
      c.abort(reason); // e.g. shutdown while GoTo says "retry after 1 s"
      send(res, 429, '', { 'Retry-After': '1' });
    };
    const from = new Date('2026-01-01T00:00:00Z');
    const e = await collect(
      client.listWebinars(pat(), ORG, from, new Date('2026-02-01T00:00:00Z'), { signal: c.signal }),
    ).catch((x: unknown) => x);
    expect(e).toBe(reason);
    expect(api('')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a hanging request times out, is retried maxRetries times, then TEMPORARY', async () => {
    const client = await makeClient({ timeoutMs: 150, maxRetries: 2 });
    handler = (req, res) =>
      req.path === '/oauth/token' ? tokenEndpoint(req, res) : undefined; /* never answers */
    const started = Date.now();
    const e = await client.getWebinar(pat(), ORG, WEB).catch((x) => x);
    expect(e.code).toBe('TEMPORARY');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/did not answer within 150 ms/);
    expect(api('')).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('errors never carry secrets (client secret, tokens, password)', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token'
        ? send(res, 400, { error: 'invalid_grant', error_description: 'Bad credentials' })
        : send(res, 500, '');
    const auth: OrganizerAuth = {
      cacheKey: `org:${++n}`,
      credentials: { method: 'password', email: 'o@example.com', password: 'hunter2-password' },
    };
    const e = await client.signIn(auth).catch((x) => x);
    expect(e.code).toBe('AUTH_INVALID');
    const dump = JSON.stringify({ m: e.message, d: e.details, s: e.stack });
    expect(dump).not.toContain('hunter2');
    expect(dump).not.toContain(CLIENT_SECRET);
    expect(dump).not.toContain(Buffer.from(`cid:${CLIENT_SECRET}`).toString('base64'));
  });

  it('409 on create registrant returns the existing registrant', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token'
        ? tokenEndpoint(req, res)
        : send(
            res,
            409,
            `{"errorCode":"Conflict","description":"already registered","registrantKey":${REG},"joinUrl":"https://j"}`,
          );
    await expect(
      client.createRegistrant(pat(), ORG, WEB, { firstName: 'A', lastName: 'B', email: 'a@b.io' }),
    ).resolves.toEqual({
      registrantKey: REG,
      joinUrl: 'https://j',
      alreadyRegistered: true,
    });
    expect(JSON.parse(api('/registrants')[0].body)).toEqual({
      firstName: 'A',
      lastName: 'B',
      email: 'a@b.io',
    });
  });

  it('stats count every request by endpoint pattern', async () => {
    const client = await makeClient();
    client.resetStats();
    handler = (req, res) =>
      req.path === '/oauth/token' ? tokenEndpoint(req, res) : send(res, 200, '[]');
    await client.listSessionAttendees(pat(), ORG, WEB, '15887209');
    expect(client.stats()).toEqual({
      requests: 2,
      byEndpoint: {
        'POST /oauth/token': 1,
        'GET /organizers/{organizerKey}/webinars/{webinarKey}/sessions/{sessionKey}/attendees': 1,
      },
    });
  });

  it('metrics: goto_requests_total by endpoint pattern and outcome, plus a duration histogram', async () => {
    const client = await makeClient();
    handler = (req, res) =>
      req.path === '/oauth/token'
        ? tokenEndpoint(req, res)
        : send(res, 404, { errorCode: 'NotFound' });
    await client.getWebinar(pat(), ORG, WEB).catch(() => undefined);
    const text = await register.metrics();
    expect(text).toMatch(
      /goto_requests_total\{endpoint="GET \/organizers\/\{organizerKey\}\/webinars\/\{webinarKey\}",outcome="not_found"\} [1-9]/,
    );
    expect(text).toMatch(
      /goto_requests_total\{endpoint="POST \/oauth\/token",outcome="ok"\} [1-9]/,
    );
    expect(text).toContain('goto_request_duration_seconds_bucket');
    expect(text).not.toContain(ORG);
  });

  it('GotoWebinarModule imported plainly exports the client with default options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig({ goto: { apiUrl: url, authUrl: url } })),
        GotoWebinarModule,
      ],
    }).compile();
    const client = moduleRef.get(GotoWebinarClient);
    expect(client.authorizeUrl('s t', 'http://localhost/cb')).toBe(
      `${url}/oauth/authorize?client_id=webinar-sync-demo&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=s%20t`,
    );
    expect(client.authorizeUrl('s', 'http://localhost/cb', 'ch-1')).toMatch(
      /&state=s&code_challenge=ch-1&code_challenge_method=S256$/,
    );
    // The code exchange carries the PKCE verifier.
    handler = (req, res) => tokenEndpoint(req, res);
    await client.exchangeAuthorizationCode('the-code', 'http://localhost/cb', 'verifier-1');
    expect(Object.fromEntries(new URLSearchParams(tokens()[0].body))).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      code_verifier: 'verifier-1',
    });
    await moduleRef.close();
  });

  describe('password grant answered with a bare invalid_client', () => {
    const auth = (): OrganizerAuth => ({
      cacheKey: `org:${++n}`,
      credentials: { method: 'password', email: 'o@example.com', password: 'pw' },
    });
    const invalidClient = {
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    };

    it('client authenticates on another grant -> GRANT_NOT_ALLOWED (Direct Login off)', async () => {
      const client = await makeClient();
      handler = (req, res) => {
        const grant = new URLSearchParams(req.body).get('grant_type');
        if (grant === 'password') return send(res, 401, invalidClient);
        send(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token.' });
      };
      const e = await client.signIn(auth()).catch((x) => x);
      expect(e.code).toBe('GRANT_NOT_ALLOWED');
      expect(e.message).toMatch(/may not use email \+ password/);
      expect(e.message).not.toMatch(/GOTO_CLIENT_SECRET/);
      expect(tokens()).toHaveLength(2);
    });

    it('client rejected on every grant -> AUTH_INVALID naming the client (wrong secret)', async () => {
      const client = await makeClient();
      handler = (req, res) => send(res, 401, invalidClient);
      const e = await client.signIn(auth()).catch((x) => x);
      expect(e.code).toBe('AUTH_INVALID');
      expect(e.message).toContain('OAuth client "cid"');
      expect(e.message).not.toContain(CLIENT_SECRET);
    });
  });

  describe('token cache', () => {
    const slowToken: Handler = async (req, res) => {
      if (req.path === '/oauth/token') {
        await new Promise((r) => setTimeout(r, 50));
        return tokenEndpoint(req, res);
      }
      send(res, 200, { id: ORG });
    };

    it('reuses the token until shortly before expires_in, then fetches a new one', async () => {
      const client = await makeClient();
      handler = slowToken;
      const auth = pat();
      await client.getIdentity(auth);
      clockMs += 3_500_000; // 58 min 20 s: still valid (margin 60 s)
      await client.getIdentity(auth);
      expect(tokens()).toHaveLength(1);
      clockMs += 60_000; // 59 min 20 s: inside the margin
      await client.getIdentity(auth);
      expect(tokens()).toHaveLength(2);
    });

    it('changed credentials under the same cacheKey fetch a new token', async () => {
      const client = await makeClient();
      handler = slowToken;
      const auth = pat();
      await client.getIdentity(auth);
      await client.getIdentity({
        ...auth,
        credentials: {
          method: 'personal_access_token',
          email: 'o@example.com',
          personalAccessToken: 'PAT-2',
        },
      });
      expect(tokens().map((t) => new URLSearchParams(t.body).get('pat'))).toEqual([
        'PAT-1',
        'PAT-2',
      ]);
    });

    it('forget() during a token fetch: that token is not cached', async () => {
      const client = await makeClient();
      handler = slowToken;
      const auth = pat();
      const first = client.getIdentity(auth);
      await new Promise((r) => setTimeout(r, 10));
      client.forget(auth.cacheKey);
      await first;
      await client.getIdentity(auth);
      expect(tokens()).toHaveLength(2);
    });

    it('forget() leaves nothing behind per cache key (no map grows with each verification)', async () => {
      const client = await makeClient();
      handler = slowToken;
      const auth = (client as unknown as { auth: object }).auth;
      const entries = () =>
        Object.values(auth)
          .filter((v): v is Map<unknown, unknown> => v instanceof Map)
          .reduce((sum, m) => sum + m.size, 0);
      for (let i = 0; i < 20; i++) {
        const a = pat();
        await client.getIdentity(a);
        client.forget(a.cacheKey);
      }
      const pending = pat();
      const running = client.getIdentity(pending);
      client.forget(pending.cacheKey);
      await running;
      expect(entries()).toBe(0);
    });

    it('a failed token fetch is shared by concurrent callers and not cached', async () => {
      const client = await makeClient();
      let fail = true;
      handler = async (req, res) => {
        if (req.path === '/oauth/token') {
          await new Promise((r) => setTimeout(r, 30));
          return fail ? send(res, 400, { error: 'invalid_grant' }) : tokenEndpoint(req, res);
        }
        send(res, 200, { id: ORG });
      };
      const auth = pat();
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => client.getIdentity(auth)),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(tokens()).toHaveLength(1);
      fail = false;
      await expect(client.getIdentity(auth)).resolves.toMatchObject({ organizerKey: ORG });
      expect(tokens()).toHaveLength(2);
    });
  });

  it('GOTO_WEBINAR_OPTIONS can be overridden on a plain import (fast backoff in app tests)', async () => {
    const waits: number[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(
          testConfig({ goto: { apiUrl: url, authUrl: url, maxRps: 1000, maxRetries: 2 } }),
        ),
        GotoWebinarModule,
      ],
    })
      .overrideProvider(GOTO_WEBINAR_OPTIONS)
      .useValue({ baseDelayMs: 3, maxDelayMs: 3, sleep: async (ms: number) => void waits.push(ms) })
      .compile();
    const client = moduleRef.get(GotoWebinarClient);
    handler = (req, res) =>
      req.path === '/oauth/token' ? tokenEndpoint(req, res) : send(res, 503, '');
    expect((await client.getWebinar(pat(), ORG, WEB).catch((x) => x)).code).toBe('TEMPORARY');
    expect(waits).toHaveLength(2);
    expect(Math.max(...waits)).toBeLessThan(3);
    await moduleRef.close();
  });
});
