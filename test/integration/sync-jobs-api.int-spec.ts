import 'reflect-metadata';
import request from 'supertest';
import { generateApiKey, hashApiKey } from '../../src/common/auth/api-key';
import { SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { drainQueue } from '../support/sync/drain-queue';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { TEST_JOB } from '../support/sync/test-handlers';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

describeEachDialect('sync jobs REST', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;
  const http = () => request(t.app.getHttpServer());

  async function createAccount(
    name: string,
  ): Promise<{ id: number; auth: { Authorization: string } }> {
    const key = generateApiKey();
    await t.ds.query('INSERT INTO account (name, api_key_hash) VALUES (?, ?)', [
      name,
      hashApiKey(key),
    ]);
    const [row] = await t.ds.query('SELECT id FROM account WHERE name = ?', [name]);
    return { id: Number(row.id), auth: { Authorization: `Bearer ${key}` } };
  }

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({ database: db.config, http: true });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('lists and shows the jobs of the calling account only', async () => {
    const me = await createAccount('me');
    const other = await createAccount('other');
    const failing = await t.queue.enqueue({
      type: TEST_JOB,
      accountId: me.id,
      organizerId: 5,
      priority: SYNC_PRIORITY.ON_DEMAND,
      payload: {
        always: { goto: 'AUTH_INVALID' },
        progress: { webinarsDone: 1, webinarsTotal: 4 },
      },
    });
    const ok = await t.queue.enqueue({
      type: TEST_JOB,
      accountId: me.id,
      organizerId: 6,
      payload: { result: { written: 2 } },
    });
    const theirs = await t.queue.enqueue({ type: TEST_JOB, accountId: other.id });
    await drainQueue(t.app);

    const list = await http().get('/api/v1/sync-jobs').set(me.auth).expect(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 50, total: 2 });
    expect(list.body.items.map((j: { id: number }) => j.id)).toEqual([ok.id, failing.id]);
    expect(Object.keys(list.body.items[1]).sort()).toEqual(
      [
        'id',
        'type',
        'status',
        'organizerId',
        'webinarId',
        'priority',
        'progress',
        'result',
        'attempts',
        'lastError',
        'runAfter',
        'createdAt',
        'startedAt',
        'finishedAt',
      ].sort(),
    );
    expect(list.body.items[1]).toMatchObject({
      id: failing.id,
      type: TEST_JOB,
      status: 'failed',
      organizerId: 5,
      priority: SYNC_PRIORITY.ON_DEMAND,
      attempts: 1,
      lastError: 'AUTH_INVALID: scripted AUTH_INVALID',
      progress: { webinarsDone: 1, webinarsTotal: 4 },
    });

    const filtered = await http()
      .get('/api/v1/sync-jobs?status=succeeded&organizerId=6&page=1&pageSize=1')
      .set(me.auth)
      .expect(200);
    expect(filtered.body).toMatchObject({
      page: 1,
      pageSize: 1,
      total: 1,
      items: [{ id: ok.id, result: { written: 2 } }],
    });

    const one = await http().get(`/api/v1/sync-jobs/${ok.id}`).set(me.auth).expect(200);
    expect(one.body).toMatchObject({
      id: ok.id,
      status: 'succeeded',
      attempts: 1,
      lastError: null,
    });
    expect(typeof one.body.startedAt).toBe('string');
    await http().get(`/api/v1/sync-jobs/${theirs.id}`).set(me.auth).expect(404);
    await http().get('/api/v1/sync-jobs').expect(401);
  });

  it.each([
    ['status=done', 'status'],
    ['organizerId=abc', 'organizerId'],
    ['page=0', 'page'],
    ['pageSize=201', 'pageSize'],
    ['pageSize=0', 'pageSize'],
  ])('answers 400 naming the parameter for %s', async (query, field) => {
    const me = await createAccount(`bad-${field}-${query}`);
    const res = await http().get(`/api/v1/sync-jobs?${query}`).set(me.auth).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
