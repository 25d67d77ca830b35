// One benchmark run on one database: a fresh database, the real application (AppModule) with the
// real queue and handlers, a generated organizer in the simulator; a full sync, then a no-change
// periodic sync.
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { AccountsService } from '../src/accounts/accounts.service';
import { AppModule } from '../src/app.module';
import { Clock, FakeClock } from '../src/common/clock';
import { AppConfig, DatabaseConfig, loadConfig } from '../src/config/app-config';
import { OrganizerLinkingService } from '../src/organizers/organizer-linking.service';
import { SyncJob } from '../src/sync/sync-job.entity';
import { SYNC_JOB_TYPES } from '../src/sync/sync-job-types';
import { SyncQueue } from '../src/sync/sync-queue.service';
import { SyncWorker } from '../src/sync/sync-worker.service';
import { profiled } from './cpu-profile';
import { cpuSince } from './cpu-usage';
import { RssSampler } from './rss-sampler';
import { SimProcess } from './sim-process';

export type BenchDialect = 'mysql' | 'sqlite';

export interface PhaseResult {
  seconds: number;
  apiCalls: number;
  tokenCalls: number;
  jobs: number;
  jobsFailed: number;
  /** Jobs that needed more than one attempt (or still carry an error). */
  jobsRetried: number;
  errors: string[];
  rowsWritten: number;
  participantsWritten: number;
  participants: number;
  peakRss: number;
  /** CPU seconds during the phase: this process, the simulator, the local database server. */
  cpu: { sync: number; sim: number; db: number | null };
  /** Summed over the participant jobs (seconds): GoTo fetch, merge, database writes. */
  timings: { fetch: number; merge: number; write: number };
}

export interface SyncBenchResult {
  dialect: BenchDialect;
  webinarsInWindow: number;
  minimumApiCalls: number;
  full: PhaseResult;
  periodic: PhaseResult;
  /** Rows in webinar_participant after the full sync. */
  storedParticipants: number;
  storedSubscribers: number;
}

