// Issue #16's refusals through HTTP: request limits (per address, per API key, GoTo sign-ins per
// account) answering 429 with Retry-After, bad-key floods that cost no query, the /metrics token,
// and the security headers on the API, the docs and the admin page.
import { DataSource } from 'typeorm';
import { MAIL_TRANSPORT, MailTransport } from '../../src/mailings/mail-transport';
import { TargetGroupFolder } from '../../src/target-group-folders/target-group-folder.entity';
import { TargetGroup } from '../../src/target-groups/target-group.entity';
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import {
  createOrganizerTestApp,
  startOrganizerSimulator,
} from '../support/factories/organizer.factory';
import { createTestApp, TestApp } from '../support/test-app';

const API = '/api/v1';

/** Counts SQL statements the app sends (TypeORM reports each one to its logger). */
function countQueries(ds: DataSource, matching: RegExp): { count(): number; stop(): void } {
  const seen: string[] = [];
  const spy = jest.spyOn(ds.logger, 'logQuery').mockImplementation((q: string) => {
    if (matching.test(q)) seen.push(q);
  });
  return { count: () => seen.length, stop: () => spy.mockRestore() };
}

describe('GoTo webhook deliveries', () => {
  it('are not limited per address (GoTo sends all accounts events from a few): the signature is their check', async () => {
    const sim = await startOrganizerSimulator(1);
    const t = await createOrganizerTestApp('sqlite', sim, {
      config: { throttle: { ipLimit: 3 }, webhooks: { enabled: true, signature: 'hmac-sha256' } },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await t.http().post(`${API}/webhooks/goto`).send({ eventName: 'registrant.added' }))
            .status,
        );
      expect(statuses).toEqual(Array(6).fill(401)); // unsigned: refused, nothing stored
      // The address's limit itself is on: the API answers 429 after 3.
      const a = await t.createAccount();
      const api = [];
      for (let i = 0; i < 4; i++)
        api.push((await t.http().get(`${API}/account`).set(a.auth)).status);
      expect(api).toContain(429);
    } finally {
      await t.close();
      await sim.close();
    }
  });
});

describe('request limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { config: { throttle: { ipLimit: 5, keyLimit: 1_000 } } });
  });
  afterAll(async () => t?.close());

  it('per address: the request over the limit is a 429 with Retry-After and the error body', async () => {
    const a = await t.createAccount();
    for (let i = 0; i < 5; i++) await t.http().get(`${API}/account`).set(a.auth).expect(200);
    const res = await t.http().get(`${API}/account`).set(a.auth).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    // /health stays open for load balancers.
    await t.http().get('/health').expect(200);
  });

  it('the address limit is checked before the API key is looked up: a flood of new bad keys costs no query', async () => {
    const limited = await createTestApp('sqlite', { config: { throttle: { ipLimit: 3 } } });
    const queries = countQueries(limited.app.get(DataSource), /\baccount\b/i);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const bad = { Authorization: `Bearer wsk_${String(i).padStart(43, 'y')}` };
        statuses.push((await limited.http().get(`${API}/account`).set(bad)).status);
      }
      expect(statuses).toEqual([401, 401, 401, ...Array(7).fill(429)]);
      expect(queries.count()).toBe(3);
    } finally {
      queries.stop();
      await limited.close();
    }
  });
});

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { config: { throttle: { ipLimit: 1_000, keyLimit: 3 } } });
  });
  afterAll(async () => t?.close());

  it('per key: a key over its limit gets 429, another key does not', async () => {
    const a = await t.createAccount();
    const b = await t.createAccount();
    for (let i = 0; i < 3; i++) await t.http().get(`${API}/account`).set(a.auth).expect(200);
    const res = await t.http().get(`${API}/account`).set(a.auth).expect(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    await t.http().get(`${API}/account`).set(b.auth).expect(200);
  });

  it('a flood with a bad key costs one account query, not one per request', async () => {
    const open = await createTestApp('sqlite'); // limits out of the way: the cache alone
    const ds = open.app.get(DataSource);
    const queries = countQueries(ds, /\baccount\b/i);
    try {
      const bad = { Authorization: `Bearer wsk_${'x'.repeat(43)}` };
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push((await open.http().get(`${API}/account`).set(bad)).status);
      expect(statuses).toEqual(Array(20).fill(401));
      expect(queries.count()).toBe(1);
      // A valid key still answers.
      const fresh = await open.createAccount();
      await open.http().get(`${API}/account`).set(fresh.auth).expect(200);
      expect(queries.count()).toBeGreaterThan(1);
    } finally {
      queries.stop();
      await open.close();
    }
  });
});

