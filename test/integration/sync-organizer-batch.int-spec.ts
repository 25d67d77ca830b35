// SYNC_ORGANIZER_BATCH: a worker runs several participant jobs of one organizer side by side
// (MySQL), the first holding the organizer until the others have written their outcomes.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { SyncJobHandler } from '../../src/sync/sync-job-handler';
import { SyncJobClaimRepository } from '../../src/sync/sync-job-claim.repository';
import { SyncJobLeaseRepository } from '../../src/sync/sync-job-lease.repository';
import { SYNC_JOB_TYPES, SYNC_PRIORITY, SyncJobType } from '../../src/sync/sync-job-types';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { EnqueueRequest } from '../../src/sync/sync-queue.service';
import { SyncWorker, URGENT_MIN_PRIORITY } from '../../src/sync/sync-worker.service';
import { drainQueue } from '../support/sync/drain-queue';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import {
  ChainJobHandler,
  ScriptedJobHandler,
  TEST_CHAIN,
  TEST_JOB,
  TestJobGate,
  TestJobScript,
} from '../support/sync/test-handlers';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

const PARTICIPANTS: SyncJobType = SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC;

/** The scripted test handler, registered for the participant job type. */
@SyncJobHandler(PARTICIPANTS)
class ScriptedParticipantsHandler extends ScriptedJobHandler {}

@Module({
  providers: [TestJobGate, ScriptedJobHandler, ChainJobHandler, ScriptedParticipantsHandler],
  exports: [TestJobGate],
})
class BatchTestHandlers {}

const participants = (
  organizerId: number,
  webinarId: number,
  payload: TestJobScript = {},
): EnqueueRequest => ({
  type: PARTICIPANTS,
  accountId: 30,
  organizerId,
  webinarId,
  payload: payload as Record<string, unknown>,
});

