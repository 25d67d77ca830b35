import 'reflect-metadata';
import { register } from 'prom-client';
import { SyncJobClaimRepository } from '../../src/sync/sync-job-claim.repository';
import { SyncJobLeaseRepository } from '../../src/sync/sync-job-lease.repository';
import { SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { EnqueueRequest } from '../../src/sync/sync-queue.service';
import { SyncWorker } from '../../src/sync/sync-worker.service';
import { eventually } from '../support/eventually';
import { drainQueue } from '../support/sync/drain-queue';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { TEST_JOB, TestJobScript } from '../support/sync/test-handlers';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

let nextAccount = 100;
const scripted = (script: TestJobScript, over: Partial<EnqueueRequest> = {}): EnqueueRequest => ({
  type: TEST_JOB,
  accountId: nextAccount++,
  payload: script as Record<string, unknown>,
  ...over,
});

describeEachDialect('sync worker', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;
  const MAX = 4;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({
      database: db.config,
      sync: { maxAttempts: MAX, leaseMs: 30_000 },
    });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('retries a retryable error with exponential backoff on the injected clock, then succeeds', async () => {
    const job = await t.queue.enqueue(
      scripted({ fail: [{ goto: 'RATE_LIMITED' }, { goto: 'TEMPORARY' }], result: { written: 3 } }),
    );
    const t0 = t.clock!.now().getTime();
    expect(await drainQueue(t.app)).toBe(1);
    let row = (await t.queue.findById(job.id))!;
    expect(row).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'RATE_LIMITED: scripted RATE_LIMITED',
      lockedBy: null,
    });
    // Attempt 1: 5 s with equal jitter -> between 2.5 s and 5 s (whole seconds, rounded up).
    const delay1 = row.runAfter.getTime() - t0;
    expect(delay1).toBeGreaterThanOrEqual(2_500);
    expect(delay1).toBeLessThanOrEqual(5_000);

    t.clock!.set(new Date(row.runAfter.getTime() - 1_000));
    expect(await drainQueue(t.app)).toBe(0);
    t.clock!.set(row.runAfter);
    const t1 = row.runAfter.getTime();
    expect(await drainQueue(t.app)).toBe(1);
    row = (await t.queue.findById(job.id))!;
    // Attempt 2: 10 s -> between 5 s and 10 s.
    expect(row).toMatchObject({
      status: 'queued',
      attempts: 2,
      lastError: 'TEMPORARY: scripted TEMPORARY',
    });
    expect(row.runAfter.getTime() - t1).toBeGreaterThanOrEqual(5_000);
    expect(row.runAfter.getTime() - t1).toBeLessThanOrEqual(10_000);

    expect(await drainQueue(t.app, { advanceClock: true })).toBe(1);
    row = (await t.queue.findById(job.id))!;
    expect(row).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      lastError: null,
      result: { written: 3 },
      activeKey: null,
    });
    expect(row.finishedAt).not.toBeNull();
  });

  it("honours GoTo's Retry-After as the least delay", async () => {
    const job = await t.queue.enqueue(
      scripted({ fail: [{ goto: 'RATE_LIMITED', retryAfterMs: 120_000 }] }),
    );
    const t0 = t.clock!.now().getTime();
    await drainQueue(t.app);
    const row = (await t.queue.findById(job.id))!;
    expect(row.runAfter.getTime() - t0).toBe(120_000);
    await drainQueue(t.app, { advanceClock: true });
  });

  it('gives up after SYNC_MAX_ATTEMPTS with the last error', async () => {
    const failuresBefore = await failureCount(TEST_JOB, 'true');
    const job = await t.queue.enqueue(scripted({ always: { error: 'Connection lost' } }));
    expect(await drainQueue(t.app, { advanceClock: true })).toBe(MAX);
    const row = (await t.queue.findById(job.id))!;
    expect(row).toMatchObject({
      status: 'failed',
      attempts: MAX,
      lastError: 'Connection lost',
      activeKey: null,
      runningOrganizerId: null,
    });
    expect(await failureCount(TEST_JOB, 'true')).toBe(failuresBefore + 1);
  });

  it.each([
    ['a non-retryable GoTo error', { goto: 'AUTH_INVALID' }, 'AUTH_INVALID: scripted AUTH_INVALID'],
    [
      'an account that no longer exists',
      { goto: 'ACCOUNT_NOT_FOUND' },
      'ACCOUNT_NOT_FOUND: scripted ACCOUNT_NOT_FOUND',
    ],
    [
      'a domain error',
      { domain: 'ORGANIZER_NOT_FOUND' },
      'ORGANIZER_NOT_FOUND: scripted ORGANIZER_NOT_FOUND',
    ],
  ] as const)('fails at once on %s', async (_, failure, message) => {
    const job = await t.queue.enqueue(scripted({ always: failure }));
    expect(await drainQueue(t.app, { advanceClock: true })).toBe(1);
    expect(await t.queue.findById(job.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: message,
    });
  });

  it('a skipped job ends succeeded with the reason', async () => {
    const job = await t.queue.enqueue(scripted({ always: { skip: 'organizer deactivated' } }));
    await drainQueue(t.app);
    expect(await t.queue.findById(job.id)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      result: { skipped: true, reason: 'organizer deactivated' },
    });
  });

  it('reclaims a job whose worker stopped heartbeating once the lease expired', async () => {
    const claims = t.app.get(SyncJobClaimRepository);
    const leases = t.app.get(SyncJobLeaseRepository);
    const job = await t.queue.enqueue(scripted({ result: { ok: true } }, { organizerId: 77 }));
    const claimed = await claims.claim('dead-worker', t.clock!.now(), 30_000);
    expect(claimed?.id).toBe(job.id);
    t.clock!.advance(29_000);
    expect(await drainQueue(t.app)).toBe(0); // lease still valid: nobody else touches it
    t.clock!.advance(2_000);
    expect(await drainQueue(t.app)).toBe(1);
    expect(await t.queue.findById(job.id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      result: { ok: true },
    });
    // The dead worker's late writes are refused: its lease is gone.
    expect(
      await leases.complete({ id: job.id, lockedBy: 'dead-worker', attempt: 1 }, t.clock!.now(), {
        late: true,
      }),
    ).toBe(false);
  });

  it('a job that lost its lease on its last attempt ends failed', async () => {
    const claims = t.app.get(SyncJobClaimRepository);
    const job = await t.queue.enqueue(scripted({}));
    await t.ds.query(`UPDATE sync_job SET attempts = ${MAX - 1} WHERE id = ${job.id}`);
    await claims.claim('dead-worker', t.clock!.now(), 30_000);
    t.clock!.advance(31_000);
    await drainQueue(t.app);
    expect(await t.queue.findById(job.id)).toMatchObject({
      status: 'failed',
      attempts: MAX,
      lastError: 'lease expired: the worker stopped (last attempt)',
    });
  });

  it('reports the live queue (queued, running) on scrape, not the finished history', async () => {
    await t.queue.enqueue(scripted({}));
    await drainQueue(t.app);
    await t.queue.enqueue(
      scripted({}, { runAfter: new Date(t.clock!.now().getTime() + 3_600_000) }),
    );
    const text = await register.getSingleMetricAsString('sync_jobs');
    const depth = await t.ds.query(`SELECT COUNT(*) AS n FROM sync_job WHERE status = 'queued'`);
    expect(text).toContain(`sync_jobs{status="queued"} ${Number(depth[0].n)}`);
    expect(text).toContain('sync_jobs{status="running"} 0');
    // Finished jobs exist, but the gauge does not count them (history is pruned, not scraped).
    const finished = await t.ds.query(
      `SELECT COUNT(*) AS n FROM sync_job WHERE status = 'succeeded'`,
    );
    expect(Number(finished[0].n)).toBeGreaterThan(0);
    expect(text).not.toContain('status="succeeded"');
    expect(await register.getSingleMetricAsString('sync_job_duration_seconds')).toContain(
      'outcome="succeeded"',
    );
  });
});

