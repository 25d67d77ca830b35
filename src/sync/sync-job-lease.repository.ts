import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { floorToSecond } from '../database/datetime';
import { retryOnLockConflict } from '../database/db-errors';
import { leaseEnd } from './sync-queue-sql';
import { SyncJob } from './sync-job.entity';

/** Who holds a running job: the worker and the attempt it claimed (a reclaim makes a new one). */
export interface Lease {
  id: number;
  lockedBy: string;
  attempt: number;
}

// A running job's lease after its claim (SyncJobClaimRepository): heartbeat, progress, outcome,
// release, and the reclaim of leases whose worker stopped. Every write to a running job is
// conditional on its lease (id + status + locked_by + attempts), so a worker that lost its lease
// (its job was reclaimed after it stalled) can no longer change the job.
@Injectable()
export class SyncJobLeaseRepository {
  constructor(@InjectRepository(SyncJob) private readonly jobs: Repository<SyncJob>) {}

  heartbeat(lease: Lease, now: Date, leaseMs: number): Promise<boolean> {
    return this.updateOwned(lease, { leaseUntil: leaseEnd(now, leaseMs) });
  }

  saveProgress(lease: Lease, progress: Record<string, unknown>): Promise<boolean> {
    return this.updateOwned(lease, { progress } as QueryDeepPartialEntity<SyncJob>);
  }

  complete(lease: Lease, now: Date, result: Record<string, unknown> | null): Promise<boolean> {
    return this.updateOwned(lease, {
      ...finished(now),
      status: 'succeeded',
      result,
      lastError: null,
    } as QueryDeepPartialEntity<SyncJob>);
  }

  fail(lease: Lease, now: Date, error: string): Promise<boolean> {
    return this.updateOwned(lease, { ...finished(now), status: 'failed', lastError: error });
  }

  /** Back to the queue after a failed attempt; runs again at `runAfter`. */
  retry(lease: Lease, runAfter: Date, error: string): Promise<boolean> {
    return this.updateOwned(lease, { ...requeued(runAfter), lastError: error });
  }

  /** Back to the queue at once, the attempt not counted (graceful shutdown). */
  release(lease: Lease, now: Date): Promise<boolean> {
    return this.updateOwned(lease, { ...requeued(now), attempts: () => 'attempts - 1' });
  }

  /**
   * Jobs whose worker stopped heartbeating (crashed, killed, partitioned): back to the queue, or
   * `failed` when they already used every attempt (the attempt was counted when it was claimed).
   */
  async reclaimExpired(
    now: Date,
    maxAttempts: number,
  ): Promise<{ requeued: number; failed: number }> {
    // Find them without locks, then change each by primary key (re-checking the expiry): a locking
    // range scan here would deadlock with concurrent claims on InnoDB.
    const expired = await this.jobs
      .createQueryBuilder('j')
      .select(['j.id', 'j.attempts'])
      .where('j.status = :running AND j.lease_until < :now', { running: 'running', now })
      .getMany();
    let requeuedCount = 0;
    let failedCount = 0;
    for (const job of expired) {
      const last = job.attempts >= maxAttempts;
      const set: QueryDeepPartialEntity<SyncJob> = last
        ? {
            ...finished(now),
            status: 'failed',
            lastError: 'lease expired: the worker stopped (last attempt)',
          }
        : { ...requeued(floorToSecond(now)), lastError: 'lease expired: the worker stopped' };
      const res = await retryOnLockConflict(() =>
        this.jobs
          .createQueryBuilder()
          .update(SyncJob)
          .set(set)
          .where('id = :id AND status = :running AND lease_until < :now AND attempts = :attempts', {
            id: job.id,
            running: 'running',
            now,
            attempts: job.attempts,
          })
          .execute(),
      );
      if (res.affected === 1) {
        if (last) failedCount++;
        else requeuedCount++;
      }
    }
    return { requeued: requeuedCount, failed: failedCount };
  }

  private async updateOwned(lease: Lease, set: QueryDeepPartialEntity<SyncJob>): Promise<boolean> {
    const res = await retryOnLockConflict(() =>
      this.jobs
        .createQueryBuilder()
        .update(SyncJob)
        .set(set)
        .where('id = :id AND status = :running AND locked_by = :lockedBy AND attempts = :attempt', {
          ...lease,
          running: 'running',
        })
        .execute(),
    );
    return res.affected === 1;
  }
}

const finished = (now: Date) => ({
  activeKey: null,
  runningOrganizerId: null,
  leaseUntil: null,
  finishedAt: now,
});

const requeued = (runAfter: Date) => ({
  status: 'queued' as const,
  runningOrganizerId: null,
  lockedBy: null,
  leaseUntil: null,
  runAfter,
});
