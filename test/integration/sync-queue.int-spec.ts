import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations';
import { SyncJobHandler } from '../../src/sync/sync-job-handler';
import { SyncJobClaimRepository } from '../../src/sync/sync-job-claim.repository';
import { SyncJobLeaseRepository } from '../../src/sync/sync-job-lease.repository';
import { SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { EnqueueRequest } from '../../src/sync/sync-queue.service';
import { drainQueue } from '../support/sync/drain-queue';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import {
  ChainJobHandler,
  ScriptedJobHandler,
  TEST_CHAIN,
  TEST_JOB,
  TestJobGate,
} from '../support/sync/test-handlers';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';
import { SyncJobLeases1764500000000 } from '../../src/database/migrations/1764500000000-SyncJobLeases';

const job = (over: Partial<EnqueueRequest> = {}): EnqueueRequest => ({
  type: TEST_JOB,
  accountId: 1,
  ...over,
});

describeEachDialect('sync queue', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({ database: db.config });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('dedupes: one queued-or-running job per type and target; a new one once it finished', async () => {
    const a = await t.queue.enqueue(job({ accountId: 10, organizerId: 1, webinarId: 7 }));
    const b = await t.queue.enqueue(job({ accountId: 10, organizerId: 1, webinarId: 7 }));
    const other = await t.queue.enqueue(job({ accountId: 10, organizerId: 1, webinarId: 8 }));
    const chain = await t.queue.enqueue({
      type: TEST_CHAIN,
      accountId: 10,
      organizerId: 1,
      webinarId: 7,
    });
    expect(b.id).toBe(a.id);
    expect(new Set([a.id, other.id, chain.id]).size).toBe(3);
    expect(a).toMatchObject({
      status: 'queued',
      attempts: 0,
      activeKey: `${TEST_JOB}:10:1:7`,
      priority: 0,
    });

    await drainQueue(t.app);
    const done = await t.queue.findById(a.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      activeKey: null,
      runningOrganizerId: null,
      attempts: 1,
    });
    const again = await t.queue.enqueue(job({ accountId: 10, organizerId: 1, webinarId: 7 }));
    expect(again.id).not.toBe(a.id);
    await drainQueue(t.app);
  });

  it('a duplicate with a higher priority raises the queued job, never lowers it', async () => {
    const a = await t.queue.enqueue(
      job({ accountId: 11, organizerId: 2, priority: SYNC_PRIORITY.PERIODIC }),
    );
    const raised = await t.queue.enqueue(
      job({ accountId: 11, organizerId: 2, priority: SYNC_PRIORITY.MAILING }),
    );
    const kept = await t.queue.enqueue(
      job({ accountId: 11, organizerId: 2, priority: SYNC_PRIORITY.ON_DEMAND }),
    );
    expect([raised.id, kept.id]).toEqual([a.id, a.id]);
    expect(kept.priority).toBe(SYNC_PRIORITY.MAILING);
    await drainQueue(t.app);
  });

  it('runs the highest priority first, then the oldest', async () => {
    const start = t.gate.executions.length;
    const p1 = await t.queue.enqueue(
      job({ accountId: 12, webinarId: 1, priority: SYNC_PRIORITY.PERIODIC }),
    );
    const p2 = await t.queue.enqueue(
      job({ accountId: 12, webinarId: 2, priority: SYNC_PRIORITY.PERIODIC }),
    );
    const initial = await t.queue.enqueue(
      job({ accountId: 12, webinarId: 3, priority: SYNC_PRIORITY.INITIAL }),
    );
    const onDemand = await t.queue.enqueue(
      job({ accountId: 12, webinarId: 4, priority: SYNC_PRIORITY.ON_DEMAND }),
    );
    const mailing = await t.queue.enqueue(
      job({ accountId: 12, webinarId: 5, priority: SYNC_PRIORITY.MAILING }),
    );
    expect(await drainQueue(t.app)).toBe(5);
    expect(t.gate.executions.slice(start).map((e) => e.jobId)).toEqual([
      mailing.id,
      onDemand.id,
      initial.id,
      p1.id,
      p2.id,
    ]);
  });

  it('waits for run_after on the injected clock', async () => {
    const later = await t.queue.enqueue(
      job({ accountId: 13, runAfter: new Date(t.clock!.now().getTime() + 60_000) }),
    );
    expect(await drainQueue(t.app)).toBe(0);
    t.clock!.advance(59_000);
    expect(await drainQueue(t.app)).toBe(0);
    t.clock!.advance(1_000);
    expect(await drainQueue(t.app)).toBe(1);
    expect((await t.queue.findById(later.id))?.status).toBe('succeeded');
  });

  it('chains jobs: children inherit account and priority; progress and result are stored', async () => {
    const parent = await t.queue.enqueue({
      type: TEST_CHAIN,
      accountId: 14,
      organizerId: 3,
      priority: SYNC_PRIORITY.ON_DEMAND,
      payload: { children: 3 },
    });
    await drainQueue(t.app);
    const done = await t.queue.findById(parent.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: { webinarsDone: 3, webinarsTotal: 3 },
    });
    const childIds = done!.result!.children as number[];
    const children = await t.queue.waitForJobs(childIds, t.clock!.now());
    expect(children.map((c) => [c.accountId, c.organizerId, c.priority, c.status])).toEqual(
      childIds.map(() => [14, 3, SYNC_PRIORITY.ON_DEMAND, 'succeeded']),
    );
  });

  it('enqueueMany dedupes against active jobs and within the batch, in request order', async () => {
    const existing = await t.queue.enqueue(job({ accountId: 20, organizerId: 5, webinarId: 1 }));
    const results = await t.queue.enqueueMany([
      job({ accountId: 20, organizerId: 5, webinarId: 1 }),
      job({ accountId: 20, organizerId: 5, webinarId: 2, payload: { n: 2 } }),
      job({ accountId: 20, organizerId: 5, webinarId: 3 }),
      job({ accountId: 20, organizerId: 5, webinarId: 2 }),
    ]);
    expect(results.map((r) => r.created)).toEqual([false, true, true, true]);
    expect(results[0].job.id).toBe(existing.id);
    expect(results[3].job.id).toBe(results[1].job.id);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(3);
    expect(results[1].job).toMatchObject({
      status: 'queued',
      attempts: 0,
      activeKey: `${TEST_JOB}:20:5:2`,
      accountId: 20,
      organizerId: 5,
      webinarId: 2,
      priority: 0,
      payload: { n: 2 },
    });
    // A plain enqueue sees the batch's jobs as active duplicates.
    expect((await t.queue.enqueue(job({ accountId: 20, organizerId: 5, webinarId: 3 }))).id).toBe(
      results[2].job.id,
    );
    await drainQueue(t.app);
    const again = await t.queue.enqueueMany([job({ accountId: 20, organizerId: 5, webinarId: 1 })]);
    expect(again[0]).toMatchObject({ created: true, job: { status: 'queued' } });
    expect(again[0].job.id).not.toBe(existing.id);
    await drainQueue(t.app);
  });

  it('enqueueMany raises queued duplicates to the highest priority asked for, never lowers', async () => {
    const low = await t.queue.enqueue(
      job({ accountId: 21, organizerId: 6, webinarId: 1, priority: SYNC_PRIORITY.PERIODIC }),
    );
    const high = await t.queue.enqueue(
      job({ accountId: 21, organizerId: 6, webinarId: 2, priority: SYNC_PRIORITY.MAILING }),
    );
    const results = await t.queue.enqueueMany([
      job({ accountId: 21, organizerId: 6, webinarId: 1, priority: SYNC_PRIORITY.ON_DEMAND }),
      job({ accountId: 21, organizerId: 6, webinarId: 1, priority: SYNC_PRIORITY.MAILING }),
      job({ accountId: 21, organizerId: 6, webinarId: 2, priority: SYNC_PRIORITY.PERIODIC }),
      job({ accountId: 21, organizerId: 6, webinarId: 3, priority: SYNC_PRIORITY.PERIODIC }),
      job({ accountId: 21, organizerId: 6, webinarId: 3, priority: SYNC_PRIORITY.ON_DEMAND }),
    ]);
    expect(results.map((r) => [r.job.id, r.job.priority])).toEqual([
      [low.id, SYNC_PRIORITY.MAILING],
      [low.id, SYNC_PRIORITY.MAILING],
      [high.id, SYNC_PRIORITY.MAILING],
      [results[3].job.id, SYNC_PRIORITY.ON_DEMAND],
      [results[3].job.id, SYNC_PRIORITY.ON_DEMAND],
    ]);
    expect((await t.queue.findById(low.id))!.priority).toBe(SYNC_PRIORITY.MAILING);
    expect((await t.queue.findById(high.id))!.priority).toBe(SYNC_PRIORITY.MAILING);
    await drainQueue(t.app);
  });

  it('enqueueMany queues a large batch (1,500) once; a repeat returns the same jobs', async () => {
    const reqs = Array.from({ length: 1500 }, (_, i) =>
      job({ accountId: 22, organizerId: 7, webinarId: i + 1 }),
    );
    const first = await t.queue.enqueueMany(reqs);
    expect(first.every((r) => r.created && r.job.status === 'queued')).toBe(true);
    expect(first.map((r) => r.job.webinarId)).toEqual(reqs.map((r) => r.webinarId));
    expect(new Set(first.map((r) => r.job.id)).size).toBe(1500);
    const repeat = await t.queue.enqueueMany(reqs);
    expect(repeat.every((r) => !r.created)).toBe(true);
    expect(repeat.map((r) => r.job.id)).toEqual(first.map((r) => r.job.id));
    const { total } = await t.queue.listForAccount(22, { page: 1, pageSize: 1 });
    expect(total).toBe(1500);
    await drainQueue(t.app);
  }, 120_000);

  it('ctx.enqueueMany chains jobs that inherit account and priority', async () => {
    const parent = await t.queue.enqueue({
      type: TEST_CHAIN,
      accountId: 23,
      organizerId: 8,
      priority: SYNC_PRIORITY.MAILING,
      payload: { children: 4, batch: true },
    });
    await drainQueue(t.app);
    const done = await t.queue.findById(parent.id);
    expect(done!.status).toBe('succeeded');
    const childIds = done!.result!.children as number[];
    expect(childIds).toHaveLength(4);
    const children = await t.queue.waitForJobs(childIds, t.clock!.now());
    expect(
      children.map((c) => [c.accountId, c.organizerId, c.webinarId, c.priority, c.status]),
    ).toEqual([1, 2, 3, 4].map((w) => [23, 8, w, SYNC_PRIORITY.MAILING, 'succeeded']));
  });

  it('lists and finds jobs of one account only, newest first, paginated', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++)
      ids.push(
        (await t.queue.enqueue(job({ accountId: 15, organizerId: 40 + (i % 2), webinarId: i }))).id,
      );
    await t.queue.enqueue(job({ accountId: 16, webinarId: 1 }));
    const page1 = await t.queue.listForAccount(15, { page: 1, pageSize: 2 });
    expect(page1.total).toBe(3);
    expect(page1.items.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(
      (await t.queue.listForAccount(15, { page: 2, pageSize: 2 })).items.map((j) => j.id),
    ).toEqual([ids[0]]);
    expect(
      (await t.queue.listForAccount(15, { organizerId: 41, page: 1, pageSize: 50 })).items.map(
        (j) => j.id,
      ),
    ).toEqual([ids[2], ids[0]]);
    expect(
      (await t.queue.listForAccount(15, { status: 'succeeded', page: 1, pageSize: 50 })).total,
    ).toBe(0);
    expect(await t.queue.findForAccount(15, ids[0])).not.toBeNull();
    expect(await t.queue.findForAccount(16, ids[0])).toBeNull();
    await drainQueue(t.app);
    expect(
      (await t.queue.listForAccount(15, { status: 'succeeded', page: 1, pageSize: 50 })).total,
    ).toBe(3);
  });

  it('waitForJobs returns the current state at the deadline, and finished jobs at once', async () => {
    const a = await t.queue.enqueue(job({ accountId: 17 }));
    const now = t.clock!.now();
    const pending = await t.queue.waitForJobs([a.id], new Date(now.getTime() + 50));
    expect(pending.map((j) => j.status)).toEqual(['queued']);
    await drainQueue(t.app);
    const done = await t.queue.waitForJobs([a.id], new Date(now.getTime() + 60_000));
    expect(done.map((j) => j.status)).toEqual(['succeeded']);
  });

  it('never runs two jobs of one organizer at once; other organizers are not held up', async () => {
    const claims = t.app.get(SyncJobClaimRepository);
    const leases = t.app.get(SyncJobLeaseRepository);
    const a1 = await t.queue.enqueue(
      job({ accountId: 18, organizerId: 900, webinarId: 1, priority: 10 }),
    );
    const a2 = await t.queue.enqueue(
      job({ accountId: 18, organizerId: 900, webinarId: 2, priority: 10 }),
    );
    const b1 = await t.queue.enqueue(job({ accountId: 18, organizerId: 901, webinarId: 1 }));
    const now = t.clock!.now();
    const first = await claims.claim('w1', now, 60_000);
    const second = await claims.claim('w2', now, 60_000);
    const third = await claims.claim('w3', now, 60_000);
    expect([first?.id, second?.id, third]).toEqual([a1.id, b1.id, null]);
    expect(first).toMatchObject({
      status: 'running',
      runningOrganizerId: 900,
      lockedBy: 'w1',
      attempts: 1,
    });
    // The database refuses a second running job of the organizer even if a claimer skipped the check.
    await expect(
      t.ds.query(
        `UPDATE sync_job SET status = 'running', running_organizer_id = 900 WHERE id = ${a2.id}`,
      ),
    ).rejects.toThrow();
    await leases.complete({ id: a1.id, lockedBy: 'w1', attempt: 1 }, now, null);
    expect((await claims.claim('w3', now, 60_000))?.id).toBe(a2.id);
    await leases.complete({ id: a2.id, lockedBy: 'w3', attempt: 1 }, now, null);
    await leases.complete({ id: b1.id, lockedBy: 'w2', attempt: 1 }, now, null);
    expect((await t.queue.findById(b1.id))?.status).toBe('succeeded');
  });
});