describeEachDialect('sync worker loops and shutdown', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase(dialect)));
  afterAll(async () => db?.drop());

  it('runs jobs in the background and, on shutdown, releases the job in hand without counting the attempt', async () => {
    const t = await createSyncTestApp({
      database: db.config,
      sync: { workerEnabled: true, workerConcurrency: 2 },
    });
    let closed = false;
    try {
      const quick = await t.queue.enqueue(scripted({ result: { quick: true } }));
      const [done] = await t.queue.waitForJobs(
        [quick.id],
        new Date(t.clock!.now().getTime() + 10_000),
      );
      expect(done.status).toBe('succeeded');

      const slow = await t.queue.enqueue(scripted({ block: true }, { organizerId: 5 }));
      await t.gate.untilBlocked(1);
      expect(await t.queue.findById(slow.id)).toMatchObject({
        status: 'running',
        attempts: 1,
        runningOrganizerId: 5,
      });
      await t.app.close();
      closed = true;
      const ds = await reopen(db);
      const [row] = await ds.query(
        `SELECT status, attempts, running_organizer_id, locked_by FROM sync_job WHERE id = ${slow.id}`,
      );
      await ds.destroy();
      expect({ ...row, attempts: Number(row.attempts) }).toEqual({
        status: 'queued',
        attempts: 0,
        running_organizer_id: null,
        locked_by: null,
      });
    } finally {
      if (!closed) await t.app.close();
    }
  });
});

