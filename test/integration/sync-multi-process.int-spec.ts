import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { EFFECT_TABLES_SQL, EffectJobPayload, TEST_EFFECT } from '../support/sync/worker-process';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

const WORKER_SCRIPT = join(__dirname, '../support/sync/worker-process.ts');

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  messages: Array<{ event: string; jobId?: number }>;
  next(event: string): Promise<{ event: string; jobId?: number }>;
}

function startWorker(url: string, env: Record<string, string> = {}): WorkerProcess {
  const child = fork(WORKER_SCRIPT, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, SYNC_TEST_DB_URL: url, TS_NODE_PROJECT: 'tsconfig.json', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: WorkerProcess['messages'] = [];
  const waiters: Array<{ event: string; resolve: (m: { event: string; jobId?: number }) => void }> =
    [];
  child.on('message', (m: { event: string; jobId?: number }) => {
    messages.push(m);
    for (const w of waiters.filter((w) => w.event === m.event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    messages,
    next: (event) =>
      new Promise((resolve, reject) => {
        const seen = messages.find((m) => m.event === event);
        if (seen) return resolve(seen);
        waiters.push({ event, resolve });
        void exited.then((code) => reject(new Error(`worker exited (${code}) before "${event}"`)));
      }),
  };
}

async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.send({ cmd: 'stop' });
  await Promise.all(workers.map((w) => w.exited));
}

const effectJob = (i: number, payload: EffectJobPayload, organizerId: number | null = null) => ({
  type: TEST_EFFECT,
  accountId: 1,
  organizerId,
  webinarId: i,
  payload: payload as Record<string, unknown>,
});

describeEachDialect('sync queue across worker processes', (dialect) => {
  if (dialect !== 'mysql') {
    it.skip('runs on MySQL/MariaDB only (SQLite has a single worker)', () => undefined);
    return;
  }
  let db: TestDatabase;
  let t: SyncTestApp;
  let url: string;

  beforeEach(async () => {
    db = await createTestDatabase('mysql');
    url = (db.config as { url: string }).url;
    // The parent only enqueues and watches (worker off); it also runs the migrations.
    t = await createSyncTestApp({
      database: db.config,
      clock: null,
      handlers: [],
      requiredTypes: [],
    });
    for (const sql of EFFECT_TABLES_SQL) await t.ds.query(sql);
  });
  afterEach(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('3 worker processes drain 500 jobs: each runs exactly once, none is lost, organizers never overlap', async () => {
    const workers = [0, 1, 2].map(() => startWorker(url, { SYNC_TEST_CONCURRENCY: '4' }));
    try {
      await Promise.all(workers.map((w) => w.next('ready')));
      const ids: number[] = [];
      for (let i = 1; i <= 500; i++) {
        // 40 organizers (at most one running job each), some jobs without an organizer.
        const organizerId = i % 5 === 0 ? null : (i % 40) + 1;
        ids.push(
          (await t.queue.enqueue(effectJob(i, { checkOverlap: true, workMs: 2 }, organizerId))).id,
        );
      }
      const jobs = await t.queue.waitForJobs(ids, new Date(Date.now() + 90_000));
      expect(
        jobs.filter((j) => j.status !== 'succeeded').map((j) => [j.id, j.status, j.lastError]),
      ).toEqual([]);
      expect(new Set(jobs.map((j) => j.attempts))).toEqual(new Set([1]));

      const [exec] = await t.ds.query(
        'SELECT COUNT(*) AS runs, COUNT(DISTINCT job_id) AS jobs, SUM(overlap) AS overlaps, COUNT(DISTINCT worker) AS workers FROM sync_test_execution',
      );
      expect({
        runs: Number(exec.runs),
        jobs: Number(exec.jobs),
        overlaps: Number(exec.overlaps),
      }).toEqual({
        runs: 500,
        jobs: 500,
        overlaps: 0,
      });
      expect(Number(exec.workers)).toBe(3);
      const [effect] = await t.ds.query('SELECT COUNT(*) AS n FROM sync_test_effect');
      expect(Number(effect.n)).toBe(500);
      const [left] = await t.ds.query(
        "SELECT COUNT(*) AS n FROM sync_job WHERE status <> 'succeeded' OR active_key IS NOT NULL OR running_organizer_id IS NOT NULL",
      );
      expect(Number(left.n)).toBe(0);
    } finally {
      await stopWorkers(workers);
    }
    // Three ts-node processes start and drain: ~40 s on a quiet 2-core machine, near 60 on a busy one.
  }, 120_000);

  it('a worker killed with SIGKILL mid-job: after the lease expires another worker completes it, the effect applied once', async () => {
    const env = { SYNC_TEST_CONCURRENCY: '2', SYNC_TEST_LEASE_MS: '1500' };
    const workers = [startWorker(url, env), startWorker(url, env)];
    try {
      await Promise.all(workers.map((w) => w.next('ready')));
      const crash = await t.queue.enqueue(effectJob(1, { crash: true }, 7));
      const hung = await Promise.race(workers.map((w) => w.next('hang').then(() => w)));
      expect(await t.queue.findById(crash.id)).toMatchObject({
        status: 'running',
        attempts: 1,
        runningOrganizerId: 7,
      });
      hung.child.kill('SIGKILL');
      await hung.exited;

      const [done] = await t.queue.waitForJobs([crash.id], new Date(Date.now() + 30_000));
      expect(done).toMatchObject({
        status: 'succeeded',
        attempts: 2,
        runningOrganizerId: null,
        activeKey: null,
      });
      const runs: Array<{ attempt: number; worker: string }> = await t.ds.query(
        'SELECT attempt, worker FROM sync_test_execution WHERE job_id = ? ORDER BY id',
        [crash.id],
      );
      expect(runs.map((r) => Number(r.attempt))).toEqual([1, 2]);
      expect(runs[0].worker).toBe(`pid-${hung.child.pid}`);
      expect(runs[1].worker).not.toBe(runs[0].worker);
      const effects = await t.ds.query('SELECT job_id FROM sync_test_effect WHERE job_id = ?', [
        crash.id,
      ]);
      expect(effects).toHaveLength(1);
    } finally {
      await stopWorkers(workers);
    }
  });
});