describeEachDialect('sync queue: participant jobs of one organizer in batches', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;
  let claims: SyncJobClaimRepository;
  let leases: SyncJobLeaseRepository;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({
      database: db.config,
      sync: { organizerBatch: 3 },
      handlers: [BatchTestHandlers],
      requiredTypes: [TEST_JOB, TEST_CHAIN, PARTICIPANTS],
    });
    claims = t.app.get(SyncJobClaimRepository);
    leases = t.app.get(SyncJobLeaseRepository);
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });
  afterEach(async () => {
    t.gate.releaseAll();
    await drainQueue(t.app);
  });

  const running = async (): Promise<SyncJob[]> =>
    t.ds.getRepository(SyncJob).find({ where: { status: 'running' }, order: { id: 'ASC' } });

  if (dialect === 'mysql') {
    it('claims up to the batch size of one organizer; the first holds the organizer, others wait for it', async () => {
      const a = [];
      for (let w = 1; w <= 5; w++) a.push(await t.queue.enqueue(participants(900, w)));
      const b1 = await t.queue.enqueue(participants(901, 1));
      const solo = await t.queue.enqueue({ type: TEST_JOB, accountId: 30, organizerId: 902 });
      const now = t.clock!.now();

      const first = await claims.claimBatch('w1', now, 60_000, 3);
      expect(first.map((j) => j.id)).toEqual([a[0].id, a[1].id, a[2].id]);
      expect(first.map((j) => [j.status, j.lockedBy, j.attempts, j.runningOrganizerId])).toEqual([
        ['running', 'w1', 1, 900],
        ['running', 'w1', 1, null],
        ['running', 'w1', 1, null],
      ]);
      // Organizer 900 is held: the next claimers get the other organizers, one job each.
      const second = await claims.claimBatch('w2', now, 60_000, 3);
      const third = await claims.claimBatch('w3', now, 60_000, 3);
      expect([second.map((j) => j.id), third.map((j) => j.id)]).toEqual([[b1.id], [solo.id]]);
      expect(await claims.claimBatch('w4', now, 60_000, 3)).toEqual([]);

      for (const j of [...first, ...second, ...third])
        await leases.complete({ id: j.id, lockedBy: j.lockedBy!, attempt: 1 }, now, null);
      const rest = await claims.claimBatch('w4', now, 60_000, 3);
      expect(rest.map((j) => j.id)).toEqual([a[3].id, a[4].id]);
      for (const j of rest)
        await leases.complete({ id: j.id, lockedBy: 'w4', attempt: 1 }, now, null);
    });

    it('a job of another type is never batched, even of the same organizer', async () => {
      const solo1 = await t.queue.enqueue({
        type: TEST_JOB,
        accountId: 30,
        organizerId: 903,
        webinarId: 1,
      });
      await t.queue.enqueue({ type: TEST_JOB, accountId: 30, organizerId: 903, webinarId: 2 });
      const claimed = await claims.claimBatch('w1', t.clock!.now(), 60_000, 3);
      expect(claimed.map((j) => j.id)).toEqual([solo1.id]);
      await leases.complete({ id: solo1.id, lockedBy: 'w1', attempt: 1 }, t.clock!.now(), null);
    });

    it('the worker runs a batch side by side, refills it as jobs finish, and the holder writes its outcome last', async () => {
      const jobs = [];
      for (let w = 1; w <= 5; w++)
        jobs.push(await t.queue.enqueue(participants(910, w, { block: true })));
      const ids = jobs.map((j) => j.id);
      const run = t.app.get(SyncWorker).runNext(true);
      await t.gate.untilBlocked(3);
      expect(t.gate.blockedJobIds.sort()).toEqual(ids.slice(0, 3));
      expect((await running()).map((j) => [j.id, j.runningOrganizerId])).toEqual([
        [ids[0], 910],
        [ids[1], null],
        [ids[2], null],
      ]);

      // The holder's handler finishes first: it stays running (holding the organizer) while the
      // others still run.
      t.gate.release(ids[0]);
      await t.gate.untilEnded(ids[0]);
      expect(await t.queue.findById(ids[0])).toMatchObject({
        status: 'running',
        runningOrganizerId: 910,
      });
      // A job beside it finishes: the next queued job of the organizer takes its place.
      t.gate.release(ids[1]);
      await t.gate.untilBlocked(2);
      expect(t.gate.blockedJobIds.sort()).toEqual([ids[2], ids[3]]);
      expect((await t.queue.findById(ids[1]))?.status).toBe('succeeded');
      expect((await t.queue.findById(ids[0]))?.status).toBe('running');
      t.gate.release(ids[2]);
      t.gate.release(ids[3]);
      await t.gate.untilBlocked(1);
      expect(t.gate.blockedJobIds).toEqual([ids[4]]);
      t.gate.release(ids[4]);
      expect(await run).toBe(5);
      for (const id of ids)
        expect(await t.queue.findById(id)).toMatchObject({
          status: 'succeeded',
          runningOrganizerId: null,
        });
    });

    it('no job is added beside a holder whose lease is not ours any more', async () => {
      const holder = await t.queue.enqueue(participants(915, 1));
      await t.queue.enqueue(participants(915, 2));
      const now = t.clock!.now();
      const [claimed] = await claims.claimBatch('w1', now, 60_000, 1);
      expect(claimed.id).toBe(holder.id);
      const organizer = { organizerId: 915, type: PARTICIPANTS, priority: 0 };
      const beside = (lockedBy: string, attempt: number) =>
        claims.claimMoreBeside({ id: holder.id, lockedBy, attempt }, organizer, now, 60_000, 2);
      expect(await beside('w2', 1)).toEqual([]);
      expect(await beside('w1', 2)).toEqual([]);
      const more = await beside('w1', 1);
      expect(more.map((j) => [j.webinarId, j.status, j.lockedBy, j.runningOrganizerId])).toEqual([
        [2, 'running', 'w1', null],
      ]);
      for (const j of [claimed, ...more])
        await leases.complete({ id: j.id, lockedBy: 'w1', attempt: 1 }, now, null);
    });

    it('a batch stops taking more of its organizer while higher-priority work waits', async () => {
      const holder = await t.queue.enqueue(participants(925, 1));
      await t.queue.enqueue(participants(925, 2));
      await t.queue.enqueue(participants(925, 3));
      const now = t.clock!.now();
      const [claimed] = await claims.claimBatch('w1', now, 60_000, 1);
      expect(claimed.id).toBe(holder.id);
      const lease = { id: holder.id, lockedBy: 'w1', attempt: 1 };
      const organizer = { organizerId: 925, type: PARTICIPANTS, priority: 0 };
      // A mailing's before-send sync of another account arrives.
      const mailing = await t.queue.enqueue({
        ...participants(926, 9),
        accountId: 31,
        priority: 100,
      });
      expect(await claims.claimMoreBeside(lease, organizer, now, 60_000, 2)).toEqual([]);
      // The loop's next claim takes it; then the batch may grow again.
      const [next] = await claims.claimBatch('w2', now, 60_000, 1);
      expect(next.id).toBe(mailing.id);
      const more = await claims.claimMoreBeside(lease, organizer, now, 60_000, 2);
      expect(more.map((j) => j.webinarId)).toEqual([2, 3]);
      for (const j of [claimed, next, ...more])
        await leases.complete({ id: j.id, lockedBy: j.lockedBy!, attempt: 1 }, now, null);
    });

    it('a higher-priority job of the held organizer itself joins the batch at once', async () => {
      const holder = await t.queue.enqueue(participants(927, 1));
      await t.queue.enqueue(participants(927, 2));
      const now = t.clock!.now();
      const [claimed] = await claims.claimBatch('w1', now, 60_000, 1);
      expect(claimed.id).toBe(holder.id);
      // No other loop can start it (the organizer is held); the batch takes it, and only it.
      const mailing = await t.queue.enqueue({
        ...participants(927, 3),
        priority: SYNC_PRIORITY.MAILING,
      });
      expect(await claims.claimBatch('w2', now, 60_000, 1)).toEqual([]);
      const lease = { id: holder.id, lockedBy: 'w1', attempt: 1 };
      const organizer = { organizerId: 927, type: PARTICIPANTS, priority: 0 };
      const more = await claims.claimMoreBeside(lease, organizer, now, 60_000, 2);
      expect(more.map((j) => j.id)).toEqual([mailing.id]);
      const rest = await claims.claimMoreBeside(lease, organizer, now, 60_000, 2);
      expect(rest.map((j) => j.webinarId)).toEqual([2]);
      for (const j of [claimed, ...more, ...rest])
        await leases.complete({ id: j.id, lockedBy: 'w1', attempt: 1 }, now, null);
    });

    it('the urgent lane takes only webhook and mailing work, even with older periodic and on-demand jobs queued', async () => {
      const periodic = await t.queue.enqueue(participants(940, 1));
      const onDemand = await t.queue.enqueue({
        ...participants(942, 1),
        priority: SYNC_PRIORITY.ON_DEMAND,
      });
      const worker = t.app.get(SyncWorker);
      // Nothing urgent: the lane claims nothing and leaves the periodic job queued.
      expect(await worker.runNext(true, URGENT_MIN_PRIORITY)).toBe(0);
      expect((await t.queue.findById(periodic.id))?.status).toBe('queued');
      const mailing = await t.queue.enqueue({
        ...participants(941, 1),
        accountId: 31,
        priority: SYNC_PRIORITY.MAILING,
      });
      // A periodic job of the mailing's organizer is not batched beside it on the urgent lane.
      const sameOrganizer = await t.queue.enqueue({ ...participants(941, 2), accountId: 31 });
      expect(await worker.runNext(true, URGENT_MIN_PRIORITY)).toBe(1);
      expect((await t.queue.findById(mailing.id))?.status).toBe('succeeded');
      expect((await t.queue.findById(periodic.id))?.status).toBe('queued');
      expect((await t.queue.findById(sameOrganizer.id))?.status).toBe('queued');
      expect((await t.queue.findById(onDemand.id))?.status).toBe('queued');
    });

    it('a failing job of a batch is retried on its own; the others succeed', async () => {
      const ok1 = await t.queue.enqueue(participants(920, 1));
      const bad = await t.queue.enqueue(participants(920, 2, { fail: [{ error: 'boom' }] }));
      const ok2 = await t.queue.enqueue(participants(920, 3));
      expect(await t.app.get(SyncWorker).runNext(true)).toBe(3);
      expect((await t.queue.findById(ok1.id))?.status).toBe('succeeded');
      expect((await t.queue.findById(ok2.id))?.status).toBe('succeeded');
      expect(await t.queue.findById(bad.id)).toMatchObject({
        status: 'queued',
        attempts: 1,
        lastError: expect.stringContaining('boom'),
      });
      await drainQueue(t.app, { advanceClock: true });
      expect((await t.queue.findById(bad.id))?.status).toBe('succeeded');
    });
  } else {
    it('SQLite runs one job at a time (one writer): no batches', async () => {
      const a1 = await t.queue.enqueue(participants(930, 1));
      await t.queue.enqueue(participants(930, 2));
      expect(t.app.get(SyncWorker).organizerBatch).toBe(1);
      expect(await t.app.get(SyncWorker).runNext(true)).toBe(1);
      expect((await t.queue.findById(a1.id))?.status).toBe('succeeded');
      // claimBatch itself never batches on SQLite either.
      const claimed = await claims.claimBatch('w1', t.clock!.now(), 60_000, 3);
      expect(claimed).toHaveLength(1);
      await leases.complete(
        { id: claimed[0].id, lockedBy: 'w1', attempt: 1 },
        t.clock!.now(),
        null,
      );
    });
  }
});
