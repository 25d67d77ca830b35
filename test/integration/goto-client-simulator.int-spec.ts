// Contract tests: GotoWebinarClient against the in-process GoTo Webinar simulator over HTTP.
// Attempt counts come from the simulator's own counters, not from the client.
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule } from '../../src/config/config.module';
import { GotoCallBudgetService } from '../../src/goto-webinar/budget/goto-call-budget.service';
import { GotoWebinarClient } from '../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../../src/goto-webinar/goto-webinar.errors';
import { GotoWebinarModule } from '../../src/goto-webinar/goto-webinar.module';
import { OrganizerAuth } from '../../src/goto-webinar/goto-webinar.types';
import {
  maxInAnyWindow,
  OrganizerInfo,
  RunningSimulator,
  startSimulator,
} from '../../src/simulator/simulator';
import { fakeCallBudget, FakeGotoTime } from '../support/goto/fake-goto-time';
import { testConfig } from '../support/test-config';

const DAY = 86_400_000;
const TOKEN = 'POST /oauth/token';
const WEBINAR = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}';
const WEBINARS = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars';
const ATTENDEES = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/attendees';
const REGISTRANTS = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/registrants';

let sim: RunningSimulator;
let org: OrganizerInfo;
let other: OrganizerInfo;
const modules: TestingModule[] = [];
let seq = 0;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, organizers: 3, webinars: 6, registrants: 25, seed: 7 });
  [org, other] = sim.store.listOrganizers();
});

afterAll(async () => {
  await Promise.all(modules.map((m) => m.close()));
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.counters.reset();
  sim.store.updateSettings({ passwordGrant: true, rateLimitRps: null, rotateRefreshTokens: false });
});

interface Made {
  client: GotoWebinarClient;
  moduleRef: TestingModule;
}

/**
 * A client in its own module. With `time`, its waits (retry backoff, Retry-After, the pacer's
 * turns) are on that fake clock, and `grants` receives the clock's time of every paced call.
 */
async function make(
  goto: Record<string, unknown> = {},
  time?: { clock: FakeGotoTime; grants?: number[] },
): Promise<Made> {
  const config = testConfig({
    goto: {
      apiUrl: sim.url,
      authUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      maxRps: 200,
      timeoutMs: 2000,
      maxRetries: 3,
      ...goto,
    },
  });
  const clock = time ? { now: time.clock.now, sleep: time.clock.sleep } : {};
  let builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      GotoWebinarModule.register({ baseDelayMs: 10, maxDelayMs: 40, ...clock }),
    ],
  });
  if (time)
    builder = builder
      .overrideProvider(GotoCallBudgetService)
      .useValue(fakeCallBudget(config.goto.maxRps, time.clock, time.grants));
  const moduleRef = await builder.compile();
  modules.push(moduleRef);
  return { client: moduleRef.get(GotoWebinarClient), moduleRef };
}

const pat = (o: OrganizerInfo = org): OrganizerAuth => ({
  cacheKey: `org:${++seq}`,
  credentials: {
    method: 'personal_access_token',
    email: o.email,
    personalAccessToken: o.personalAccessToken,
  },
});
const password = (o: OrganizerInfo = org, pw = o.password): OrganizerAuth => ({
  cacheKey: `org:${++seq}`,
  credentials: { method: 'password', email: o.email, password: pw },
});

async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const p of gen) pages.push(p);
  return pages;
}

async function failure(p: Promise<unknown>): Promise<GotoWebinarError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(GotoWebinarError);
  return e as GotoWebinarError;
}

/** How many requests the simulator served for an endpoint (any status, or one status). */
function served(endpoint: string, status?: string | number): number {
  const byStatus = sim.counters.read().byEndpoint[endpoint] ?? {};
  if (status !== undefined) return byStatus[String(status)] ?? 0;
  return Object.values(byStatus).reduce((a, b) => a + b, 0);
}

