import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { configureApp } from '../../../src/app.setup';
import { Clock, FakeClock } from '../../../src/common/clock';
import { CommonModule } from '../../../src/common/common.module';
import { AppConfig } from '../../../src/config/app-config';
import { ConfigModule } from '../../../src/config/config.module';
import { DatabaseConfig } from '../../../src/config/app-config';
import { DatabaseModule } from '../../../src/database/database.module';
import { LoggingModule } from '../../../src/logging/logging.module';
import { SYNC_REQUIRED_JOB_TYPES } from '../../../src/sync/sync-handler-registry.service';
import { SyncCoreModule } from '../../../src/sync/sync-core.module';
import { SyncQueue } from '../../../src/sync/sync-queue.service';
import { SYNC_WORKER_OPTIONS, SyncWorkerOptions } from '../../../src/sync/sync-worker.service';
import { testConfig } from '../test-config';
import { TEST_JOB_TYPES, TestJobGate, TestSyncHandlersModule } from './test-handlers';

export interface SyncTestAppOptions {
  database: DatabaseConfig;
  sync?: Partial<AppConfig['sync']>;
  /** A FakeClock (default) or null for the real clock. */
  clock?: FakeClock | null;
  handlers?: ModuleMetadata['imports'];
  requiredTypes?: string[];
  worker?: Partial<SyncWorkerOptions>;
  /** Serve HTTP like main.ts (prefix /api/v1, guard, validation) on a random port. */
  http?: boolean;
}

export interface SyncTestApp {
  app: INestApplication;
  queue: SyncQueue;
  gate: TestJobGate;
  clock: FakeClock | null;
  ds: DataSource;
  config: AppConfig;
}

/**
 * The queue's modules (no feature module) with the test job handlers, on the given database.
 * Worker and scheduler are off unless `sync` turns them on.
 */
export async function createSyncTestApp(opts: SyncTestAppOptions): Promise<SyncTestApp> {
  const config = testConfig({ database: opts.database, sync: opts.sync ?? {} });
  const clock = opts.clock === undefined ? new FakeClock() : opts.clock;
  let builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      LoggingModule,
      DatabaseModule,
      CommonModule,
      SyncCoreModule,
      ...(opts.handlers ?? [TestSyncHandlersModule]),
    ],
  })
    .overrideProvider(SYNC_WORKER_OPTIONS)
    .useValue({ pollIntervalMs: 100, shutdownGraceMs: 5000, ...opts.worker })
    .overrideProvider(SYNC_REQUIRED_JOB_TYPES)
    .useValue(opts.requiredTypes ?? TEST_JOB_TYPES);
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({
    logger: process.env.SYNC_TEST_LOGS ? undefined : false,
  });
  try {
    if (opts.http) {
      configureApp(app);
      await app.listen(0);
    } else await app.init();
  } catch (err) {
    // A refused start (e.g. a missing handler) must not leave the database pool open.
    await app.close().catch(() => undefined);
    throw err;
  }
  return {
    app,
    queue: app.get(SyncQueue),
    gate: tryGet(app, TestJobGate) as TestJobGate,
    clock,
    ds: app.get(DataSource),
    config,
  };
}

function tryGet<T>(app: INestApplication, token: new (...args: never[]) => T): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}
