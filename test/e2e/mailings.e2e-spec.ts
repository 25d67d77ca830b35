import { linkOrganizer as createOrganizer } from '../support/factories/organizer.factory';
import { waitForIdle } from '../support/wait-for-idle';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SyncQueue } from '../../src/sync/sync-queue.service';
import { createTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';
import { describeEachDialect } from '../support/test-database';

// The mailing module over HTTP against the GoTo simulator, with the queue worker running so the
// before-send participant sync happens while `send` waits.

type Account = Awaited<ReturnType<TestApp['createAccount']>>;
interface Group {
  id: number;
  kind: string | null;
  webinarId: number | null;
}
interface LinkedWebinar {
  id: number;
  webinarKey: string;
  groups: Record<string, Group>;
}

const appConfig = (sim: RunningSimulator, mailingSyncTimeoutMs: number) => ({
  goto: {
    apiUrl: sim.url,
    authUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    maxRps: 1000,
    timeoutMs: 1000,
    maxRetries: 1,
  },
  sync: { workerEnabled: true },
  mailingSyncTimeoutMs,
});

/** Links the simulator's organizer to the account, waits for the initial sync, returns the webinars with their groups. */
async function linkOrganizer(
  t: TestApp,
  sim: RunningSimulator,
  account: Account,
): Promise<{ organizerId: number; webinars: LinkedWebinar[] }> {
  const res = await createOrganizer(t, account, sim.store.listOrganizers()[0]);
  expect(res.status).toBe(201);
  await waitForIdle(t, account.id);
  const webinarsRes = await t
    .http()
    .get('/api/v1/webinars')
    .query({ pageSize: 200 })
    .set(account.auth)
    .expect(200);
  const webinars: LinkedWebinar[] = [];
  for (const w of webinarsRes.body.items as { id: number; webinarKey: string }[]) {
    const groups = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: w.id })
      .set(account.auth)
      .expect(200);
    webinars.push({
      id: w.id,
      webinarKey: w.webinarKey,
      groups: Object.fromEntries((groups.body.items as Group[]).map((g) => [g.kind, g])),
    });
  }
  return { organizerId: res.body.id, webinars };
}

async function createMailing(
  t: TestApp,
  account: Account,
  targetGroupIds: number[],
  subject = 'Thanks for joining',
) {
  const res = await t
    .http()
    .post('/api/v1/mailings')
    .set(account.auth)
    .send({ subject, targetGroupIds })
    .expect(201);
  return res.body as { id: number; status: string };
}

async function allRecipients(t: TestApp, account: Account, mailingId: number) {
  const res = await t
    .http()
    .get(`/api/v1/mailings/${mailingId}/recipients`)
    .query({ pageSize: 200 })
    .set(account.auth)
    .expect(200);
  return res.body as {
    items: {
      subscriberId: number;
      email: string;
      firstName: string | null;
      lastName: string | null;
    }[];
    total: number;
  };
}