@SyncJobHandler(TEST_JOB)
class Duplicate extends ScriptedJobHandler {}

@Module({ providers: [TestJobGate, ScriptedJobHandler, ChainJobHandler, Duplicate] })
class DuplicateHandlers {}

describeEachDialect('sync handler registry', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase(dialect)));
  afterAll(async () => db?.drop());

  it('refuses to start when a job type has no handler', async () => {
    await expect(
      createSyncTestApp({
        database: db.config,
        requiredTypes: [TEST_JOB, TEST_CHAIN, 'organizer_full_sync'],
      }),
    ).rejects.toThrow('Sync job handlers: organizer_full_sync has no handler');
  });

  it('refuses to start when a job type has two handlers', async () => {
    await expect(
      createSyncTestApp({ database: db.config, handlers: [DuplicateHandlers] }),
    ).rejects.toThrow(/test_job has 2 handlers \(ScriptedJobHandler, Duplicate\)/);
  });

  it('the lease migration reverts and re-applies cleanly', async () => {
    const t = await createSyncTestApp({ database: db.config });
    const ds = t.app.get(DataSource);
    try {
      // Back to just before the lease migration (later migrations are undone first).
      const after = MIGRATIONS.length - MIGRATIONS.indexOf(SyncJobLeases1764500000000);
      for (let i = 0; i < after; i++) await ds.undoLastMigration();
      expect(
        (await ds.createQueryRunner().getTable('sync_job'))?.findColumnByName(
          'running_organizer_id',
        ),
      ).toBeUndefined();
      await ds.runMigrations();
      expect((await ds.driver.createSchemaBuilder().log()).upQueries).toHaveLength(0);
    } finally {
      await t.app.close();
    }
  });
});
