// The REST contract of DESIGN.md §5, walked end to end against the real app and the GoTo simulator:
// every route, its status codes and key fields, the list envelope and its parameters, the error
// body, auth and account scoping, the OpenAPI document; then a bad-input sweep in which every
// malformed request must be a 4xx (never a 500) that names the field at fault.
import { DataSource } from 'typeorm';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, TestApp } from '../support/test-app';
import { Dialect } from '../support/test-database';
import { AnyJson } from '../../src/common/any-json';

type Auth = { Authorization: string };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Body = AnyJson;

const API = '/api/v1';
// SQLite by default (fast); CONTRACT_DIALECT=mysql runs the same walk against MySQL/MariaDB.
const dialect = (process.env.CONTRACT_DIALECT ?? 'sqlite') as Dialect;

describe(`REST contract (DESIGN §5), ${dialect}`, () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let a: { id: number; auth: Auth };
  let b: { id: number; auth: Auth };
  let organizerId: number;
  let initialSyncJobId: number;
  let webinarId: number;
  let targetGroupId: number;
  let folderId: number;
  let mailingId: number;
  let secondOrganizer: { email: string; password: string };

  const req = (method: Method, path: string, auth: Auth | null = a.auth) => {
    const r = t.http()[method](path);
    return auth ? r.set(auth) : r;
  };

  // Every route of §5 under /api/v1, with concrete ids filled in once the data exists.
  const routes = (): Array<[Method, string]> => [
    ['get', '/webinar-integration/settings'],
    ['put', '/webinar-integration/settings'],
    ['post', '/webinar-integration/test-connection'],
    ['get', '/organizers'],
    ['post', '/organizers'],
    ['get', '/organizers/oauth/authorize'],
    ['get', `/organizers/${organizerId}`],
    ['patch', `/organizers/${organizerId}`],
    ['delete', `/organizers/${organizerId}`],
    ['post', `/organizers/${organizerId}/sync`],
    ['get', '/webinars'],
    ['get', `/webinars/${webinarId}`],
    ['post', `/webinars/${webinarId}/sync`],
    ['get', `/webinars/${webinarId}/participants`],
    ['get', '/target-group-folders'],
    ['post', '/target-group-folders'],
    ['get', '/target-groups'],
    ['get', `/target-groups/${targetGroupId}`],
    ['get', `/target-groups/${targetGroupId}/members`],
    ['post', '/mailings'],
    ['get', `/mailings/${mailingId}`],
    ['post', `/mailings/${mailingId}/send`],
    ['get', `/mailings/${mailingId}/recipients`],
    ['get', '/sync-jobs'],
    ['get', `/sync-jobs/${initialSyncJobId}`],
  ];

  const expectErrorBody = (body: Body, status: number) => {
    expect(body).toEqual(
      expect.objectContaining({ statusCode: status, message: expect.any(String) }),
    );
    expect(body.message.length).toBeGreaterThan(0);
    if (body.errors !== undefined) {
      expect(Array.isArray(body.errors)).toBe(true);
      for (const e of body.errors)
        expect(e).toEqual(
          expect.objectContaining({ field: expect.any(String), message: expect.any(String) }),
        );
    }
  };
  /** A 4xx with the §5 error body whose `errors` name `field`. */
  const expectFieldError = (res: { status: number; body: Body }, field: string, status = 400) => {
    expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.anything() });
    expectErrorBody(res.body, status);
    expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
  };
  const expectClientError = (res: { status: number; body: Body }) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectErrorBody(res.body, res.status);
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 11, organizers: 2, webinars: 4, registrants: 6 });
    t = await createTestApp(dialect, {
      config: {
        goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 1 },
        // The before-send sync waits for a worker that tests do not run: keep its budget short.
        mailingSyncTimeoutMs: 300,
      },
    });
    a = await t.createAccount('Contract A');
    b = await t.createAccount('Contract B');
    const [org, other] = sim.store.listOrganizers();
    secondOrganizer = { email: other.email, password: other.password };

    const res = await req('post', `${API}/organizers`).send({
      email: org.email,
      password: org.password,
    });
    expect(res.status).toBe(201);
    organizerId = res.body.id;
    initialSyncJobId = res.body.initialSyncJobId;
    await drainQueue(t.app, { advanceClock: true });

    const webinars = await req('get', `${API}/webinars`).expect(200);
    webinarId = webinars.body.items[0].id;
    const groups = await req('get', `${API}/target-groups?webinarId=${webinarId}`).expect(200);
    targetGroupId = groups.body.items[0].id;
    const folders = await req('get', `${API}/target-group-folders`).expect(200);
    folderId = folders.body.items[0].id;
    const mailing = await req('post', `${API}/mailings`).send({
      subject: 'Thanks',
      targetGroupIds: [targetGroupId],
    });
    expect(mailing.status).toBe(201);
    mailingId = mailing.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  describe('routes, status codes and key fields', () => {
    it('POST /organizers → 201 organizer + initialSyncJobId, never a secret', async () => {
      const res = await req('get', `${API}/organizers/${organizerId}`).expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({
          id: organizerId,
          active: true,
          hasCredentials: true,
          organizerKey: expect.any(String),
        }),
      );
      expect(initialSyncJobId).toEqual(expect.any(Number));
      const secretKeys = (o: Body) =>
        Object.keys(o).filter((k) => /password|token|secret|encrypted|^credentials/i.test(k));
      expect(secretKeys(res.body)).toEqual([]);
      const second = await req('post', `${API}/organizers`).send(secondOrganizer).expect(201);
      expect(second.body).toEqual(
        expect.objectContaining({ id: expect.any(Number), initialSyncJobId: expect.any(Number) }),
      );
      expect(secretKeys(second.body)).toEqual([]);
      expect(JSON.stringify(second.body)).not.toContain(secondOrganizer.password);
    });

    it('GET/PUT /webinar-integration/settings → {active, targetGroupFolderId, displayedTimeZone}, partial update', async () => {
      const got = await req('get', `${API}/webinar-integration/settings`).expect(200);
      expect(got.body).toEqual({
        active: true,
        targetGroupFolderId: expect.any(Number),
        displayedTimeZone: 'America/New_York',
        realTimeUpdates: true,
        engagementMinutes: null, // §9
      });
      const put = await req('put', `${API}/webinar-integration/settings`)
        .send({ displayedTimeZone: 'Europe/Berlin' })
        .expect(200);
      expect(put.body).toEqual({ ...got.body, displayedTimeZone: 'Europe/Berlin' });
      const back = await req('put', `${API}/webinar-integration/settings`)
        .send({ displayedTimeZone: 'America/New_York' })
        .expect(200);
      expect(back.body).toEqual(got.body);
    });

    it('POST /webinar-integration/test-connection → {results:[{organizerId, ok, deactivated, error}]}', async () => {
      const res = await req('post', `${API}/webinar-integration/test-connection`).expect(200);
      expect(res.body.results.length).toBeGreaterThan(0);
      for (const r of res.body.results)
        expect(r).toEqual(
          expect.objectContaining({
            organizerId: expect.any(Number),
            ok: true,
            deactivated: false,
            error: null,
          }),
        );
    });

    it('GET /organizers lists without secrets; PATCH changes active; DELETE → 405; POST :id/sync → 202 {jobId}', async () => {
      const list = await req('get', `${API}/organizers`).expect(200);
      expect(list.body).toEqual({ items: expect.any(Array), page: 1, pageSize: 50, total: 2 });
      expect(JSON.stringify(list.body)).not.toContain(secondOrganizer.password);

      const off = await req('patch', `${API}/organizers/${organizerId}`)
        .send({ active: false })
        .expect(200);
      expect(off.body.active).toBe(false);
      const on = await req('patch', `${API}/organizers/${organizerId}`)
        .send({ active: true })
        .expect(200);
      expect(on.body.active).toBe(true);

      const del = await req('delete', `${API}/organizers/${organizerId}`).expect(405);
      expectErrorBody(del.body, 405);
      expect(del.body.message).toMatch(/deactivat/i);
      await req('get', `${API}/organizers/${organizerId}`).expect(200);

      const sync = await req('post', `${API}/organizers/${organizerId}/sync`).expect(202);
      expect(sync.body).toEqual({ jobId: expect.any(Number) });
    });

    it('GET /organizers/oauth/authorize → 302 to the consent page; callback with a bad state → 400 naming state', async () => {
      const res = await req('get', `${API}/organizers/oauth/authorize`).expect(302);
      expect(res.headers.location).toMatch(/\/oauth\/authorize\?.*state=/);
      const cb = await t
        .http()
        .get(`${API}/organizers/oauth/callback?code=x&state=forged`)
        .set('Accept', 'application/json');
      expectFieldError(cb, 'state');
    });

    it('GET /webinars (list) and GET /webinars/:id with counts {registered, attended, notAttended}; POST :id/sync → 202 {jobId}', async () => {
      const list = await req('get', `${API}/webinars?organizerId=${organizerId}`).expect(200);
      expect(list.body).toEqual({
        items: expect.any(Array),
        page: 1,
        pageSize: 50,
        total: expect.any(Number),
      });
      const detail = await req('get', `${API}/webinars/${webinarId}`).expect(200);
      expect(detail.body.counts).toEqual({
        registered: expect.any(Number),
        attended: expect.any(Number),
        notAttended: expect.any(Number),
      });
      expect(detail.body.counts.registered).toBeGreaterThan(0);
      const sync = await req('post', `${API}/webinars/${webinarId}/sync`).expect(202);
      expect(sync.body).toEqual({ jobId: expect.any(Number) });
    });

    it('GET /webinars/:id/participants?status=attended|not_attended', async () => {
      const all = await req('get', `${API}/webinars/${webinarId}/participants`).expect(200);
      const att = await req(
        'get',
        `${API}/webinars/${webinarId}/participants?status=attended`,
      ).expect(200);
      const not = await req(
        'get',
        `${API}/webinars/${webinarId}/participants?status=not_attended`,
      ).expect(200);
      expect(att.body.total + not.body.total).toBe(all.body.total);
      for (const p of att.body.items) expect(p.webinarParticipantStatusId).toBe(2);
      for (const p of not.body.items) expect(p.webinarParticipantStatusId).toBe(1);
    });

    it('target group folders: list, POST {name} → 201; target groups: list, get, members', async () => {
      const created = await req('post', `${API}/target-group-folders`)
        .send({ name: 'Contract folder' })
        .expect(201);
      expect(created.body).toEqual(
        expect.objectContaining({ id: expect.any(Number), name: 'Contract folder' }),
      );
      const groups = await req(
        'get',
        `${API}/target-groups?webinarId=${webinarId}&folderId=${folderId}`,
      ).expect(200);
      expect(groups.body).toEqual({ items: expect.any(Array), page: 1, pageSize: 50, total: 3 });
      const g = await req('get', `${API}/target-groups/${targetGroupId}`).expect(200);
      expect(g.body).toEqual(
        expect.objectContaining({ id: targetGroupId, webinarId, name: expect.any(String) }),
      );
      const m = await req('get', `${API}/target-groups/${targetGroupId}/members`).expect(200);
      expect(m.body).toEqual({
        items: expect.any(Array),
        page: 1,
        pageSize: 50,
        total: expect.any(Number),
      });
    });

    it('mailings: POST → 201, GET, send, recipients; a second send → 409', async () => {
      const got = await req('get', `${API}/mailings/${mailingId}`).expect(200);
      expect(got.body).toEqual(
        expect.objectContaining({
          id: mailingId,
          subject: 'Thanks',
          targetGroupIds: [targetGroupId],
        }),
      );
      const sent = await req('post', `${API}/mailings/${mailingId}/send`);
      expect([200, 201, 202]).toContain(sent.status);
      const rec = await req('get', `${API}/mailings/${mailingId}/recipients`).expect(200);
      expect(rec.body).toEqual({
        items: expect.any(Array),
        page: 1,
        pageSize: 50,
        total: expect.any(Number),
      });
      expect(rec.body.total).toBeGreaterThan(0);
      const again = await req('post', `${API}/mailings/${mailingId}/send`).expect(409);
      expectErrorBody(again.body, 409);
    });

    it('sync jobs: list filtered by status and organizer; GET :id → {status, progress, attempts, lastError}', async () => {
      const list = await req(
        'get',
        `${API}/sync-jobs?status=succeeded&organizerId=${organizerId}`,
      ).expect(200);
      expect(list.body).toEqual({
        items: expect.any(Array),
        page: 1,
        pageSize: 50,
        total: expect.any(Number),
      });
      expect(
        list.body.items.every(
          (j: Body) => j.status === 'succeeded' && j.organizerId === organizerId,
        ),
      ).toBe(true);
      const job = await req('get', `${API}/sync-jobs/${initialSyncJobId}`).expect(200);
      expect(job.body).toEqual(
        expect.objectContaining({
          id: initialSyncJobId,
          status: 'succeeded',
          attempts: expect.any(Number),
          lastError: null,
        }),
      );
      expect(job.body).toHaveProperty('progress');
    });

    it('/health and /metrics at the root, without a key; not under /api/v1', async () => {
      const health = await t.http().get('/health').expect(200);
      expect(health.body.status).toBe('ok');
      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toMatch(/text\/plain/);
      expect(metrics.text).toMatch(/^# HELP /m);
      await req('get', `${API}/health`).expect(404);
    });

    it('/api/docs serves the OpenAPI UI and its document lists every /api/v1 route of §5', async () => {
      await t.http().get('/api/docs').expect(200).expect('Content-Type', /html/);
      const doc = await t.http().get('/api/docs-json').expect(200);
      const missing = routes()
        .map(([m, p]) => [m, `${API}${p}`.replace(/\/\d+(?=\/|$)/g, '/{id}')] as const)
        .filter(([m, p]) => !doc.body.paths?.[p]?.[m]);
      expect(missing).toEqual([]);
      const paths = doc.body.paths;
      expect(Object.keys(paths[`${API}/organizers/oauth/authorize`].get.responses)).toContain(
        '302',
      );
      const callback = paths[`${API}/organizers/oauth/callback`].get;
      expect(callback.parameters.map((p: Body) => p.name)).toEqual(
        expect.arrayContaining(['code', 'state']),
      );
      expect(Object.keys(paths[`${API}/organizers`].post.responses)).toContain('201');
      expect(Object.keys(paths[`${API}/organizers/{id}`].delete.responses)).toContain('405');
      for (const [path, method, code] of [
        ['/organizers/{id}/sync', 'post', '202'],
        ['/webinars/{id}/sync', 'post', '202'],
        ['/target-group-folders', 'post', '201'],
        ['/mailings', 'post', '201'],
      ] as const)
        expect({ path, codes: Object.keys(paths[`${API}${path}`][method].responses) }).toEqual({
          path,
          codes: expect.arrayContaining([code]),
        });
      // The list parameters are documented on every list.
      for (const path of [
        '/organizers',
        '/webinars',
        '/webinars/{id}/participants',
        '/target-group-folders',
        '/target-groups',
        '/target-groups/{id}/members',
        '/mailings/{id}/recipients',
        '/sync-jobs',
      ])
        expect({
          path,
          params: paths[`${API}${path}`].get.parameters.map((p: Body) => p.name),
        }).toEqual({
          path,
          params: expect.arrayContaining(['page', 'pageSize']),
        });
      // Shapes of §5 that the document spells out.
      const schemas = doc.body.components.schemas;
      expect(Object.keys(schemas.IntegrationSettingsView.properties).sort()).toEqual([
        'active',
        'displayedTimeZone',
        'engagementMinutes', // §9
        'realTimeUpdates',
        'targetGroupFolderId',
      ]);
      expect(Object.keys(schemas.TestConnectionResult.properties)).toEqual(
        expect.arrayContaining(['organizerId', 'ok', 'deactivated', 'error']),
      );
    });
  });

  it('/api/docs-json lists GET /health and GET /metrics', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/metrics']));
  });

  describe('lists: {items, page, pageSize, total}; page ≥ 1, pageSize 1–200 (default 50), else 400 naming it', () => {
    const lists = () => [
      '/organizers',
      '/webinars',
      `/webinars/${webinarId}/participants`,
      '/target-group-folders',
      '/target-groups',
      `/target-groups/${targetGroupId}/members`,
      `/mailings/${mailingId}/recipients`,
      '/sync-jobs',
    ];

    it('defaults and an explicit page', async () => {
      for (const path of lists()) {
        const res = await req('get', `${API}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
        expect(res.body).toEqual(expect.objectContaining({ page: 1, pageSize: 50 }));
        const one = await req('get', `${API}${path}?page=1&pageSize=1`).expect(200);
        expect(one.body.items.length).toBeLessThanOrEqual(1);
        expect(one.body.total).toBe(res.body.total);
        const max = await req('get', `${API}${path}?pageSize=200&page=2`).expect(200);
        expect(max.body).toEqual(expect.objectContaining({ page: 2, pageSize: 200, items: [] }));
      }
    });

    it.each([
      ['page', '0'],
      ['page', '-1'],
      ['page', 'abc'],
      ['page', '1.5'],
      ['page', ''],
      ['page', '99999999999999999999'],
      ['pageSize', '0'],
      ['pageSize', '201'],
      ['pageSize', 'abc'],
      ['pageSize', '-5'],
    ])('%s=%s → 400 naming the parameter, on every list', async (param, value) => {
      const statuses: Array<[string, number]> = [];
      const paths = lists();
      for (const path of paths) {
        const res = await req('get', `${API}${path}?${param}=${value}`);
        statuses.push([path, res.status]);
        if (res.status === 400) expectFieldError(res, param);
      }
      expect(statuses).toEqual(paths.map((p) => [p, 400]));
    });

    it('a repeated page parameter is a 400 naming it, not a 500', async () => {
      for (const path of lists())
        expectFieldError(await req('get', `${API}${path}?page=1&page=2`), 'page');
    });

    it.each([
      ['/webinars', 'organizerId=abc', 'organizerId'],
      ['/webinars', 'from=yesterday', 'from'],
      ['/webinars', 'to=2026-13-45T00:00:00Z', 'to'],
      ['/webinars', 'from=2026-06-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
      ['/target-groups', 'webinarId=abc', 'webinarId'],
      ['/target-groups', 'folderId=-1', 'folderId'],
      ['/target-groups', 'webinarId=99999999999999999999', 'webinarId'],
      ['/sync-jobs', 'status=bogus', 'status'],
      ['/sync-jobs', 'organizerId=0', 'organizerId'],
      ['/sync-jobs', 'organizerId=99999999999999999999', 'organizerId'],
      ['/organizers', 'unknown=1', 'unknown'],
    ])('GET %s?%s → 400 naming %s', async (path, query, field) => {
      expectFieldError(await req('get', `${API}${path}?${query}`), field);
    });

    it('GET /webinars/:id/participants?status=bogus → 400 naming status', async () => {
      expectFieldError(
        await req('get', `${API}/webinars/${webinarId}/participants?status=bogus`),
        'status',
      );
    });
  });

  describe('auth and account scope', () => {
    it('every /api/v1 route answers 401 with the error body without a key or with a wrong one', async () => {
      for (const [method, path] of routes()) {
        for (const auth of [
          null,
          { Authorization: 'Bearer wsk_not-a-key' },
          { Authorization: 'Basic abc' },
        ]) {
          const res = await req(method, `${API}${path}`, auth).send({});
          expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
          expectErrorBody(res.body, 401);
        }
      }
    });

    it("another account's ids answer 404 on every route that takes one", async () => {
      const scoped = routes().filter(([, p]) => /\/\d+(\/|$)/.test(p));
      expect(scoped.length).toBeGreaterThanOrEqual(12);
      for (const [method, path] of scoped) {
        const body = method === 'patch' ? { active: false } : undefined;
        const res = await req(method, `${API}${path}`, b.auth).send(body);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
        expectErrorBody(res.body, 404);
      }
      // Nor can B point its settings or a mailing at A's folder or groups.
      expectFieldError(
        await req('put', `${API}/webinar-integration/settings`, b.auth).send({
          targetGroupFolderId: folderId,
        }),
        'targetGroupFolderId',
        422,
      );
      expectFieldError(
        await req('post', `${API}/mailings`, b.auth).send({
          subject: 's',
          targetGroupIds: [targetGroupId],
        }),
        'targetGroupIds',
        422,
      );
      // And B's lists show none of A's data.
      for (const path of ['/organizers', '/webinars', '/target-groups', '/sync-jobs']) {
        const res = await req('get', `${API}${path}`, b.auth).expect(200);
        expect({ path, total: res.body.total }).toEqual({ path, total: 0 });
      }
      expect(
        (await req('get', `${API}/sync-jobs?organizerId=${organizerId}`, b.auth).expect(200)).body
          .total,
      ).toBe(0);
    });

    it('an unknown route is a 404 with the error body', async () => {
      const res = await req('get', `${API}/no-such-thing`).expect(404);
      expectErrorBody(res.body, 404);
    });
  });

  describe('bad input: always a 4xx, never a 500, naming the field', () => {
    const writes = (): Array<[Method, string]> => [
      ['put', '/webinar-integration/settings'],
      ['post', '/organizers'],
      ['patch', `/organizers/${organizerId}`],
      ['post', '/target-group-folders'],
      ['post', '/mailings'],
    ];

    it('malformed JSON → 400 with the error body, on every POST/PUT/PATCH', async () => {
      for (const [method, path] of [
        ...writes(),
        ['post', '/webinar-integration/test-connection'] as [Method, string],
      ]) {
        for (const raw of ['{bad', '{"a":', '[1,', '"unterminated', 'nul']) {
          const res = await req(method, `${API}${path}`)
            .set('Content-Type', 'application/json')
            .send(raw);
          expect({ path, raw, status: res.status }).toEqual({ path, raw, status: 400 });
          expectErrorBody(res.body, 400);
          expect(res.body.message).toMatch(/JSON/);
        }
      }
    });

    it('JSON that is not an object (null, a number, a string, an array) → 400, never a 200 or 500', async () => {
      for (const [method, path] of writes()) {
        for (const raw of ['null', '42', '"text"', '[]', '[{"name":"x"}]']) {
          const res = await req(method, `${API}${path}`)
            .set('Content-Type', 'application/json')
            .send(raw);
          expect({ path, raw, status: res.status }).toEqual({ path, raw, status: 400 });
          expectErrorBody(res.body, 400);
        }
      }
    });

    it('a body that no parser reads (text/plain, XML) → 415 naming Content-Type, nothing changed', async () => {
      const before = (await req('get', `${API}/webinar-integration/settings`).expect(200)).body;
      for (const [method, path] of writes()) {
        const res = await req(method, `${API}${path}`)
          .set('Content-Type', 'text/plain')
          .send('{"active":false}');
        expectFieldError(res, 'Content-Type', 415);
      }
      expect((await req('get', `${API}/webinar-integration/settings`).expect(200)).body).toEqual(
        before,
      );
    });

    it('an unsupported charset or content encoding → 415, a corrupt gzip body → 4xx; never a 500', async () => {
      for (const [method, path] of writes()) {
        const charset = await req(method, `${API}${path}`)
          .set('Content-Type', 'application/json; charset=ebcdic')
          .send('{}');
        expect({ path, status: charset.status }).toEqual({ path, status: 415 });
        expectErrorBody(charset.body, 415);
        const encoding = await req(method, `${API}${path}`)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'bogus')
          .send('{}');
        expect({ path, status: encoding.status }).toEqual({ path, status: 415 });
        expectErrorBody(encoding.body, 415);
        const gzip = await req(method, `${API}${path}`)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .send('{"not":"gzip"}');
        expectClientError(gzip);
      }
    });

    it('a body over the size limit → 413, not a 500', async () => {
      const huge = JSON.stringify({ name: 'x'.repeat(2_000_000) });
      for (const [method, path] of writes()) {
        const res = await req(method, `${API}${path}`)
          .set('Content-Type', 'application/json')
          .send(huge);
        expect({ path, status: res.status }).toEqual({ path, status: 413 });
        expectErrorBody(res.body, 413);
      }
    });

    it('deeply nested or very wide JSON → 400 naming the field, never a 500 (was a stack overflow)', async () => {
      const deep = '{"name":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}';
      const deepObj = '{"surprise":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + '}';
      const wide = JSON.stringify(
        Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])),
      );
      for (const [method, path] of writes()) {
        for (const [raw, field] of [
          [deep, 'name'],
          [deepObj, 'surprise'],
          [wide, 'k4999'],
        ]) {
          const res = await req(method, `${API}${path}`)
            .set('Content-Type', 'application/json')
            .send(raw);
          expectFieldError(res, field);
        }
      }
    });

    it('unknown properties → 400 naming them, on every POST/PUT/PATCH', async () => {
      const valid: Record<string, Body> = {
        '/webinar-integration/settings': { active: true },
        '/organizers': { email: 'x@example.com', password: 'p' },
        [`/organizers/${organizerId}`]: { active: true },
        '/target-group-folders': { name: 'Unknown props' },
        '/mailings': { subject: 's', targetGroupIds: [targetGroupId] },
      };
      for (const [method, path] of writes()) {
        const res = await req(method, `${API}${path}`).send({ ...valid[path], surprise: 1 });
        expectFieldError(res, 'surprise');
      }
    });

    it.each<[string, Method, string, Body, string]>([
      [
        'settings: active not a boolean',
        'put',
        '/webinar-integration/settings',
        { active: 'yes' },
        'active',
      ],
      ['settings: active null', 'put', '/webinar-integration/settings', { active: null }, 'active'],
      [
        'settings: folder id as string',
        'put',
        '/webinar-integration/settings',
        { targetGroupFolderId: '1' },
        'targetGroupFolderId',
      ],
      [
        'settings: folder id negative',
        'put',
        '/webinar-integration/settings',
        { targetGroupFolderId: -1 },
        'targetGroupFolderId',
      ],
      [
        'settings: folder id fractional',
        'put',
        '/webinar-integration/settings',
        { targetGroupFolderId: 1.5 },
        'targetGroupFolderId',
      ],
      [
        'settings: unknown zone',
        'put',
        '/webinar-integration/settings',
        { displayedTimeZone: 'Mars/Olympus' },
        'displayedTimeZone',
      ],
      [
        'settings: offset zone',
        'put',
        '/webinar-integration/settings',
        { displayedTimeZone: 'UTC+2' },
        'displayedTimeZone',
      ],
      [
        'settings: zone not a string',
        'put',
        '/webinar-integration/settings',
        { displayedTimeZone: 5 },
        'displayedTimeZone',
      ],
      [
        'settings: huge zone',
        'put',
        '/webinar-integration/settings',
        { displayedTimeZone: 'A'.repeat(50_000) },
        'displayedTimeZone',
      ],
      ['organizer: empty body', 'post', '/organizers', {}, 'email'],
      ['organizer: bad email', 'post', '/organizers', { email: 'nope', password: 'p' }, 'email'],
      [
        'organizer: email not a string',
        'post',
        '/organizers',
        { email: 5, password: 'p' },
        'email',
      ],
      ['organizer: no secret', 'post', '/organizers', { email: 'x@example.com' }, 'password'],
      [
        'organizer: empty password',
        'post',
        '/organizers',
        { email: 'x@example.com', password: '' },
        'password',
      ],
      [
        'organizer: password not a string',
        'post',
        '/organizers',
        { email: 'x@example.com', password: 12345 },
        'password',
      ],
      [
        'organizer: huge password',
        'post',
        '/organizers',
        { email: 'x@example.com', password: 'p'.repeat(50_000) },
        'password',
      ],
      [
        'organizer: huge email',
        'post',
        '/organizers',
        { email: `${'e'.repeat(50_000)}@example.com`, password: 'p' },
        'email',
      ],
      [
        'organizer: both secrets',
        'post',
        '/organizers',
        { email: 'x@example.com', password: 'p', personalAccessToken: 't' },
        'personalAccessToken',
      ],
      [
        'organizer: empty token',
        'post',
        '/organizers',
        { email: 'x@example.com', personalAccessToken: '' },
        'personalAccessToken',
      ],
      ['patch: active not a boolean', 'patch', '/organizers/:org', { active: 'no' }, 'active'],
      ['patch: bad email', 'patch', '/organizers/:org', { email: 'nope' }, 'email'],
      ['patch: empty password', 'patch', '/organizers/:org', { password: '' }, 'password'],
      ['patch: email null', 'patch', '/organizers/:org', { email: null }, 'email'],
      ['folder: empty body', 'post', '/target-group-folders', {}, 'name'],
      ['folder: blank name', 'post', '/target-group-folders', { name: '   ' }, 'name'],
      ['folder: name not a string', 'post', '/target-group-folders', { name: 5 }, 'name'],
      ['folder: huge name', 'post', '/target-group-folders', { name: 'n'.repeat(50_000) }, 'name'],
      ['mailing: empty body', 'post', '/mailings', {}, 'subject'],
      [
        'mailing: groups not an array',
        'post',
        '/mailings',
        { subject: 's', targetGroupIds: 5 },
        'targetGroupIds',
      ],
      [
        'mailing: group ids not integers',
        'post',
        '/mailings',
        { subject: 's', targetGroupIds: ['a'] },
        'targetGroupIds',
      ],
      [
        'mailing: no groups',
        'post',
        '/mailings',
        { subject: 's', targetGroupIds: [] },
        'targetGroupIds',
      ],
      [
        'mailing: huge subject',
        'post',
        '/mailings',
        { subject: 's'.repeat(50_000), targetGroupIds: [1] },
        'subject',
      ],
    ])('%s → 400 naming the field', async (_name, method, path, body, field) => {
      const res = await req(method, `${API}${path.replace(':org', String(organizerId))}`).send(
        body,
      );
      expectFieldError(res, field);
    });

    it.each<[string, Method, string, Body, string]>([
      [
        'settings: a folder of no account',
        'put',
        '/webinar-integration/settings',
        { targetGroupFolderId: 999999 },
        'targetGroupFolderId',
      ],
      [
        'settings: a folder id beyond any integer',
        'put',
        '/webinar-integration/settings',
        { targetGroupFolderId: 1e20 },
        'targetGroupFolderId',
      ],
      [
        'mailing: unknown group',
        'post',
        '/mailings',
        { subject: 's', targetGroupIds: [999999] },
        'targetGroupIds',
      ],
    ])('%s → 4xx naming the field', async (_name, method, path, body, field) => {
      const res = await req(method, `${API}${path}`).send(body);
      expectClientError(res);
      expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('credentials GoTo rejects → 4xx, nothing stored', async () => {
      const before = (await req('get', `${API}/organizers`).expect(200)).body.total;
      const res = await req('post', `${API}/organizers`).send({
        email: 'nobody@example.com',
        password: 'wrong',
      });
      expectClientError(res);
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect((await req('get', `${API}/organizers`).expect(200)).body.total).toBe(before);
    });

    it('GoTo unreachable or answering garbage on POST /organizers → 502/503 with the error body, nothing stored', async () => {
      const [, other] = sim.store.listOrganizers();
      const c = await t.createAccount('Contract GoTo down');
      for (const fault of [
        { type: 'status', status: 503 },
        { type: 'down' },
        { type: 'malformed-json' },
      ] as const) {
        sim.faults.clear();
        sim.faults.inject({ ...fault, path: '/oauth/token|/identity' });
        const res = await req('post', `${API}/organizers`, c.auth).send({
          email: other.email,
          password: other.password,
        });
        expect({ fault: fault.type, status: res.status }).toEqual({
          fault: fault.type,
          status: expect.any(Number),
        });
        expect([502, 503]).toContain(res.status);
        expectErrorBody(res.body, res.status);
      }
      sim.faults.clear();
      expect((await req('get', `${API}/organizers`, c.auth).expect(200)).body.total).toBe(0);
    });

    it('racing requests: the same organizer twice at once → one 201 and one 409; first reads of settings at once → 200s', async () => {
      const [, other] = sim.store.listOrganizers();
      const c = await t.createAccount('Contract race');
      const settings = await Promise.all(
        [1, 2, 3].map(() => req('get', `${API}/webinar-integration/settings`, c.auth)),
      );
      expect(settings.map((r) => r.status)).toEqual([200, 200, 200]);
      const folders = await Promise.all(
        [1, 2].map(() => req('post', `${API}/target-group-folders`, c.auth).send({ name: 'Same' })),
      );
      expect(folders.map((r) => r.status).sort()).toEqual([201, 409]);
      const orgs = await Promise.all(
        [1, 2].map(() =>
          req('post', `${API}/organizers`, c.auth).send({
            email: other.email,
            password: other.password,
          }),
        ),
      );
      expect(orgs.map((r) => r.status).sort()).toEqual([201, 409]);
      const conflict = orgs.find((r) => r.status === 409)!;
      expectErrorBody(conflict.body, 409);
      expect((await req('get', `${API}/organizers`, c.auth).expect(200)).body.total).toBe(1);
    });

    it('an empty body on a route that takes none is fine; a body on a trigger is ignored, not a 500', async () => {
      await req('post', `${API}/webinar-integration/test-connection`).send({}).expect(200);
      await req('post', `${API}/organizers/${organizerId}/sync`).send({ foo: 1 }).expect(202);
      const empty = await req('put', `${API}/webinar-integration/settings`).send({}).expect(200);
      expect(empty.body).toEqual(
        expect.objectContaining({ active: true, displayedTimeZone: 'America/New_York' }),
      );
    });

    it('broken percent-encoding in a path or query → 400, never a 500', async () => {
      for (const path of [
        '/organizers/%E0%A4%A',
        '/target-groups/%',
        '/sync-jobs/%zz',
        '/webinars/%E0%A4%A',
      ]) {
        const res = await req('get', `${API}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expectErrorBody(res.body, 400);
      }
      for (const path of [
        '/organizers?page=%',
        '/sync-jobs?status=%E0%A4%A',
        '/target-groups?webinarId=%zz',
      ])
        expectClientError(await req('get', `${API}${path}`));
    });

    const badIds = ['99999999999999999999', '-1', '0', 'abc', '1.5', '1e3', '0x10', '%20'];

    it.each(badIds)(
      'path id %s on organizers, target groups, sync jobs and mailings → 400 naming id',
      async (id) => {
        const calls: Array<[Method, string, Body?]> = [
          ['get', `/organizers/${id}`],
          ['patch', `/organizers/${id}`, { active: true }],
          ['delete', `/organizers/${id}`],
          ['get', `/target-groups/${id}`],
          ['get', `/target-groups/${id}/members`],
          ['get', `/sync-jobs/${id}`],
        ];
        for (const [method, path, body] of calls) {
          const res = await req(method, `${API}${path}`).send(body);
          expect({ path, status: res.status }).toEqual({ path, status: 400 });
          expectFieldError(res, 'id');
        }
      },
    );

    it.each(badIds)(
      'path id %s on webinars, participants and organizer sync → 400 naming id',
      async (id) => {
        const calls: Array<[Method, string]> = [
          ['post', `/organizers/${id}/sync`],
          ['get', `/webinars/${id}`],
          ['post', `/webinars/${id}/sync`],
          ['get', `/webinars/${id}/participants`],
        ];
        for (const [method, path] of calls) {
          const res = await req(method, `${API}${path}`);
          expect({ path, status: res.status }).toEqual({ path, status: 400 });
          expectFieldError(res, 'id');
        }
      },
    );

    it('nothing above left a trace: no organizer, folder or mailing was created by bad input', async () => {
      const orgs = await req('get', `${API}/organizers`).expect(200);
      expect(orgs.body.total).toBe(2);
      const folders = await req('get', `${API}/target-group-folders`).expect(200);
      expect(folders.body.items.map((f: Body) => f.name).sort()).toEqual([
        'Contract folder',
        'Webinars',
      ]);
      const ds = t.app.get(DataSource);
      const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM mailing WHERE account_id = ?', [
        a.id,
      ]);
      expect(Number(n)).toBe(1);
    });
  });
});