describeEachDialect('sync worker: the urgent loop', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase(dialect)));
  afterAll(async () => db?.drop());

  if (dialect === 'mysql')
    it('runs a mailing job while every regular loop is busy, and takes no lower-priority work', async () => {
      const t = await createSyncTestApp({
        database: db.config,
        sync: { workerEnabled: true, workerConcurrency: 1 },
      });
      try {
        // WORKER_CONCURRENCY loops that take anything, and the urgent loop.
        expect(t.app.get(SyncWorker).lanes).toEqual([null, SYNC_PRIORITY.WEBHOOK]);
        const busy = await t.queue.enqueue(scripted({ block: true }, { organizerId: 61 }));
        await t.gate.untilBlocked(1);
        const periodic = await t.queue.enqueue(
          scripted({}, { organizerId: 62, priority: SYNC_PRIORITY.ON_DEMAND }),
        );
        const mailing = await t.queue.enqueue(
          scripted({ block: true }, { organizerId: 63, priority: SYNC_PRIORITY.MAILING }),
        );
        // The only regular loop is blocked; the urgent loop takes the mailing job at once.
        await t.gate.untilBlocked(2);
        expect(t.gate.blockedJobIds.sort((a, b) => a - b)).toEqual([busy.id, mailing.id]);
        t.gate.release(mailing.id);
        const [done] = await t.queue.waitForJobs(
          [mailing.id],
          new Date(t.clock!.now().getTime() + 10_000),
        );
        expect(done.status).toBe('succeeded');
        // The on-demand job waits for a regular loop.
        expect((await t.queue.findById(periodic.id))?.status).toBe('queued');
        t.gate.release(busy.id);
        const finished = await t.queue.waitForJobs(
          [busy.id, periodic.id],
          new Date(t.clock!.now().getTime() + 10_000),
        );
        expect(finished.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
      } finally {
        t.gate.releaseAll();
        await t.app.close();
      }
    });
  else
    it('SQLite has one loop and no urgent loop (one writer)', async () => {
      const t = await createSyncTestApp({ database: db.config, sync: { workerConcurrency: 3 } });
      try {
        expect(t.app.get(SyncWorker).lanes).toEqual([null]);
      } finally {
        await t.app.close();
      }
    });
});

describeEachDialect('sync worker leases', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase(dialect)));
  afterAll(async () => db?.drop());

  it('heartbeats extend the lease; a worker whose lease was taken stops and writes nothing', async () => {
    const t = await createSyncTestApp({
      database: db.config,
      sync: { workerEnabled: true, leaseMs: 300 },
    });
    try {
      const job = await t.queue.enqueue(scripted({ block: true }));
      await t.gate.untilBlocked(1);
      const leaseOf = async () => {
        const [row] = await t.ds.query(`SELECT lease_until FROM sync_job WHERE id = ${job.id}`);
        return new Date(
          row.lease_until instanceof Date
            ? row.lease_until
            : `${String(row.lease_until).replace(' ', 'T')}Z`,
        ).getTime();
      };
      // Move "now" to just before the lease ends (not past it: an expired lease may be reclaimed by
      // this very worker before its next heartbeat, which is a different test). The heartbeat
      // (every leaseMs / 3) must then push lease_until further out.
      const firstLease = await leaseOf();
      t.clock!.set(new Date(firstLease - 100));
      await eventually(async () => expect(await leaseOf()).toBeGreaterThan(firstLease));

      // Another worker takes the job over (as after an expiry): the next heartbeat notices.
      await t.ds.query(`UPDATE sync_job SET locked_by = 'thief' WHERE id = ${job.id}`);
      await t.queue.waitForJobs([job.id], new Date(t.clock!.now().getTime() + 200)); // wakes on the local outcome
      await eventually(async () => {
        const text = await register.getSingleMetricAsString('sync_job_duration_seconds');
        expect(text).toMatch(
          /sync_job_duration_seconds_count\{type="test_job",outcome="lease_lost"\} [1-9]/,
        );
      });
      expect(await t.queue.findById(job.id)).toMatchObject({
        status: 'running',
        lockedBy: 'thief',
        attempts: 1,
      });
    } finally {
      await t.app.close();
    }
  });
});

async function reopen(db: TestDatabase) {
  const { DataSource } = await import('typeorm');
  const { resolveDataSourceOptions } = await import('../../src/database/data-source-options');
  return new DataSource(await resolveDataSourceOptions(db.config)).initialize();
}

async function failureCount(type: string, final: string): Promise<number> {
  const metric = await register.getSingleMetric('sync_job_failures_total')?.get();
  return metric?.values.find((v) => v.labels.type === type && v.labels.final === final)?.value ?? 0;
}
