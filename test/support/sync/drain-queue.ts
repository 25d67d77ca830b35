import { INestApplicationContext } from '@nestjs/common';
import { DrainOptions, SyncWorker } from '../../../src/sync/sync-worker.service';

export type { DrainOptions };

/**
 * Runs the sync worker in-process until no job is runnable (works with WORKER_ENABLED=false, the
 * test default), so no test sleeps. Jobs waiting for a later `run_after` (backoff) run once a
 * FakeClock is advanced, or at once with `{ advanceClock: true }`. Returns the attempts made.
 */
export function drainQueue(app: INestApplicationContext, opts: DrainOptions = {}): Promise<number> {
  return app.get(SyncWorker, { strict: false }).drainUntilIdle(opts);
}
