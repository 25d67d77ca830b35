import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { describeJobError } from './sync-error-policy';
import { SyncJobClaimRepository } from './sync-job-claim.repository';
import { Lease } from './sync-job-lease.repository';
import { SyncJob } from './sync-job.entity';

/** How long a worker loop keeps refilling one organizer's batch before claiming afresh. */
const ORGANIZER_HOLD_MS = 10_000;

/** What a worker loop lends the batch it claimed. */
export interface OrganizerBatchContext {
  claims: SyncJobClaimRepository;
  clock: Clock;
  leaseMs: number;
  /** SYNC_ORGANIZER_BATCH: jobs of the organizer run side by side, the holder included. */
  size: number;
  /** The worker's shutdown: no more refills once it is aborted. */
  shutdown: AbortSignal;
  logger: Logger;
  /** Runs one job to its outcome, written only once `after` has settled. */
  runInHand(job: SyncJob, lease: Lease, after?: Promise<unknown>): Promise<void>;
}

/**
 * Runs a batch claimed by SyncJobClaimRepository.claimBatch: the first job holds the organizer
 * (running_organizer_id) and writes its outcome only after the jobs beside it have written theirs,
 * so no other worker takes the organizer meanwhile. Returns the number of jobs run.
 */
export async function runOrganizerBatch(
  ctx: OrganizerBatchContext,
  jobs: SyncJob[],
  leases: Lease[],
  minPriority?: number,
): Promise<number> {
  const beside = runBeside(ctx, jobs[0], leases[0], jobs.slice(1), leases.slice(1), minPriority);
  await ctx.runInHand(jobs[0], leases[0], beside);
  return 1 + (await beside);
}

/**
 * Runs the jobs claimed beside a holder and, as each finishes, claims the organizer's next ones
 * (up to SYNC_ORGANIZER_BATCH - 1 at a time) until none is left, shutdown begins or the holder has
 * held the organizer for ORGANIZER_HOLD_MS (then other work gets its turn at the next claim).
 * Returns the number of jobs run.
 */
async function runBeside(
  ctx: OrganizerBatchContext,
  holder: SyncJob,
  holderLease: Lease,
  jobs: SyncJob[],
  leases: Lease[],
  minPriority?: number,
): Promise<number> {
  const running = new Set<Promise<void>>();
  let ran = 0;
  const start = (job: SyncJob, lease: Lease) => {
    ran++;
    const done: Promise<void> = ctx
      .runInHand(job, lease)
      .catch((err: unknown) =>
        ctx.logger.error(
          { jobId: job.id, holderJobId: holder.id, err: describeJobError(err) },
          'sync job beside a holder failed',
        ),
      )
      .finally(() => running.delete(done));
    running.add(done);
  };
  jobs.forEach((job, i) => start(job, leases[i]));
  const until = Date.now() + ORGANIZER_HOLD_MS;
  while (running.size > 0) {
    await Promise.race(running);
    if (ctx.shutdown.aborted || Date.now() > until) continue;
    const more = await ctx.claims
      .claimMoreBeside(
        holderLease,
        holder,
        ctx.clock.now(),
        ctx.leaseMs,
        ctx.size - 1 - running.size,
        minPriority,
      )
      .catch((err: unknown) => {
        ctx.logger.warn(
          { holderJobId: holder.id, err: describeJobError(err) },
          'claiming more jobs beside a holder failed',
        );
        return [];
      });
    for (const job of more)
      start(job, { id: job.id, lockedBy: holderLease.lockedBy, attempt: job.attempts });
  }
  return ran;
}
