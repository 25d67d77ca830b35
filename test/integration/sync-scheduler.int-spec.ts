import 'reflect-metadata';
import { SchedulerRegistry } from '@nestjs/schedule';
import { FakeClock } from '../../src/common/clock';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import {
  PERIODIC_SYNC_CRON,
  SCHEDULER_LOCK,
  SyncScheduler,
} from '../../src/sync/sync-scheduler.service';
import { SyncSchedulerModule } from '../../src/sync/sync-scheduler.module';
import { drainQueue } from '../support/sync/drain-queue';
import { TestSyncHandlersModule } from '../support/sync/test-handlers';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';
import { LOCK_NAME_SQL } from '../../src/database/named-lock';

const WITH_SCHEDULER = [TestSyncHandlersModule, SyncSchedulerModule];

// Accounts 1 (no settings row: active), 2 (active), 3 (integration inactive); one inactive organizer.
async function seedOrganizers(t: SyncTestApp): Promise<number[]> {
  await t.ds.query(
    'INSERT INTO webinar_integration_settings (account_id, active) VALUES (2, 1), (3, 0)',
  );
  const orgs: Array<[number, string, number]> = [
    [1, '1001', 1],
    [1, '1002', 1],
    [1, '1003', 0],
    [2, '2001', 1],
    [3, '3001', 1],
  ];
  for (const [account, key, active] of orgs) {
    await t.ds.query(
      `INSERT INTO organizer (account_id, email, auth_method, credentials_encrypted, organizer_key, active)
       VALUES (${account}, 'o${key}@example.com', 'password', 'x', '${key}', ${active})`,
    );
  }
  const rows: Array<{ id: number }> = await t.ds.query(
    "SELECT id FROM organizer WHERE organizer_key IN ('1001', '1002', '2001') ORDER BY id",
  );
  return rows.map((r) => Number(r.id));
}

async function periodicJobs(
  t: SyncTestApp,
): Promise<Array<{ organizerId: number; status: string }>> {
  const rows: Array<{ organizer_id: number; status: string; priority: number }> = await t.ds.query(
    `SELECT organizer_id, status, priority FROM sync_job WHERE type = '${SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC}' ORDER BY id`,
  );
  for (const r of rows) expect(Number(r.priority)).toBe(SYNC_PRIORITY.PERIODIC);
  return rows.map((r) => ({ organizerId: Number(r.organizer_id), status: r.status }));
}

describeEachDialect('sync scheduler', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;
  let expected: number[];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({ database: db.config, handlers: WITH_SCHEDULER });
    expected = await seedOrganizers(t);
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('enqueues one periodic job per active organizer of each active account, once per tick', async () => {
    const scheduler = t.app.get(SyncScheduler);
    expect(await scheduler.tick()).toEqual({ ran: true, enqueued: 3 });
    expect((await periodicJobs(t)).map((j) => j.organizerId)).toEqual(expected);
    // Same minute: already scheduled, even once those jobs have finished.
    expect(await scheduler.tick()).toEqual({ ran: true, enqueued: 0 });
    await drainQueue(t.app); // no handler for the real type in this test app: they end failed
    expect(await scheduler.tick()).toEqual({ ran: true, enqueued: 0 });
    expect(await periodicJobs(t)).toHaveLength(3);

    t.clock!.advance(15 * 60_000);
    expect(await scheduler.tick()).toEqual({ ran: true, enqueued: 3 });
    // A tick while the previous periodic jobs still wait adds nothing (enqueue dedupe).
    t.clock!.advance(15 * 60_000);
    expect(await scheduler.tick()).toEqual({ ran: true, enqueued: 0 });
    expect((await periodicJobs(t)).filter((j) => j.status === 'queued')).toHaveLength(3);
  });

  it('registers the cron from SYNC_CRON only when the scheduler role is on', async () => {
    const on = await createSyncTestApp({
      database: db.config,
      handlers: WITH_SCHEDULER,
      sync: { schedulerEnabled: true, cron: '*/5 * * * *' },
    });
    try {
      const cron = on.app.get(SchedulerRegistry).getCronJob(PERIODIC_SYNC_CRON);
      expect(cron.cronTime.source).toBe('*/5 * * * *');
      expect(cron.isActive).toBe(true);
    } finally {
      await on.app.close();
    }
    expect(t.app.get(SchedulerRegistry).doesExist('cron', PERIODIC_SYNC_CRON)).toBe(false);
  });
});

describeEachDialect('sync scheduler on two instances', (dialect) => {
  if (dialect !== 'mysql') {
    it.skip('runs on MySQL/MariaDB only (one SQLite file has one instance)', () => undefined);
    return;
  }
  let db: TestDatabase;
  let a: SyncTestApp;
  let b: SyncTestApp;
  const clock = new FakeClock();

  beforeAll(async () => {
    db = await createTestDatabase('mysql');
    a = await createSyncTestApp({ database: db.config, clock, handlers: WITH_SCHEDULER });
    b = await createSyncTestApp({ database: db.config, clock, handlers: WITH_SCHEDULER });
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.drop();
  });

  it('two instances ticking at once enqueue one periodic job per organizer per tick, not two', async () => {
    const expected = await seedOrganizers(a);
    for (let tick = 0; tick < 3; tick++) {
      const results = await Promise.all([a, b, a, b].map((x) => x.app.get(SyncScheduler).tick()));
      expect(results.reduce((n, r) => n + r.enqueued, 0)).toBe(3);
      const queued = (await periodicJobs(a))
        .filter((j) => j.status === 'queued')
        .map((j) => j.organizerId);
      expect(queued.sort()).toEqual([...expected].sort());
      // Both instances drain: each job runs once (no handler here: it ends failed), then the next tick.
      await Promise.all([drainQueue(a.app), drainQueue(b.app)]);
      clock.advance(15 * 60_000);
    }
    expect(await periodicJobs(a)).toHaveLength(9);
  });

  it('an instance that cannot take the scheduler lock skips its tick', async () => {
    const holder = a.ds.createQueryRunner();
    try {
      await holder.query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, 0)`, [SCHEDULER_LOCK]);
      expect(await b.app.get(SyncScheduler).tick()).toEqual({ ran: false, enqueued: 0 });
    } finally {
      await holder.query(`SELECT RELEASE_LOCK(${LOCK_NAME_SQL})`, [SCHEDULER_LOCK]);
      await holder.release();
    }
  });
});