// Issue #16's refusals, each with the §5 error body: a throttled request (429 + Retry-After), an
// OAuth callback from a browser that did not start the flow, /metrics without its token.
describe(`REST contract: security refusals, ${dialect}`, () => {
  let t: TestApp;
  const metricsToken = 'contract-metrics-token-0123456789';
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      config: { metricsToken, throttle: { keyLimit: 3 } },
    });
  });
  afterAll(async () => t?.close());

  const errorBody = (body: Body, status: number, code: string) =>
    expect(body).toEqual(
      expect.objectContaining({ statusCode: status, code, message: expect.any(String) }),
    );

  it('over the per-key limit: 429 with Retry-After', async () => {
    const a = await t.createAccount();
    for (let i = 0; i < 3; i++) await t.http().get(`${API}/account`).set(a.auth).expect(200);
    const res = await t.http().get(`${API}/account`).set(a.auth).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    errorBody(res.body, 429, 'RATE_LIMITED');
  });

  it('an OAuth callback without the browser cookie of /oauth/authorize: 400, nothing linked', async () => {
    const a = await t.createAccount();
    const start = await t
      .http()
      .get(`${API}/organizers/oauth/authorize?format=json`)
      .set(a.auth)
      .expect(200);
    const state = new URL(start.body.url).searchParams.get('state')!;
    const res = await t
      .http()
      .get(`${API}/organizers/oauth/callback`)
      .query({ state, code: 'any' })
      .set('Accept', 'application/json')
      .expect(400);
    errorBody(res.body, 400, 'OAUTH_BROWSER_MISMATCH');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
  });

  it('/metrics without METRICS_TOKEN (when set): 401', async () => {
    const res = await t.http().get('/metrics').expect(401);
    errorBody(res.body, 401, 'METRICS_TOKEN_REQUIRED');
    await t.http().get('/metrics').set('Authorization', `Bearer ${metricsToken}`).expect(200);
  });
});