/** A fresh, empty database for the run; dropped afterwards. */
export async function freshDatabase(
  dialect: BenchDialect,
  mysqlUrl: string,
): Promise<{ config: DatabaseConfig; url?: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ws-bench-'));
    return {
      config: { type: 'sqlite', path: join(dir, 'bench.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `ws_bench_${process.pid}_${Date.now()}`;
  const admin = await createConnection({ uri: mysqlUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(mysqlUrl);
  url.pathname = `/${name}`;
  return {
    config: { type: 'mysql', url: url.toString() },
    url: url.toString(),
    drop: async () => {
      const c = await createConnection({ uri: mysqlUrl });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

function benchConfig(
  database: DatabaseConfig,
  sim: SimProcess,
  organizerBatch: number | undefined,
): AppConfig {
  const base = loadConfig({
    LOG_LEVEL: 'silent',
    GOTO_SIMULATOR: 'true',
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATABASE_URL: 'sqlite::memory:',
    // The bench measures the sync: no webhook subscriptions (their jobs would add GoTo calls).
    WEBHOOKS_ENABLED: 'false',
  });
  return new AppConfig({
    ...base,
    database,
    // pacing off: the simulator has no rate limit and the client does not wait
    goto: { ...base.goto, apiUrl: sim.url, authUrl: sim.url, maxRps: 1_000_000, maxRetries: 3 },
    sync: {
      ...base.sync,
      workerEnabled: false,
      schedulerEnabled: false,
      organizerBatch: organizerBatch ?? base.sync.organizerBatch,
    },
  });
}

/** The real application; its clock stands still at `now`, like the simulator's (see run.ts). */
async function createApp(config: AppConfig, now: Date): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(new FakeClock(now))
    .compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

async function apiCalls(sim: SimProcess): Promise<{ api: number; token: number }> {
  let api = 0;
  let token = 0;
  for (const [endpoint, byStatus] of Object.entries((await sim.readCounters()).byEndpoint)) {
    const n = Object.values(byStatus).reduce((a, b) => a + b, 0);
    if (endpoint.includes('/G2W/')) api += n;
    else if (endpoint.includes('/oauth/')) token += n;
  }
  return { api, token };
}

async function runPhase(
  app: INestApplicationContext,
  sim: SimProcess,
  sinceJobId: number,
  name: string,
): Promise<PhaseResult> {
  const ds = app.get(DataSource);
  const worker = app.get(SyncWorker, { strict: false });
  await sim.resetCounters();
  const rss = new RssSampler().start();
  const sim0 = await sim.cpuSeconds();
  const cpuNow = cpuSince();
  const started = performance.now();
  // One drainer: the queue runs one organizer-wide job at a time, participant jobs of one
  // organizer in batches of SYNC_ORGANIZER_BATCH (MariaDB).
  await profiled(name, () => worker.drainUntilIdle({ maxJobs: 1_000_000 }));
  const seconds = (performance.now() - started) / 1000;
  const peakRss = rss.stop();
  const { own, db } = cpuNow();
  const cpu = { sync: own, sim: (await sim.cpuSeconds()) - sim0, db };
  const jobs = await ds
    .getRepository(SyncJob)
    .createQueryBuilder('j')
    .where('j.id > :id', { id: sinceJobId })
    .getMany();
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const { api, token } = await apiCalls(sim);
  return {
    seconds,
    apiCalls: api,
    tokenCalls: token,
    jobs: jobs.length,
    jobsFailed: jobs.filter((j) => j.status !== 'succeeded').length,
    jobsRetried: jobs.filter((j) => j.attempts > 1 || j.lastError !== null).length,
    errors: [...new Set(jobs.map((j) => j.lastError).filter((e): e is string => !!e))].slice(0, 3),
    rowsWritten: jobs.reduce((n, j) => n + num(j.result?.rowsWritten), 0),
    participantsWritten: jobs.reduce(
      (n, j) => n + num(j.result?.participantsInserted) + num(j.result?.participantsUpdated),
      0,
    ),
    participants: jobs.reduce((n, j) => n + num(j.result?.participants), 0),
    peakRss,
    cpu,
    timings: ['fetch', 'merge', 'write'].reduce(
      (acc, k) => ({
        ...acc,
        [k]:
          jobs.reduce(
            (n, j) => n + num((j.result?.timingsMs as Record<string, unknown> | undefined)?.[k]),
            0,
          ) / 1000,
      }),
      { fetch: 0, merge: 0, write: 0 },
    ),
  };
}

export async function benchSync(
  dialect: BenchDialect,
  sim: SimProcess,
  opts: { mysqlUrl: string; organizerBatch?: number; keep?: boolean },
): Promise<SyncBenchResult & { mysqlUrl?: string; drop(): Promise<void> }> {
  const db = await freshDatabase(dialect, opts.mysqlUrl);
  const config = benchConfig(db.config, sim, opts.organizerBatch);
  const app = await createApp(config, sim.now);
  try {
    const ds = app.get(DataSource);
    const account = await app.get(AccountsService).create(`bench ${dialect}`);
    const [org] = await sim.organizers();
    // Linking signs in and queues the complete sync (as the admin page does).
    await app
      .get(OrganizerLinkingService)
      .add(account.id, { email: org.email, password: org.password });
    const min = await sim.minimum(
      org.organizerKey,
      sim.now,
      config.sync.lookbackDays,
      config.sync.lookaheadDays,
    );
    const full = await runPhase(app, sim, 0, `${dialect}-full`);
    const storedParticipants = Number(
      (await ds.query('SELECT COUNT(*) AS n FROM webinar_participant'))[0].n,
    );
    const storedSubscribers = Number((await ds.query('SELECT COUNT(*) AS n FROM subscriber'))[0].n);

    const lastId = Number((await ds.query('SELECT MAX(id) AS m FROM sync_job'))[0].m);
    const [organizer] = await ds.query('SELECT id FROM organizer LIMIT 1');
    await app.get(SyncQueue).enqueue({
      type: SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC,
      accountId: account.id,
      organizerId: Number(organizer.id),
    });
    const periodic = await runPhase(app, sim, lastId, `${dialect}-periodic`);
    return {
      dialect,
      webinarsInWindow: min.webinars,
      minimumApiCalls: min.calls,
      full,
      periodic,
      storedParticipants,
      storedSubscribers,
      mysqlUrl: db.url,
      drop: () => (opts.keep ? Promise.resolve() : db.drop()),
    };
  } finally {
    await app.close();
  }
}
