import 'reflect-metadata';
import { FakeClock } from '../../src/common/clock';
import { SyncJob, SyncJobStatus } from '../../src/sync/sync-job.entity';
import { SyncJobRetention } from '../../src/sync/sync-job-retention.service';
import { SCHEDULER_LOCK, SyncScheduler } from '../../src/sync/sync-scheduler.service';
import { SyncSchedulerModule } from '../../src/sync/sync-scheduler.module';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { TestSyncHandlersModule } from '../support/sync/test-handlers';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';
import { LOCK_NAME_SQL } from '../../src/database/named-lock';

const DAY = 86_400_000;
const NOW = new Date('2026-11-29T12:00:00Z');
const WITH_SCHEDULER = [TestSyncHandlersModule, SyncSchedulerModule];

interface Seed {
  organizerId: number;
  webinarId?: number;
  status: SyncJobStatus;
  /** Days before NOW the job was created and (if finished) finished. */
  daysAgo: number;
}

async function seed(t: SyncTestApp, jobs: Seed[]): Promise<number[]> {
  const repo = t.ds.getRepository(SyncJob);
  const ids: number[] = [];
  for (const [i, j] of jobs.entries()) {
    const at = new Date(NOW.getTime() - j.daysAgo * DAY);
    const finished = j.status === 'succeeded' || j.status === 'failed';
    const type = j.webinarId ? 'webinar_participants_sync' : 'organizer_periodic_sync';
    const row = await repo.save({
      accountId: 1,
      organizerId: j.organizerId,
      webinarId: j.webinarId ?? null,
      type,
      status: j.status,
      activeKey: finished ? null : `${type}:1:${j.organizerId}:${j.webinarId ?? ''}:${i}`,
      runAfter: at,
      createdAt: at,
      startedAt: j.status === 'queued' ? null : at,
      finishedAt: finished ? at : null,
    });
    ids.push(row.id);
  }
  return ids;
}

const remaining = async (t: SyncTestApp) =>
  (await t.ds.getRepository(SyncJob).find({ select: { id: true }, order: { id: 'ASC' } })).map(
    (j) => j.id,
  );

describeEachDialect('sync job retention', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;

  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({
      database: db.config,
      clock: new FakeClock(NOW),
      handlers: WITH_SCHEDULER,
      sync: { jobRetentionDays: 14 },
    });
  });
  afterEach(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('deletes finished jobs past SYNC_JOB_RETENTION_DAYS, keeping the latest of each organizer and webinar', async () => {
    const [o1old, o1older, o1latest, w10a, w10latest, w11old, w11recent, o2only, recent] =
      await seed(t, [
        { organizerId: 1, status: 'succeeded', daysAgo: 30 },
        { organizerId: 1, status: 'failed', daysAgo: 20 },
        { organizerId: 1, status: 'succeeded', daysAgo: 16 }, // latest of organizer 1: kept
        { organizerId: 1, webinarId: 10, status: 'succeeded', daysAgo: 30 },
        { organizerId: 1, webinarId: 10, status: 'failed', daysAgo: 20 }, // latest of webinar 10
        { organizerId: 1, webinarId: 11, status: 'succeeded', daysAgo: 20 },
        { organizerId: 1, webinarId: 11, status: 'succeeded', daysAgo: 2 }, // younger: kept
        { organizerId: 2, status: 'failed', daysAgo: 40 }, // the only one of organizer 2: kept
        { organizerId: 3, status: 'succeeded', daysAgo: 13 }, // within retention
      ]);
    const result = await t.app.get(SyncScheduler).pruneHistory();
    expect(result).toEqual({ ran: true, deleted: 4 });
    expect(await remaining(t)).toEqual([o1latest, w10latest, w11recent, o2only, recent]);
    expect([o1old, o1older, w10a, w11old].some((id) => id === undefined)).toBe(false);
    // Nothing more to do: a second run deletes nothing.
    expect(await t.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: true, deleted: 0 });
  });

  it('leaves queued and running jobs alone, however old', async () => {
    const ids = await seed(t, [
      { organizerId: 1, status: 'queued', daysAgo: 60 },
      { organizerId: 2, webinarId: 5, status: 'running', daysAgo: 60 },
      { organizerId: 2, webinarId: 5, status: 'succeeded', daysAgo: 61 }, // latest finished of webinar 5
    ]);
    expect(await t.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: true, deleted: 0 });
    expect(await remaining(t)).toEqual(ids);
  });

  it('works in small batches and steps over the rows it keeps', async () => {
    // 1,200 old jobs of 600 webinars (two each) + 600 kept latest: three batches of 500 candidates.
    const jobs: Seed[] = [];
    for (let w = 1; w <= 600; w++)
      jobs.push(
        { organizerId: 1, webinarId: w, status: 'succeeded', daysAgo: 20 },
        { organizerId: 1, webinarId: w, status: 'succeeded', daysAgo: 19 },
      );
    const repo = t.ds.getRepository(SyncJob);
    for (let i = 0; i < jobs.length; i += 200) {
      await repo.insert(
        jobs.slice(i, i + 200).map((j) => {
          const at = new Date(NOW.getTime() - j.daysAgo * DAY);
          return {
            accountId: 1,
            organizerId: j.organizerId,
            webinarId: j.webinarId,
            type: 'webinar_participants_sync',
            status: j.status,
            runAfter: at,
            createdAt: at,
            startedAt: at,
            finishedAt: at,
          };
        }),
      );
    }
    expect(await t.app.get(SyncJobRetention).prune(1)).toBeLessThanOrEqual(500);
    expect(await t.app.get(SyncJobRetention).prune()).toBeGreaterThan(0);
    expect(await repo.count()).toBe(600);
    expect(await repo.count({ where: { finishedAt: new Date(NOW.getTime() - 19 * DAY) } })).toBe(
      600,
    );
  });
});

describeEachDialect('sync job retention on two instances', (dialect) => {
  if (dialect !== 'mysql') {
    it.skip('runs on MySQL/MariaDB only (one SQLite file has one instance)', () => undefined);
    return;
  }
  let db: TestDatabase;
  let a: SyncTestApp;
  let b: SyncTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    const clock = new FakeClock(NOW);
    a = await createSyncTestApp({ database: db.config, clock, handlers: WITH_SCHEDULER });
    b = await createSyncTestApp({ database: db.config, clock, handlers: WITH_SCHEDULER });
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.drop();
  });

  it('prunes on one instance at a time: the one without the scheduler lock deletes nothing', async () => {
    await seed(a, [
      { organizerId: 1, status: 'succeeded', daysAgo: 30 },
      { organizerId: 1, status: 'succeeded', daysAgo: 20 },
    ]);
    const holder = a.ds.createQueryRunner();
    try {
      await holder.query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, 0)`, [SCHEDULER_LOCK]);
      expect(await b.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: false, deleted: 0 });
      expect(await remaining(b)).toHaveLength(2);
    } finally {
      await holder.query(`SELECT RELEASE_LOCK(${LOCK_NAME_SQL})`, [SCHEDULER_LOCK]);
      await holder.release();
    }
    const both = await Promise.all([
      a.app.get(SyncScheduler).pruneHistory(),
      b.app.get(SyncScheduler).pruneHistory(),
    ]);
    expect(both.reduce((n, r) => n + r.deleted, 0)).toBe(1);
    expect(await remaining(a)).toHaveLength(1);
  });
});
