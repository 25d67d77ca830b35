import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FakeClock } from '../../src/common/clock';
import { LOCK_NAME_SQL } from '../../src/database/named-lock';
import { SyncJobRetention } from '../../src/sync/sync-job-retention.service';
import { SyncRetentionTask, SyncRetentionTaskProvider } from '../../src/sync/sync-retention-task';
import { SCHEDULER_LOCK, SyncScheduler } from '../../src/sync/sync-scheduler.service';
import { SyncSchedulerModule } from '../../src/sync/sync-scheduler.module';
import { WebhookEventRetention } from '../../src/webhooks/webhook-event-retention.service';
import { WebhookEvent } from '../../src/webhooks/webhook-event.entity';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { TestSyncHandlersModule } from '../support/sync/test-handlers';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

const DAY = 86_400_000;
const NOW = new Date('2026-11-29T12:00:00Z');

// The webhooks module's retention task, as the app wires it (discovered by the sync retention).
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEvent])],
  providers: [WebhookEventRetention],
})
class WebhookRetentionModule {}

// Another module's task that fails (its table gone, say), discovered before the webhook task.
@Injectable()
@SyncRetentionTaskProvider()
class FailingRetention implements SyncRetentionTask {
  readonly name = 'failing';
  calls = 0;
  async prune(): Promise<number> {
    this.calls++;
    throw new Error('no such table: gone');
  }
}
@Module({ providers: [FailingRetention] })
class FailingRetentionModule {}

interface Seed {
  /** Days before NOW it was received. */
  receivedDaysAgo: number;
  /** Days before NOW it was processed; null = not processed yet. */
  processedDaysAgo: number | null;
  outcome?: string;
}

let seq = 0;
const row = (s: Seed): Partial<WebhookEvent> => ({
  eventKey: `retention-${++seq}`,
  eventName: 'registrant.added',
  webinarKey: '1',
  registrantKey: String(seq),
  eventTime: new Date(NOW.getTime() - s.receivedDaysAgo * DAY),
  receivedAt: new Date(NOW.getTime() - s.receivedDaysAgo * DAY),
  body: '{}',
  processedAt:
    s.processedDaysAgo === null ? null : new Date(NOW.getTime() - s.processedDaysAgo * DAY),
  outcome: s.outcome ?? (s.processedDaysAgo === null ? null : 'applied'),
});

async function seed(t: SyncTestApp, events: Seed[]): Promise<number[]> {
  const repo = t.ds.getRepository(WebhookEvent);
  const ids: number[] = [];
  for (let i = 0; i < events.length; i += 200) {
    const res = await repo.insert(events.slice(i, i + 200).map(row));
    // ids in insert order (both drivers give each row's id back)
    ids.push(...res.identifiers.map((x) => Number(x.id)));
  }
  return ids;
}

const remaining = async (t: SyncTestApp) =>
  (await t.ds.getRepository(WebhookEvent).find({ select: { id: true }, order: { id: 'ASC' } })).map(
    (e) => e.id,
  );

describeEachDialect('webhook_event retention (with the sync job retention)', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;

  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({
      database: db.config,
      clock: new FakeClock(NOW),
      handlers: [TestSyncHandlersModule, SyncSchedulerModule, WebhookRetentionModule],
      sync: { jobRetentionDays: 14 },
    });
  });
  afterEach(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('deletes processed events past SYNC_JOB_RETENTION_DAYS, never unprocessed or claimed ones', async () => {
    const [oldProcessed, , recentProcessed, waiting, claimed, lateProcessed] = await seed(t, [
      { receivedDaysAgo: 30, processedDaysAgo: 30 },
      { receivedDaysAgo: 20, processedDaysAgo: 15, outcome: 'ignored: unknown event' },
      { receivedDaysAgo: 13, processedDaysAgo: 13 }, // within retention
      { receivedDaysAgo: 60, processedDaysAgo: null }, // waiting, however old
      { receivedDaysAgo: 60, processedDaysAgo: null, outcome: 'claimed:7' }, // a job has it
      { receivedDaysAgo: 40, processedDaysAgo: 1 }, // received long ago, processed lately
    ]);
    expect(oldProcessed).toBeDefined();
    const result = await t.app.get(SyncScheduler).pruneHistory();
    expect(result).toEqual({ ran: true, deleted: 2 });
    expect(await remaining(t)).toEqual([recentProcessed, waiting, claimed, lateProcessed]);
    expect(await t.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: true, deleted: 0 });
  });

  it('works in batches of 500 within the budget of one run', async () => {
    const old = Array.from({ length: 1200 }, () => ({ receivedDaysAgo: 20, processedDaysAgo: 20 }));
    await seed(t, [...old, { receivedDaysAgo: 20, processedDaysAgo: null }]);
    const retention = t.app.get(SyncJobRetention);
    expect(await retention.prune(1)).toBe(500);
    expect(await retention.prune(1)).toBe(500);
    expect(await retention.prune()).toBe(200);
    expect(await remaining(t)).toHaveLength(1);
  });

  it('prunes only under the scheduler lock', async () => {
    if (dialect !== 'mysql') return; // SQLite: one process, the lock is in-process
    await seed(t, [{ receivedDaysAgo: 30, processedDaysAgo: 30 }]);
    const holder = t.ds.createQueryRunner();
    try {
      await holder.query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, 0)`, [SCHEDULER_LOCK]);
      expect(await t.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: false, deleted: 0 });
      expect(await remaining(t)).toHaveLength(1);
    } finally {
      await holder.query(`SELECT RELEASE_LOCK(${LOCK_NAME_SQL})`, [SCHEDULER_LOCK]);
      await holder.release();
    }
    expect(await t.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: true, deleted: 1 });
  });

  it('a failing retention task is logged and the tasks after it still prune', async () => {
    await t.app.close();
    t = await createSyncTestApp({
      database: db.config,
      clock: new FakeClock(NOW),
      handlers: [
        TestSyncHandlersModule,
        SyncSchedulerModule,
        FailingRetentionModule,
        WebhookRetentionModule,
      ],
      sync: { jobRetentionDays: 14 },
    });
    const [, recent] = await seed(t, [
      { receivedDaysAgo: 30, processedDaysAgo: 30 },
      { receivedDaysAgo: 1, processedDaysAgo: 1 },
    ]);
    expect(await t.app.get(SyncScheduler).pruneHistory()).toEqual({ ran: true, deleted: 1 });
    expect(t.app.get(FailingRetention).calls).toBe(1);
    expect(await remaining(t)).toEqual([recent]);
  });
});