describe('GoTo sign-ins per account (POST /organizers, credential PATCH)', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let orgs: OrganizerInfo[];
  beforeAll(async () => {
    sim = await startOrganizerSimulator(4);
    orgs = sim.store.listOrganizers();
    t = await createOrganizerTestApp('sqlite', sim, {
      config: { throttle: { signInLimit: 3, signInTtlMs: 3_600_000 } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('password guesses stop at the strict limit; other accounts and non-credential PATCHes are not counted', async () => {
    const a = await t.createAccount();
    const linked = await t
      .http()
      .post(`${API}/organizers`)
      .set(a.auth)
      .send({ email: orgs[0].email, password: orgs[0].password })
      .expect(201);
    // A PATCH that changes no credential is no sign-in.
    for (let i = 0; i < 4; i++)
      await t
        .http()
        .patch(`${API}/organizers/${linked.body.id}`)
        .set(a.auth)
        .send({ active: true })
        .expect(200);
    const guess = (password: string) =>
      t.http().post(`${API}/organizers`).set(a.auth).send({ email: orgs[1].email, password });
    expect((await guess('guess-1')).status).toBe(422);
    await t
      .http()
      .patch(`${API}/organizers/${linked.body.id}`)
      .set(a.auth)
      .send({ password: 'guess-2' })
      .expect(422);
    const limited = await guess('guess-3');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('SIGN_IN_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const b = await t.createAccount();
    await t
      .http()
      .post(`${API}/organizers`)
      .set(b.auth)
      .send({ email: orgs[2].email, password: orgs[2].password })
      .expect(201);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  const token = 'metrics-token-0123456789abcdef';
  beforeAll(async () => {
    t = await createTestApp('sqlite', { config: { metricsToken: token } });
  });
  afterAll(async () => t?.close());

  it('401 without the token or with another one; 200 with it', async () => {
    const none = await t.http().get('/metrics').expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'METRICS_TOKEN_REQUIRED' });
    expect(none.text).not.toMatch(/# HELP/);
    await t.http().get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
    await t
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${token.slice(0, -1)}`)
      .expect(401);
    await t.http().get('/metrics').set('Authorization', token).expect(401);
    const ok = await t.http().get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toMatch(/^# HELP /m);
  });
});

describe('security headers', () => {
  let t: TestApp;
  let https: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    https = await createTestApp('sqlite', { config: { publicUrl: 'https://sync.example.com' } });
  });
  afterAll(async () => {
    await t?.close();
    await https?.close();
  });

  it('API answers: nosniff, no X-Powered-By, not framed, a CSP; HSTS only behind https', async () => {
    for (const path of [`${API}/account`, '/health', '/api/docs-json']) {
      const res = await t.http().get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const secure = await https.http().get('/health');
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(secure.headers['content-security-policy']).toMatch(/upgrade-insecure-requests/);
  });

  it('the docs page loads its scripts from this origin only (allowed by its CSP)', async () => {
    const page = await t.http().get('/api/docs/').redirects(1).expect(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'/);
    // No inline script the CSP would block: every <script> has a same-origin src.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\.?\/?[^":]+"/);
      expect(body.trim()).toBe('');
    }
  });

  it('the admin page keeps its own stricter CSP', async () => {
    const res = await t.http().get('/admin').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/style-src 'self'(;|$)/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('mailing sends in flight per account', () => {
  let t: TestApp;
  // The mail transport is the network edge: it holds every delivery until the test lets go.
  const held: Array<() => void> = [];
  let delivered = 0;
  const transport: MailTransport = {
    deliver: () =>
      new Promise<void>((resolve) => {
        delivered += 1;
        held.push(resolve);
      }),
  };
  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      config: { throttle: { mailingSendsPerAccount: 2 } },
      override: (b) => b.overrideProvider(MAIL_TRANSPORT).useValue(transport),
    });
  });
  afterAll(async () => t?.close());

  async function mailing(account: { id: number; auth: { Authorization: string } }) {
    const ds = t.app.get(DataSource);
    const folder = await ds
      .getRepository(TargetGroupFolder)
      .save({ accountId: account.id, name: `F ${Math.random()}` });
    const group = await ds
      .getRepository(TargetGroup)
      .save({ accountId: account.id, folderId: folder.id, webinarId: null, kind: null, name: 'G' });
    const res = await t
      .http()
      .post(`${API}/mailings`)
      .set(account.auth)
      .send({ subject: 'Hi', targetGroupIds: [group.id] })
      .expect(201);
    return res.body.id as number;
  }

  it('a third concurrent send of one account is a 429 with Retry-After; another account is not held up', async () => {
    const a = await t.createAccount();
    const b = await t.createAccount();
    const [m1, m2, m3, m4] = [
      await mailing(a),
      await mailing(a),
      await mailing(a),
      await mailing(b),
    ];
    const send = (acc: typeof a, id: number) =>
      t
        .http()
        .post(`${API}/mailings/${id}/send`)
        .set(acc.auth)
        .then((r) => r);
    const first = send(a, m1);
    const second = send(a, m2);
    const deadline = Date.now() + 10_000;
    while (delivered < 2 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(delivered).toBe(2);
    const third = await send(a, m3);
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('MAILING_SENDS_BUSY');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    const other = send(b, m4);
    while (delivered < 3 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(delivered).toBe(3);
    held.splice(0).forEach((release) => release());
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await other).status).toBe(200);
    // Slots are given back: the refused mailing is still a draft and can be sent now.
    const retry = send(a, m3);
    while (delivered < 4 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    held.splice(0).forEach((release) => release());
    expect((await retry).status).toBe(200);
  });
});