const window = () => {
  const now = sim.store.now().getTime();
  return [new Date(now - 365 * DAY), new Date(now + 365 * DAY)] as const;
};

function firstWebinar(o: OrganizerInfo = org) {
  const w = sim.store.listWebinars(o.organizerKey)[0];
  expect(w).toBeDefined();
  return w;
}

describe('GoTo provider against the simulator', () => {
  describe('sign-in, every grant', () => {
    it('password (Direct Login) -> identity from Users/me', async () => {
      const { client } = await make();
      const id = await client.signIn(password());
      expect(id).toEqual({
        organizerKey: org.organizerKey,
        accountKey: org.accountKey,
        email: org.email,
        displayName: `${org.firstName} ${org.lastName}`,
      });
      expect(served(TOKEN)).toBe(1);
    });

    it('personal access token', async () => {
      const { client } = await make();
      await expect(client.signIn(pat(other))).resolves.toMatchObject({
        organizerKey: other.organizerKey,
      });
    });

    it('authorization code -> refresh token -> refresh grant', async () => {
      const { client } = await make();
      const redirect = 'http://localhost:3000/api/v1/organizers/oauth/callback';
      sim.store.setAuthorizeAs(other.organizerKey);
      const url = client.authorizeUrl('state-123', redirect);
      expect(url.startsWith(`${sim.url}/oauth/authorize?`)).toBe(true);
      const q = new URL(url).searchParams;
      expect(Object.fromEntries(q)).toEqual({
        client_id: sim.clientId,
        response_type: 'code',
        redirect_uri: redirect,
        state: 'state-123',
      });
      const consent = await fetch(url, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location') ?? '');
      expect(back.searchParams.get('state')).toBe('state-123');
      const code = back.searchParams.get('code') ?? '';
      const tokens = await client.exchangeAuthorizationCode(code, redirect);
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const id = await client.signIn({
        cacheKey: `org:${++seq}`,
        credentials: { method: 'oauth', refreshToken: tokens.refreshToken! },
      });
      expect(id.organizerKey).toBe(other.organizerKey);
      // A code works once.
      expect((await failure(client.exchangeAuthorizationCode(code, redirect))).code).toBe(
        'AUTH_INVALID',
      );
      sim.store.setAuthorizeAs(null);
    });

    it('a rotated refresh token reaches onRefreshTokenRotated', async () => {
      sim.store.updateSettings({ rotateRefreshTokens: true });
      const { client } = await make();
      const redirect = 'http://localhost/cb';
      sim.store.setAuthorizeAs(org.organizerKey);
      const consent = await fetch(client.authorizeUrl('s', redirect), { redirect: 'manual' });
      const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const { refreshToken } = await client.exchangeAuthorizationCode(code, redirect);
      const rotated: string[] = [];
      const auth: OrganizerAuth = {
        cacheKey: `org:${++seq}`,
        credentials: { method: 'oauth', refreshToken: refreshToken! },
        onRefreshTokenRotated: async (t) => {
          rotated.push(t);
        },
      };
      await client.getIdentity(auth);
      expect(rotated).toHaveLength(1);
      expect(rotated[0]).not.toBe(refreshToken);
      // The old refresh token is dead now; renewing must use the rotated one.
      sim.store.expireTokens();
      await expect(client.getIdentity(auth)).resolves.toMatchObject({
        organizerKey: org.organizerKey,
      });
      expect(rotated).toHaveLength(2);
      sim.store.setAuthorizeAs(null);
    });

    it('password grant switched off -> GRANT_NOT_ALLOWED with a plain message', async () => {
      sim.store.updateSettings({ passwordGrant: false });
      const { client } = await make();
      const e = await failure(client.signIn(password()));
      expect(e.code).toBe('GRANT_NOT_ALLOWED');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/may not use email \+ password/);
      expect(e.message).toMatch(/personal access token or "Connect with GoTo"/);
      expect(e.message).not.toContain(org.password);
      expect(served(TOKEN)).toBe(1);
    });

    it('wrong password / PAT -> AUTH_INVALID, never retried', async () => {
      const { client } = await make();
      expect((await failure(client.signIn(password(org, 'wrong-password')))).code).toBe(
        'AUTH_INVALID',
      );
      const badPat: OrganizerAuth = {
        cacheKey: `org:${++seq}`,
        credentials: {
          method: 'personal_access_token',
          email: org.email,
          personalAccessToken: 'nope',
        },
      };
      expect((await failure(client.signIn(badPat))).code).toBe('AUTH_INVALID');
      expect(served(TOKEN)).toBe(2);
    });

    it.each([
      ['PAT', () => pat()],
      ['password', () => password()],
    ])(
      'wrong client secret (%s) -> AUTH_INVALID naming the client, not the secret',
      async (_n, auth) => {
        const { client } = await make({ clientSecret: 'not-the-secret' });
        const e = await failure(client.signIn(auth()));
        expect(e.code).toBe('AUTH_INVALID');
        expect(e.message).toContain(sim.clientId);
        expect(e.message).not.toContain('not-the-secret');
      },
    );

    it('removed GoTo user: sign-in refused; a live token gets ACCOUNT_NOT_FOUND from Users/me', async () => {
      const { client } = await make();
      const victim = sim.store.listOrganizers()[2];
      const auth = pat(victim);
      await client.signIn(auth);
      sim.store.removeOrganizer(victim.organizerKey);
      expect((await failure(client.getIdentity(auth))).code).toBe('ACCOUNT_NOT_FOUND');
      expect((await failure(client.signIn(auth))).code).toBe('AUTH_INVALID');
    });
  });

  describe('tokens', () => {
    it('20 concurrent calls share one token request; after expiry one renewal for all', async () => {
      const { client } = await make();
      const w = firstWebinar();
      const auth = pat();
      const calls = () =>
        Promise.all(
          Array.from({ length: 20 }, () => client.getWebinar(auth, org.organizerKey, w.webinarKey)),
        );
      await calls();
      expect(served(TOKEN)).toBe(1);
      expect(served(WEBINAR, 200)).toBe(20);
      sim.store.expireTokens();
      sim.counters.reset();
      const again = await calls();
      expect(again.every((x) => x.webinarKey === w.webinarKey)).toBe(true);
      expect(served(TOKEN)).toBe(1);
      expect(served(WEBINAR, 403)).toBe(20);
      expect(served(WEBINAR, 200)).toBe(20);
    });

    it('403 InvalidToken: one renewal, one retry', async () => {
      const { client } = await make();
      const w = firstWebinar();
      const auth = pat();
      await client.getWebinar(auth, org.organizerKey, w.webinarKey);
      sim.counters.reset();
      sim.faults.inject({ type: 'invalid-token', path: '/webinars/\\d+$', count: 1 });
      await expect(client.getWebinar(auth, org.organizerKey, w.webinarKey)).resolves.toMatchObject({
        webinarKey: w.webinarKey,
      });
      expect(served(WEBINAR, 403)).toBe(1);
      expect(served(WEBINAR, 200)).toBe(1);
      expect(served(TOKEN)).toBe(1);
    });

    it('403 InvalidToken that persists -> AUTH_EXPIRED after exactly one renewal', async () => {
      const { client } = await make();
      const w = firstWebinar();
      sim.faults.inject({ type: 'invalid-token', path: '/webinars/\\d+$' });
      const e = await failure(client.getWebinar(pat(), org.organizerKey, w.webinarKey));
      expect(e.code).toBe('AUTH_EXPIRED');
      expect(served(WEBINAR)).toBe(2);
      expect(served(TOKEN)).toBe(2);
    });

    it('forget() drops the cached token', async () => {
      const { client } = await make();
      const auth = pat();
      await client.getIdentity(auth);
      await client.getIdentity(auth);
      expect(served(TOKEN)).toBe(1);
      client.forget(auth.cacheKey);
      await client.getIdentity(auth);
      expect(served(TOKEN)).toBe(2);
    });
  });

  describe('paging and shapes', () => {
    let pagingOrg: OrganizerInfo;
    const year = (y: number) =>
      [new Date(`${y}-01-01T00:00:00Z`), new Date(`${y}-12-31T23:59:59Z`)] as const;

    beforeAll(() => {
      pagingOrg = sim.store.listOrganizers()[1];
      const add = (y: number, count: number) => {
        for (let i = 0; i < count; i++) {
          const start = Date.parse(`${y}-02-01T10:00:00Z`) + i * 3_600_000;
          sim.store.addWebinar(pagingOrg.organizerKey, {
            subject: `Paging ${y} #${i}`,
            times: [
              {
                startTime: new Date(start).toISOString(),
                endTime: new Date(start + 1_800_000).toISOString(),
              },
            ],
          });
        }
      };
      add(2031, 200);
      add(2032, 201);
    });

    it.each([
      [2031, 200, [200], 1],
      [2032, 201, [200, 1], 2],
      [2033, 0, [], 1],
    ])('webinars in %i: %i items -> pages %j in %i calls', async (y, total, pageSizes, calls) => {
      const { client } = await make();
      const [from, to] = year(y);
      const pages = await collect(
        client.listWebinars(pat(pagingOrg), pagingOrg.organizerKey, from, to),
      );
      expect(pages.map((p) => p.length)).toEqual(pageSizes);
      expect(pages.flat()).toHaveLength(total);
      expect(served(WEBINARS)).toBe(calls);
    });

    it.each([
      [200, [200], 1],
      [201, [200, 1], 2],
    ])(
      'attendees of all sessions: %i rows -> pages %j in %i calls',
      async (rows, pageSizes, calls) => {
        const { client } = await make();
        const now = sim.store.now().getTime();
        const start = now - 10 * DAY;
        const w = sim.store.addWebinar(org.organizerKey, {
          times: [
            {
              startTime: new Date(start).toISOString(),
              endTime: new Date(start + 3_600_000).toISOString(),
            },
          ],
        });
        const base = sim.store.listAttendees(w.webinarKey).length;
        for (let i = base; i < rows; i++)
          sim.store.markAttendance(w.webinarKey, {
            email: `att${i}@example.com`,
            firstName: 'A',
            lastName: `${i}`,
          });
        const pages = await collect(
          client.listWebinarAttendees(pat(), org.organizerKey, w.webinarKey),
        );
        expect(pages.map((p) => p.length)).toEqual(pageSizes);
        expect(served(ATTENDEES)).toBe(calls);
        const expected = sim.store
          .listAttendees(w.webinarKey)
          .map((a) => `${a.registrantKey}/${a.sessionKey}`)
          .sort();
        expect(
          pages
            .flat()
            .map((a) => `${a.registrantKey}/${a.sessionKey}`)
            .sort(),
        ).toEqual(expected);
      },
    );

    it('sessions of a 201-time sequence: pages [200, 1] in 2 calls, keys exact', async () => {
      const { client } = await make();
      const first = sim.store.now().getTime() - 300 * DAY;
      const times = Array.from({ length: 201 }, (_, i) => ({
        startTime: new Date(first + i * DAY).toISOString(),
        endTime: new Date(first + i * DAY + 3_600_000).toISOString(),
      }));
      const w = sim.store.addWebinar(org.organizerKey, { times, recurrenceType: 'sequence' });
      const pages = await collect(client.listSessions(pat(), org.organizerKey, w.webinarKey));
      expect(pages.map((p) => p.length)).toEqual([200, 1]);
      expect(
        served('GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/sessions'),
      ).toBe(2);
      expect(pages.flat().map((x) => x.sessionKey)).toEqual(
        sim.store.listSessions(w.webinarKey).map((x) => x.sessionKey),
      );
    });

    it('a webinar without sessions has no attendees and no sessions (one call each)', async () => {
      const { client } = await make();
      const start = sim.store.now().getTime() + 30 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      expect(
        await collect(client.listWebinarAttendees(pat(), org.organizerKey, w.webinarKey)),
      ).toEqual([]);
      expect(await collect(client.listSessions(pat(), org.organizerKey, w.webinarKey))).toEqual([]);
      expect(served(ATTENDEES)).toBe(1);
    });

    it('registrants: 201 in the plain array form is one call', async () => {
      const { client } = await make();
      const start = sim.store.now().getTime() + 20 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        registrants: 201,
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      const pages = await collect(client.listRegistrants(pat(), org.organizerKey, w.webinarKey));
      expect(pages.flat()).toHaveLength(201);
      expect(served(REGISTRANTS)).toBe(1);
      expect(pages.flat().map((r) => r.registrantKey)).toEqual(
        sim.store.listRegistrants(w.webinarKey).map((r) => r.registrantKey),
      );
    });
  });

  describe('64-bit keys survive exactly', () => {
    it('webinars, registrants, sessions and attendees match the simulator store strings', async () => {
      const { client } = await make();
      const auth = pat();
      const [from, to] = window();
      const webinars = (
        await collect(client.listWebinars(auth, org.organizerKey, from, to))
      ).flat();
      const stored = sim.store.listWebinars(org.organizerKey).filter((w) => {
        const t = Date.parse(w.times[0].startTime);
        return t >= from.getTime() && t <= to.getTime();
      });
      expect(webinars.map((w) => w.webinarKey).sort()).toEqual(
        stored.map((w) => w.webinarKey).sort(),
      );
      expect(
        webinars.every(
          (w) => w.organizerKey === org.organizerKey && w.accountKey === org.accountKey,
        ),
      ).toBe(true);
      expect(webinars.some((w) => BigInt(w.webinarKey) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(
        true,
      );

      const past = stored.find((w) => w.sessions.length > 0);
      expect(past).toBeDefined();
      const single = await client.getWebinar(auth, org.organizerKey, past!.webinarKey);
      expect(single.webinarKey).toBe(past!.webinarKey); // bare JSON number in WebinarByKey
      expect(single.organizerKey).toBe(org.organizerKey);

      const registrants = (
        await collect(client.listRegistrants(auth, org.organizerKey, past!.webinarKey))
      ).flat();
      expect(registrants.map((r) => r.registrantKey)).toEqual(
        sim.store.listRegistrants(past!.webinarKey).map((r) => r.registrantKey),
      );

      const sessions = (
        await collect(client.listSessions(auth, org.organizerKey, past!.webinarKey))
      ).flat();
      expect(sessions.map((s) => s.sessionKey)).toEqual(
        sim.store.listSessions(past!.webinarKey).map((s) => s.sessionKey),
      );
      expect(sessions.every((s) => s.webinarKey === past!.webinarKey)).toBe(true);

      const perSession = await client.listSessionAttendees(
        auth,
        org.organizerKey,
        past!.webinarKey,
        sessions[0].sessionKey,
      );
      const storedAtt = sim.store.listAttendees(past!.webinarKey, sessions[0].sessionKey);
      expect(perSession.map((a) => a.registrantKey)).toEqual(storedAtt.map((a) => a.registrantKey));
      expect(perSession.map((a) => a.attendanceTimeInSeconds)).toEqual(
        storedAtt.map((a) => a.attendanceTimeInSeconds),
      );
    });

    it('createRegistrant returns the exact key; a duplicate returns the existing one', async () => {
      const { client } = await make();
      const start = sim.store.now().getTime() + 40 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      const auth = pat();
      const input = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
      const created = await client.createRegistrant(auth, org.organizerKey, w.webinarKey, input);
      const stored = sim.store.listRegistrants(w.webinarKey);
      expect(created.registrantKey).toBe(stored[0].registrantKey);
      expect(created.alreadyRegistered).toBeUndefined();
      const again = await client.createRegistrant(auth, org.organizerKey, w.webinarKey, input);
      expect(again).toMatchObject({
        registrantKey: created.registrantKey,
        alreadyRegistered: true,
      });
    });
  });

  describe('pacing', () => {
    it('a burst of 30 concurrent calls is paced: at most maxRps = 10 in any second of the clock', async () => {
      // The pacer's clock is the fake one: the test reads the slots it handed out, not wall time
      // (stamps taken on a loaded machine bunch or spread with the event loop). The simulator's own
      // limit counts arrivals on the wall clock, so it stays off here.
      const grants: number[] = [];
      const clock = new FakeGotoTime();
      const { client } = await make({ maxRps: 10 }, { clock, grants });
      const w = firstWebinar();
      const auth = pat();
      await client.getIdentity(auth); // token first, so the burst is API calls only
      grants.length = 0;
      sim.counters.reset();
      await Promise.all(
        Array.from({ length: 30 }, () => client.getWebinar(auth, org.organizerKey, w.webinarKey)),
      );
      expect(served(WEBINAR, 200)).toBe(30);
      expect(grants).toHaveLength(30);
      expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(10);
      expect(clock.sleeps).toEqual([]);
    });
  });

  describe('retries and error codes from faults', () => {
    // Backoff, Retry-After and the pause after a 429 are waited on `clock`, not on the wall clock.
    let clock: FakeGotoTime;
    let grants: number[];
    const get = async (goto: Record<string, unknown> = {}) => {
      clock = new FakeGotoTime();
      grants = [];
      const { client } = await make(goto, { clock, grants });
      const w = firstWebinar();
      const auth = pat();
      await client.getIdentity(auth);
      sim.counters.reset();
      grants.length = 0;
      return () => client.getWebinar(auth, org.organizerKey, w.webinarKey);
    };

    it('429 twice, then success: three attempts', async () => {
      const call = await get();
      sim.faults.inject({ type: 'status', status: 429, path: '/webinars/\\d+$', count: 2 });
      await expect(call()).resolves.toBeDefined();
      expect(served(WEBINAR, 429)).toBe(2);
      expect(served(WEBINAR, 200)).toBe(1);
    });

    it('429 with Retry-After: 1 waits at least a second (asked of the clock), then retries', async () => {
      const call = await get();
      sim.faults.inject({
        type: 'status',
        status: 429,
        retryAfter: 1,
        path: '/webinars/\\d+$',
        count: 1,
      });
      await expect(call()).resolves.toBeDefined();
      // The client's own wait, and the pacer's hold for every caller of this client.
      expect(clock.sleeps).toHaveLength(1);
      expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
      expect(grants).toHaveLength(2);
      expect(grants[1] - grants[0]).toBeGreaterThanOrEqual(1000);
      expect(served(WEBINAR)).toBe(2);
    });

    it.each([
      [429, 'RATE_LIMITED'],
      [500, 'TEMPORARY'],
      [503, 'TEMPORARY'],
    ])('persistent %i -> %s after 1 + maxRetries attempts', async (status, code) => {
      const call = await get({ maxRetries: 3 });
      sim.faults.inject({ type: 'status', status, path: '/webinars/\\d+$' });
      const e = await failure(call());
      expect(e.code).toBe(code);
      expect(e.retryable).toBe(true);
      expect(e.details.status).toBe(status);
      expect(served(WEBINAR)).toBe(4);
    });

    it('a hanging request times out and the retry succeeds', async () => {
      const call = await get({ timeoutMs: 300 });
      sim.faults.inject({ type: 'hang', path: '/webinars/\\d+$', count: 1 });
      await expect(call()).resolves.toBeDefined();
      expect(served(WEBINAR, 'hang')).toBe(1);
      expect(served(WEBINAR, 200)).toBe(1);
    });

    it('a hang that persists -> TEMPORARY (timeout)', async () => {
      const call = await get({ timeoutMs: 200, maxRetries: 1 });
      sim.faults.inject({ type: 'hang', path: '/webinars/\\d+$' });
      const e = await failure(call());
      expect(e.code).toBe('TEMPORARY');
      expect(e.message).toMatch(/did not answer within 200 ms/);
      expect(served(WEBINAR, 'hang')).toBe(2);
    });

    it('a reset connection is retried', async () => {
      const call = await get();
      sim.faults.inject({ type: 'down', path: '/webinars/\\d+$', count: 1 });
      await expect(call()).resolves.toBeDefined();
      expect(served(WEBINAR, 'reset')).toBe(1);
      expect(served(WEBINAR, 200)).toBe(1);
    });

    it('400 -> BAD_REQUEST, not retried', async () => {
      const call = await get();
      sim.faults.inject({ type: 'status', status: 400, path: '/webinars/\\d+$' });
      expect((await failure(call())).code).toBe('BAD_REQUEST');
      expect(served(WEBINAR)).toBe(1);
    });

    it("unknown or cancelled webinar -> NOT_FOUND; another organizer's -> FORBIDDEN", async () => {
      const { client } = await make();
      const auth = pat();
      expect(
        (await failure(client.getWebinar(auth, org.organizerKey, '1234567890123456789'))).code,
      ).toBe('NOT_FOUND');
      const start = sim.store.now().getTime() + 50 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      sim.store.cancelWebinar(w.webinarKey);
      expect((await failure(client.getWebinar(auth, org.organizerKey, w.webinarKey))).code).toBe(
        'NOT_FOUND',
      );
      const theirs = firstWebinar(other);
      expect(
        (await failure(client.getWebinar(auth, other.organizerKey, theirs.webinarKey))).code,
      ).toBe('FORBIDDEN');
    });

    it('malformed JSON -> INVALID_RESPONSE with a path, not retried', async () => {
      const { client } = await make();
      sim.faults.inject({ type: 'malformed-json', path: '/organizers/\\d+/webinars$', count: 1 });
      const [from, to] = window();
      const e = await failure(collect(client.listWebinars(pat(), org.organizerKey, from, to)));
      expect(e.code).toBe('INVALID_RESPONSE');
      expect(e.details.path).toBe('$');
      expect(served(WEBINARS)).toBe(1);
    });

    it('a schema violation names the JSON path of the bad field', async () => {
      const { client } = await make();
      sim.faults.inject({ type: 'schema-violation', path: '/organizers/\\d+/webinars$', count: 1 });
      const [from, to] = window();
      const e = await failure(collect(client.listWebinars(pat(), org.organizerKey, from, to)));
      expect(e.code).toBe('INVALID_RESPONSE');
      expect(e.details.path).toBe('_embedded.webinars[0].times');
      expect(e.message).toContain('_embedded.webinars[0].times');
    });

    it('5xx on the token endpoint is retried too', async () => {
      const { client } = await make();
      sim.faults.inject({ type: 'status', status: 502, path: '^/oauth/token$', count: 1 });
      await expect(client.signIn(pat())).resolves.toMatchObject({ organizerKey: org.organizerKey });
      expect(served(TOKEN, 502)).toBe(1);
      expect(served(TOKEN, 200)).toBe(1);
    });
  });

  it('stats() counts the calls this process made', async () => {
    const { client } = await make();
    client.resetStats();
    await client.signIn(pat());
    expect(client.stats()).toEqual({
      requests: 2,
      byEndpoint: { 'POST /oauth/token': 1, 'GET /identity/v1/Users/me': 1 },
    });
  });
});