async function memberIds(t: TestApp, account: Account, groupId: number): Promise<number[]> {
  const res = await t
    .http()
    .get(`/api/v1/target-groups/${groupId}/members`)
    .query({ pageSize: 200 })
    .set(account.auth);
  if (res.status !== 200)
    throw new Error(`members of group ${groupId}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.items as { id: number }[]).map((m) => m.id);
}

let seq = 0;
const newEmail = (tag: string) => `${tag}.${Date.now()}.${++seq}@late.example.com`;

describeEachDialect('mailings e2e', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, organizers: 1, webinars: 3, registrants: 6 });
    t = await createTestApp(dialect, { config: appConfig(sim, 20000) });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  afterEach(() => sim.faults.clear());

  it('a registrant added after the last sync receives the mailing (before-send sync)', async () => {
    const account = await t.createAccount();
    const { webinars } = await linkOrganizer(t, sim, account);
    const w = webinars[0];
    const email = newEmail('late');
    sim.store.addRegistrant(w.webinarKey, { firstName: 'Late', lastName: 'Comer', email });

    const mailing = await createMailing(t, account, [w.groups.registered.id]);
    expect(mailing.status).toBe('draft');
    const sent = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(200);

    expect(sent.body).toMatchObject({
      id: mailing.id,
      status: 'sent',
      sync: { skipped: [], warnings: [] },
    });
    expect(sent.body.sync.synced).toEqual([{ webinarId: w.id, jobId: expect.any(Number) }]);
    expect(new Date(sent.body.sentAt).getTime()).toBeGreaterThan(Date.now() - 60000);
    const recipients = await allRecipients(t, account, mailing.id);
    expect(recipients.items.map((r) => r.email)).toContain(email);
    expect(recipients.items.find((r) => r.email === email)).toMatchObject({
      firstName: 'Late',
      lastName: 'Comer',
    });
    expect(recipients.total).toBe(sent.body.recipientCount);

    const got = await t.http().get(`/api/v1/mailings/${mailing.id}`).set(account.auth).expect(200);
    expect(got.body).toMatchObject({
      id: mailing.id,
      status: 'sent',
      recipientCount: recipients.total,
      targetGroupIds: [w.groups.registered.id],
    });
    expect(got.body.sync).toEqual(sent.body.sync);
    expect(got.body.sentAt).toBe(sent.body.sentAt);
  });

  it('sends each subscriber once across overlapping groups and webinars', async () => {
    const account = await t.createAccount();
    const { webinars } = await linkOrganizer(t, sim, account);
    const [a, b] = webinars;
    const shared = newEmail('both');
    sim.store.addRegistrant(a.webinarKey, {
      firstName: 'Both',
      lastName: 'Webinars',
      email: shared,
    });
    sim.store.addRegistrant(b.webinarKey, {
      firstName: 'Both',
      lastName: 'Webinars',
      email: shared,
    });
    const groupIds = [
      a.groups.registered.id,
      a.groups.attended.id,
      a.groups.not_attended.id,
      b.groups.registered.id,
    ];

    const mailing = await createMailing(t, account, groupIds);
    const sent = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(200);
    expect(sent.body.sync.synced.map((s: { webinarId: number }) => s.webinarId).sort()).toEqual(
      [a.id, b.id].sort(),
    );

    const expected = new Set<number>();
    for (const g of groupIds) for (const id of await memberIds(t, account, g)) expected.add(id);
    const recipients = await allRecipients(t, account, mailing.id);
    const ids = recipients.items.map((r) => r.subscriberId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(expected);
    expect(recipients.items.filter((r) => r.email === shared)).toHaveLength(1);
    expect(sent.body.recipientCount).toBe(expected.size);
  });

  it('concurrent sends of one mailing send it once; a later send is a 409', async () => {
    const account = await t.createAccount();
    const { webinars } = await linkOrganizer(t, sim, account);
    const mailing = await createMailing(t, account, [
      webinars[0].groups.registered.id,
      webinars[1].groups.registered.id,
    ]);

    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.http().post(`/api/v1/mailings/${mailing.id}/send`).set(account.auth),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const ok = results.find((r) => r.status === 200)!;
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body).toMatchObject({
        statusCode: 409,
        code: expect.stringMatching(/MAILING_(ALREADY_SENT|SEND_IN_PROGRESS)/),
      });

    const ds = t.app.get(DataSource);
    const [{ n }] = await ds.query(
      'SELECT COUNT(*) AS n FROM mailing_recipient WHERE mailing_id = ?',
      [mailing.id],
    );
    expect(Number(n)).toBe(ok.body.recipientCount);

    const again = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(409);
    expect(again.body.code).toBe('MAILING_ALREADY_SENT');
    const got = await t.http().get(`/api/v1/mailings/${mailing.id}`).set(account.auth).expect(200);
    expect(got.body.sentAt).toBe(ok.body.sentAt);
  });

  it("refuses another account's target groups (422 naming targetGroupIds) and hides its mailings (404)", async () => {
    const owner = await t.createAccount();
    const other = await t.createAccount();
    const { webinars } = await linkOrganizer(t, sim, owner);
    const groupId = webinars[0].groups.registered.id;

    const res = await t
      .http()
      .post('/api/v1/mailings')
      .set(other.auth)
      .send({ subject: 'Steal', targetGroupIds: [groupId] })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'targetGroupIds', message: expect.stringContaining(String(groupId)) },
    ]);
    await t
      .http()
      .post('/api/v1/mailings')
      .set(owner.auth)
      .send({ subject: 'Mixed', targetGroupIds: [groupId, 99999999] })
      .expect(422);

    const mailing = await createMailing(t, owner, [groupId]);
    await t.http().get(`/api/v1/mailings/${mailing.id}`).set(other.auth).expect(404);
    await t.http().get(`/api/v1/mailings/${mailing.id}/recipients`).set(other.auth).expect(404);
    await t.http().post(`/api/v1/mailings/${mailing.id}/send`).set(other.auth).expect(404);
    const still = await t.http().get(`/api/v1/mailings/${mailing.id}`).set(owner.auth).expect(200);
    expect(still.body.status).toBe('draft');
  });

  it('a deactivated organizer is skipped with its reason; the stored participants still receive it', async () => {
    const account = await t.createAccount();
    const { organizerId, webinars } = await linkOrganizer(t, sim, account);
    const w = webinars[0];
    const before = await memberIds(t, account, w.groups.registered.id);
    await t
      .http()
      .patch(`/api/v1/organizers/${organizerId}`)
      .set(account.auth)
      .send({ active: false })
      .expect(200);
    const late = newEmail('skipped');
    sim.store.addRegistrant(w.webinarKey, { firstName: 'Not', lastName: 'Synced', email: late });

    const mailing = await createMailing(t, account, [w.groups.registered.id]);
    const sent = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(200);
    expect(sent.body.sync).toEqual({
      synced: [],
      skipped: [{ webinarId: w.id, reason: expect.stringMatching(/deactivated/i) }],
      warnings: [],
    });
    const recipients = await allRecipients(t, account, mailing.id);
    expect(recipients.items.map((r) => r.subscriberId).sort()).toEqual([...before].sort());
    expect(recipients.items.map((r) => r.email)).not.toContain(late);
  });

  it('an inactive integration skips every webinar', async () => {
    const account = await t.createAccount();
    const { webinars } = await linkOrganizer(t, sim, account);
    await t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .send({ active: false })
      .expect(200);
    const mailing = await createMailing(t, account, [
      webinars[0].groups.registered.id,
      webinars[1].groups.attended.id,
    ]);
    const sent = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(200);
    expect(sent.body.sync.synced).toEqual([]);
    expect(sent.body.sync.skipped).toHaveLength(2);
    for (const s of sent.body.sync.skipped) expect(s.reason).toMatch(/integration/i);
  });

  it('groups that are not webinar groups need no sync', async () => {
    const account = await t.createAccount();
    const ds = t.app.get(DataSource);
    // A plain target group (not made from a webinar): the platform's own kind of group.
    const [{ id: folderId }] = await insertReturningId(ds, 'target_group_folder', {
      account_id: account.id,
      name: 'Newsletters',
    });
    const [{ id: groupId }] = await insertReturningId(ds, 'target_group', {
      account_id: account.id,
      folder_id: folderId,
      webinar_id: null,
      kind: null,
      name: 'Newsletter readers',
    });
    const mailing = await createMailing(t, account, [groupId]);
    const [{ n: jobsBefore }] = await ds.query(
      'SELECT COUNT(*) AS n FROM sync_job WHERE account_id = ?',
      [account.id],
    );

    // Nothing to sync, so nothing to wait for.
    const waits = jest.spyOn(t.app.get(SyncQueue), 'waitForJobs');
    const sent = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(200);
    expect(waits).not.toHaveBeenCalled();
    waits.mockRestore();
    expect(sent.body).toMatchObject({
      status: 'sent',
      recipientCount: 0,
      sync: { synced: [], skipped: [], warnings: [] },
    });
    const [{ n: jobsAfter }] = await ds.query(
      'SELECT COUNT(*) AS n FROM sync_job WHERE account_id = ?',
      [account.id],
    );
    expect(Number(jobsAfter)).toBe(Number(jobsBefore));
  });

  it('documents the mailing routes in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    for (const path of [
      '/api/v1/mailings',
      '/api/v1/mailings/{id}',
      '/api/v1/mailings/{id}/recipients',
      '/api/v1/mailings/{id}/send',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.SendMailingResult.properties).toHaveProperty('sync');
  });

  describe('input', () => {
    let account: Account;
    beforeAll(async () => {
      account = await t.createAccount();
    });
    it.each([
      [{ targetGroupIds: [1] }, 'subject'],
      [{ subject: '', targetGroupIds: [1] }, 'subject'],
      [{ subject: 'x'.repeat(501), targetGroupIds: [1] }, 'subject'],
      [{ subject: 'Hi' }, 'targetGroupIds'],
      [{ subject: 'Hi', targetGroupIds: [] }, 'targetGroupIds'],
      [{ subject: 'Hi', targetGroupIds: ['a'] }, 'targetGroupIds'],
      [{ subject: 'Hi', targetGroupIds: [1, 1] }, 'targetGroupIds'],
      [{ subject: 'Hi', targetGroupIds: [0] }, 'targetGroupIds'],
      [{ subject: 'Hi', targetGroupIds: [1], extra: true }, 'extra'],
    ])('POST /mailings %j is a 400 naming %s', async (body, field) => {
      const res = await t.http().post('/api/v1/mailings').set(account.auth).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
    it.each([
      [{ page: 0 }, 'page'],
      [{ page: 'x' }, 'page'],
      [{ page: '1e30' }, 'page'],
      [{ pageSize: 0 }, 'pageSize'],
      [{ pageSize: 201 }, 'pageSize'],
      [{ pageSize: 1.5 }, 'pageSize'],
    ])('GET recipients %j is a 400 naming %s', async (query, field) => {
      const res = await t
        .http()
        .get('/api/v1/mailings/1/recipients')
        .query(query)
        .set(account.auth)
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
    it('a malformed id is a 400 naming id; an unknown one a 404', async () => {
      for (const bad of ['abc', '-1', '0', '1.5', '1e3', '99999999999999999999']) {
        const res = await t.http().get(`/api/v1/mailings/${bad}`).set(account.auth).expect(400);
        expect(res.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
        await t.http().post(`/api/v1/mailings/${bad}/send`).set(account.auth).expect(400);
      }
      await t.http().get('/api/v1/mailings/987654').set(account.auth).expect(404);
      await t.http().post('/api/v1/mailings/987654/send').set(account.auth).expect(404);
    });
    it('needs an API key', async () => {
      await t.http().get('/api/v1/mailings/1').expect(401);
    });
  });

  it('pages recipients with {items, page, pageSize, total}', async () => {
    const account = await t.createAccount();
    const { webinars } = await linkOrganizer(t, sim, account);
    const mailing = await createMailing(
      t,
      account,
      webinars.map((w) => w.groups.registered.id),
    );
    const sent = await t
      .http()
      .post(`/api/v1/mailings/${mailing.id}/send`)
      .set(account.auth)
      .expect(200);
    const total = sent.body.recipientCount as number;
    expect(total).toBeGreaterThan(3);
    const p1 = await t
      .http()
      .get(`/api/v1/mailings/${mailing.id}/recipients`)
      .query({ page: 1, pageSize: 2 })
      .set(account.auth)
      .expect(200);
    const p2 = await t
      .http()
      .get(`/api/v1/mailings/${mailing.id}/recipients`)
      .query({ page: 2, pageSize: 2 })
      .set(account.auth)
      .expect(200);
    expect(p1.body).toMatchObject({ page: 1, pageSize: 2, total });
    expect(p1.body.items).toHaveLength(2);
    expect(p2.body.items).toHaveLength(2);
    expect(p1.body.items[0]).toEqual({
      subscriberId: expect.any(Number),
      email: expect.stringContaining('@'),
      firstName: expect.anything(),
      lastName: expect.anything(),
    });
    const ids = [...p1.body.items, ...p2.body.items].map(
      (r: { subscriberId: number }) => r.subscriberId,
    );
    expect(new Set(ids).size).toBe(4);
    const defaults = await t
      .http()
      .get(`/api/v1/mailings/${mailing.id}/recipients`)
      .set(account.auth)
      .expect(200);
    expect(defaults.body).toMatchObject({ page: 1, pageSize: 50, total });
  });

  describe('two instances on one database', () => {
    let web: TestApp;
    let worker: INestApplication;
    beforeAll(async () => {
      // The instance that serves the API runs no worker; another instance (same database, same
      // credentials key) runs the jobs. The send waits on the database, not on in-process events.
      web = await createTestApp(dialect, {
        config: { ...appConfig(sim, 20000), sync: { workerEnabled: false } },
      });
      const config = testConfig({
        ...appConfig(sim, 20000),
        database: web.db.config,
        credentialsKey: web.config.credentialsKey,
        sync: { workerEnabled: true },
      });
      const moduleRef = await Test.createTestingModule({
        imports: [AppModule.forRoot(config)],
      }).compile();
      worker = moduleRef.createNestApplication({ logger: false });
      await worker.init();
    });
    afterAll(async () => {
      await worker?.close();
      await web?.close();
    });

    it('a send on an instance without a worker waits for the sync another instance runs', async () => {
      const account = await web.createAccount();
      const { webinars } = await linkOrganizer(web, sim, account);
      const w = webinars[0];
      const email = newEmail('cross');
      sim.store.addRegistrant(w.webinarKey, { firstName: 'Cross', lastName: 'Instance', email });
      const mailing = await createMailing(web, account, [w.groups.registered.id]);
      const sent = await web
        .http()
        .post(`/api/v1/mailings/${mailing.id}/send`)
        .set(account.auth)
        .expect(200);
      expect(sent.body.sync).toEqual({
        synced: [{ webinarId: w.id, jobId: expect.any(Number) }],
        skipped: [],
        warnings: [],
      });
      const recipients = await allRecipients(web, account, mailing.id);
      expect(recipients.items.map((r) => r.email)).toContain(email);
    });
  });

  describe('with a small budget (MAILING_SYNC_TIMEOUT_MS = 1500)', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await createTestApp(dialect, { config: appConfig(sim, 1500) });
    });
    afterAll(async () => small?.close());

    for (const [name, fault] of [
      ['down', { type: 'down' as const, path: '/G2W/' }],
      ['slower than the budget', { type: 'latency' as const, path: '/G2W/', latencyMs: 4000 }],
    ] as const) {
      it(`with GoTo ${name} the mailing goes out with the stored participants and a warning naming the webinar`, async () => {
        const account = await small.createAccount();
        const { webinars } = await linkOrganizer(small, sim, account);
        const w = webinars[0];
        const before = await memberIds(small, account, w.groups.registered.id);
        expect(before.length).toBeGreaterThan(0);
        const late = newEmail('missed');
        sim.store.addRegistrant(w.webinarKey, { firstName: 'Too', lastName: 'Late', email: late });
        sim.faults.inject(fault);

        const mailing = await createMailing(small, account, [w.groups.registered.id]);
        // The send waits for the sync until the budget (the deadline it asks the queue for), not
        // for the job's end; how that deadline is kept is the queue's and the hook runner's tests.
        const waits = jest.spyOn(small.app.get(SyncQueue), 'waitForJobs');
        const sendAt = Date.now();
        const sent = await small
          .http()
          .post(`/api/v1/mailings/${mailing.id}/send`)
          .set(account.auth)
          .expect(200);
        const sentBy = Date.now();
        expect(waits).toHaveBeenCalledTimes(1);
        const deadline = waits.mock.calls[0][1].getTime();
        waits.mockRestore();
        expect(deadline).toBeGreaterThanOrEqual(sendAt + 1500);
        expect(deadline).toBeLessThanOrEqual(sentBy + 1500);
        expect(sent.body.status).toBe('sent');
        expect(sent.body.sync.synced).toEqual([]);
        expect(sent.body.sync.warnings).toEqual([
          { webinarId: w.id, message: expect.stringMatching(/time budget|failed/) },
        ]);
        const recipients = await allRecipients(small, account, mailing.id);
        expect(recipients.items.map((r) => r.subscriberId).sort()).toEqual([...before].sort());
        expect(recipients.items.map((r) => r.email)).not.toContain(late);
        const got = await small
          .http()
          .get(`/api/v1/mailings/${mailing.id}`)
          .set(account.auth)
          .expect(200);
        expect(got.body.sync.warnings).toEqual(sent.body.sync.warnings);

        sim.faults.clear();
        await waitForIdle(small, account.id, 60000);
      });
    }
  });
});

async function insertReturningId(
  ds: DataSource,
  table: string,
  row: Record<string, unknown>,
): Promise<{ id: number }[]> {
  const cols = Object.keys(row);
  await ds.query(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    Object.values(row),
  );
  const [found] = await ds.query(`SELECT MAX(id) AS id FROM ${table}`);
  return [{ id: Number(found.id) }];
}
