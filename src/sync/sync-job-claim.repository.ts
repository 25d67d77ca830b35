import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { isUniqueViolation, retryOnLockConflict } from '../database/db-errors';
import { isMysql, leaseEnd } from './sync-queue-sql';
import { SyncJob } from './sync-job.entity';
import { claimBeside, ClaimedJob } from './sync-job-batch-claim';
import { Lease } from './sync-job-lease.repository';
import { ORGANIZER_BATCH_TYPES } from './sync-job-types';

const CANDIDATES = 10;

// The worker's way into the queue: which queued job runs next, claimed under a lease (attempt
// counted, organizer held), alone or with participant jobs of its organizer beside it. What happens
// to a running job after that is SyncJobLeaseRepository's.
@Injectable()
export class SyncJobClaimRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectRepository(SyncJob) private readonly jobs: Repository<SyncJob>,
  ) {}

  /**
   * Claims the most urgent runnable job: queued, due, highest priority then oldest, and no other job
   * of its organizer running. Counts the attempt and sets the lease. Returns null when none is free.
   *
   * MySQL/MariaDB: the candidates are read without locks (InnoDB would lock every row a sorted
   * `FOR UPDATE` scans, not just the LIMIT), then locked one by one by primary key with
   * `FOR UPDATE SKIP LOCKED` in a short READ COMMITTED transaction, so concurrent claimers take
   * disjoint rows without waiting for each other.
   * SQLite: one writer at a time; the conditional UPDATE is atomic. On both, the unique
   * `running_organizer_id` makes a second running job of the same organizer impossible.
   */
  async claim(workerId: string, now: Date, leaseMs: number): Promise<SyncJob | null> {
    return (await this.claimBatch(workerId, now, leaseMs, 1))[0] ?? null;
  }

  /**
   * `claim`, and when the job claimed is of an ORGANIZER_BATCH_TYPES type, up to `size - 1` more
   * runnable jobs of that type and organizer in the same transaction (MySQL only). The first job
   * holds the organizer (`running_organizer_id`); the others run with it NULL and lean on it: the
   * caller must not finish the first before the others (SyncWorker), so no other worker can take
   * the organizer meanwhile. Returns [] when nothing is free.
   */
  /** `minPriority`: only jobs at or above it (the worker's lane kept for urgent work). */
  async claimBatch(
    workerId: string,
    now: Date,
    leaseMs: number,
    size: number,
    minPriority?: number,
  ): Promise<SyncJob[]> {
    const candidates = await this.candidates(now, minPriority);
    if (candidates.length === 0) return [];
    const ids = isMysql(this.ds)
      ? await retryOnLockConflict(() =>
          this.claimLocked(candidates, workerId, now, leaseMs, Math.max(1, size), minPriority),
        )
      : [await this.claimAmong(this.ds.manager, candidates, workerId, now, leaseMs)].filter(
          (id): id is number => id !== null,
        );
    return this.readJobs(ids);
  }

  /** The jobs, in the order of `ids`. */
  private async readJobs(ids: number[]): Promise<SyncJob[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.jobs.findBy({ id: In(ids) })).map((j) => [j.id, j]));
    return ids.map((id) => byId.get(id)).filter((j): j is SyncJob => j !== undefined);
  }

  /**
   * Up to `limit` more jobs beside a holder of claimBatch that is still running under `holder`'s
   * lease (checked and share-locked in the same transaction, so a holder whose lease was
   * reclaimed gets nothing). MySQL only; [] elsewhere.
   */
  async claimMoreBeside(
    holder: Lease,
    job: Pick<SyncJob, 'organizerId' | 'type' | 'priority'>,
    now: Date,
    leaseMs: number,
    limit: number,
    minPriority?: number,
  ): Promise<SyncJob[]> {
    if (limit <= 0 || job.organizerId === null || !ORGANIZER_BATCH_TYPES.has(job.type)) return [];
    if (!isMysql(this.ds)) return [];
    // Higher-priority work waits (a mailing's before-send sync): only jobs above this batch's
    // priority join it (such a job of this very organizer, which no other loop can start while we
    // hold it); the rest of the batch drains, so that the loop's next claim takes the waiting work.
    const above = (await this.higherPriorityWaiting(job.priority, now)) ? job.priority + 1 : null;
    const floor = above === null ? minPriority : Math.max(above, minPriority ?? above);
    const ids = await retryOnLockConflict(() =>
      this.ds.transaction('READ COMMITTED', async (m) => {
        const held = await m
          .createQueryBuilder(SyncJob, 'j')
          .select(['j.id'])
          .where(
            'j.id = :id AND j.status = :running AND j.locked_by = :lockedBy AND j.attempts = :attempt AND j.running_organizer_id = :organizerId',
            { ...holder, running: 'running', organizerId: job.organizerId },
          )
          .setLock('pessimistic_read')
          .getOne();
        if (!held) return [];
        const candidate = { id: holder.id, organizerId: job.organizerId, type: job.type };
        return claimBeside(m, candidate, holder.lockedBy, now, leaseMs, limit, floor);
      }),
    );
    return this.readJobs(ids);
  }

  /** Whether a queued, due job of a higher priority than `priority` waits (ix_sync_job_claim). */
  private async higherPriorityWaiting(priority: number, now: Date): Promise<boolean> {
    const waiting = await this.ds
      .createQueryBuilder(SyncJob, 'j')
      .select(['j.id'])
      .where('j.status = :queued AND j.run_after <= :now AND j.priority > :priority', {
        queued: 'queued',
        now,
        priority,
      })
      .limit(1)
      .getOne();
    return waiting !== null;
  }

  /** The earliest `run_after` of a queued job (lets a test with a fake clock jump to it). */
  async nextRunAfter(): Promise<Date | null> {
    const row = await this.jobs
      .createQueryBuilder('j')
      .select('j.runAfter', 'runAfter')
      .where('j.status = :queued', { queued: 'queued' })
      .orderBy('j.run_after', 'ASC')
      .limit(1)
      .getRawOne<{ runAfter: Date | string }>();
    if (!row) return null;
    const v = row.runAfter;
    return v instanceof Date
      ? v
      : new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
  }

  private async candidates(now: Date, minPriority?: number): Promise<ClaimedJob[]> {
    const query = this.jobs
      .createQueryBuilder('j')
      .select(['j.id', 'j.organizerId', 'j.type'])
      .where('j.status = :queued', { queued: 'queued' })
      .andWhere('j.run_after <= :now', { now });
    if (minPriority !== undefined) query.andWhere('j.priority >= :minPriority', { minPriority });
    const rows = await query
      .andWhere(
        '(j.organizer_id IS NULL OR NOT EXISTS (SELECT 1 FROM sync_job r WHERE r.running_organizer_id = j.organizer_id))',
      )
      .orderBy('j.priority', 'DESC')
      .addOrderBy('j.id', 'ASC')
      .limit(CANDIDATES)
      .getMany();
    // Only the first job of an organizer can run now; the others wait for it.
    const seen = new Set<number>();
    return rows.filter(
      (r) => r.organizerId === null || (!seen.has(r.organizerId) && seen.add(r.organizerId)),
    );
  }

  private async claimLocked(
    candidates: ClaimedJob[],
    workerId: string,
    now: Date,
    leaseMs: number,
    size: number,
    minPriority?: number,
  ): Promise<number[]> {
    const qr = this.ds.createQueryRunner();
    try {
      await qr.connect();
      await qr.startTransaction('READ COMMITTED');
      const ids: number[] = [];
      // One primary-key lock at a time, in priority order: a row another claimer holds is skipped,
      // not waited for, and we lock only the row we take (plus any whose organizer turned out busy).
      for (const candidate of candidates) {
        const locked = await qr.manager
          .createQueryBuilder(SyncJob, 'j')
          .select(['j.id'])
          .where('j.id = :id AND j.status = :queued AND j.run_after <= :now', {
            id: candidate.id,
            queued: 'queued',
            now,
          })
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getOne();
        if (!locked) continue;
        const id = await this.claimAmong(qr.manager, [candidate], workerId, now, leaseMs);
        if (id === null) continue;
        ids.push(id);
        if (size > 1 && candidate.organizerId !== null && ORGANIZER_BATCH_TYPES.has(candidate.type))
          ids.push(
            ...(await claimBeside(
              qr.manager,
              candidate,
              workerId,
              now,
              leaseMs,
              size - 1,
              minPriority,
            )),
          );
        break;
      }
      await qr.commitTransaction();
      return ids;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw err;
    } finally {
      await qr.release();
    }
  }

  private async claimAmong(
    manager: EntityManager,
    candidates: Array<Pick<SyncJob, 'id'>>,
    workerId: string,
    now: Date,
    leaseMs: number,
  ): Promise<number | null> {
    for (const { id } of candidates) {
      try {
        const res = await manager
          .createQueryBuilder()
          .update(SyncJob)
          .set({
            status: 'running',
            runningOrganizerId: () => 'organizer_id',
            attempts: () => 'attempts + 1',
            lockedBy: workerId,
            leaseUntil: leaseEnd(now, leaseMs),
            startedAt: now,
          })
          .where('id = :id AND status = :queued AND run_after <= :now', {
            id,
            queued: 'queued',
            now,
          })
          .execute();
        if (res.affected === 1) return id;
      } catch (err) {
        // Another worker started a job of the same organizer meanwhile: try the next candidate.
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return null;
  }
}
