// A sync worker in its own process, for the multi-process tests: the real queue modules on the MySQL
// database in SYNC_TEST_DB_URL, with a handler that records every execution in test tables.
// Run with `node -r ts-node/register/transpile-only`. IPC: sends {event:'ready'} once started and
// {event:'hang', jobId} when a `crash` job is in progress; on 'stop' it shuts down gracefully.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { JobContext, SyncJobHandler } from '../../../src/sync/sync-job-handler';
import { SyncJobType } from '../../../src/sync/sync-job-types';
import { SyncWorker } from '../../../src/sync/sync-worker.service';
import { createSyncTestApp } from './sync-test-app';

export const TEST_EFFECT = 'test_effect' as SyncJobType;

export interface EffectJobPayload {
  /** Simulated work, in ms. */
  workMs?: number;
  /** Hang on the first attempt (the test kills the process). */
  crash?: boolean;
  /** Record whether another job of the same organizer was running at the same time. */
  checkOverlap?: boolean;
}

// Test tables the parent creates: executions (one row per handler call), the idempotent effect
// (unique per job) and the organizers currently being worked on (primary key = organizer).
export const EFFECT_TABLES_SQL = [
  `CREATE TABLE sync_test_execution (id INT AUTO_INCREMENT PRIMARY KEY, job_id INT NOT NULL, attempt INT NOT NULL,
     worker VARCHAR(100) NOT NULL, overlap TINYINT NOT NULL DEFAULT 0)`,
  `CREATE TABLE sync_test_effect (job_id INT PRIMARY KEY, worker VARCHAR(100) NOT NULL, applied INT NOT NULL DEFAULT 1)`,
  `CREATE TABLE sync_test_org_running (organizer_id INT PRIMARY KEY, job_id INT NOT NULL)`,
];

@SyncJobHandler(TEST_EFFECT)
export class EffectJobHandler {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    const { job } = ctx;
    const p = (job.payload ?? {}) as EffectJobPayload;
    const worker = `pid-${process.pid}`;
    let overlap = 0;
    if (p.checkOverlap && job.organizerId !== null) {
      try {
        await this.ds.query(
          'INSERT INTO sync_test_org_running (organizer_id, job_id) VALUES (?, ?)',
          [job.organizerId, job.id],
        );
      } catch {
        overlap = 1;
      }
    }
    await this.ds.query(
      'INSERT INTO sync_test_execution (job_id, attempt, worker, overlap) VALUES (?, ?, ?, ?)',
      [job.id, job.attempts, worker, overlap],
    );
    // The effect: idempotent, so a re-run after a crash changes nothing (counted to prove it).
    await this.ds.query(
      'INSERT INTO sync_test_effect (job_id, worker) VALUES (?, ?) ON DUPLICATE KEY UPDATE applied = applied',
      [job.id, worker],
    );
    if (p.crash && job.attempts === 1) {
      process.send?.({ event: 'hang', jobId: job.id });
      await new Promise(() => undefined);
    }
    if (p.workMs) await sleep(p.workMs);
    if (p.checkOverlap && job.organizerId !== null && overlap === 0) {
      await this.ds.query(
        'DELETE FROM sync_test_org_running WHERE organizer_id = ? AND job_id = ?',
        [job.organizerId, job.id],
      );
    }
    return { worker };
  }
}

@Module({ providers: [EffectJobHandler] })
class EffectHandlersModule {}

async function main(): Promise<void> {
  const url = process.env.SYNC_TEST_DB_URL;
  if (!url) throw new Error('SYNC_TEST_DB_URL is required');
  const t = await createSyncTestApp({
    database: { type: 'mysql', url },
    clock: null,
    handlers: [EffectHandlersModule],
    requiredTypes: [TEST_EFFECT],
    sync: {
      workerEnabled: true,
      workerConcurrency: Number(process.env.SYNC_TEST_CONCURRENCY ?? 4),
      leaseMs: Number(process.env.SYNC_TEST_LEASE_MS ?? 60_000),
    },
    worker: { pollIntervalMs: 50 },
  });
  process.on('message', (msg: { cmd?: string }) => {
    if (msg?.cmd === 'stop') void t.app.close().then(() => process.exit(0));
  });
  process.send?.({ event: 'ready', workerId: t.app.get(SyncWorker).workerId });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
