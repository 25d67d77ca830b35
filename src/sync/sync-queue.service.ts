import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../common/clock';
import { floorToSecond } from '../database/datetime';
import { isLockConflict, isUniqueViolation, retryOnLockConflict } from '../database/db-errors';
import { SyncJob, SyncJobStatus } from './sync-job.entity';
import { SyncJobType } from './sync-job-types';

export interface EnqueueRequest {
  type: SyncJobType;
  accountId: number;
  organizerId?: number | null;
  webinarId?: number | null;
  /** SYNC_PRIORITY.*; higher runs first. Default 0 (periodic). */
  priority?: number;
  payload?: Record<string, unknown>;
  /** Not before this time (default: now). */
  runAfter?: Date;
}

export interface ListSyncJobsFilter {
  status?: SyncJobStatus;
  organizerId?: number;
  page: number;
  pageSize: number;
}

export const isFinished = (job: SyncJob): boolean =>
  job.status === 'succeeded' || job.status === 'failed';

const POLL_MS = 250;

// The queue's public face: enqueue (with dedupe), read, wait. Depends on the database only, so any
// feature module may import SyncQueueModule to queue work without a cycle.
@Injectable()
export class SyncQueue {
  private readonly logger = new Logger(SyncQueue.name);
  /** In-process notifications: 'enqueued' wakes idle local workers, 'changed' wakes local waiters. */
  readonly events = new EventEmitter().setMaxListeners(0);

  constructor(
    @InjectRepository(SyncJob) private readonly jobs: Repository<SyncJob>,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues a job, or returns the queued/running job of the same type and target (the `active_key`
   * is unique while a job is active). A queued duplicate with a lower priority gets the higher one.
   */
  async enqueue(req: EnqueueRequest): Promise<SyncJob> {
    return (await this.enqueueWithOutcome(req)).job;
  }

  /** enqueue, also telling whether the job is new (false: an active duplicate was returned). */
  async enqueueWithOutcome(req: EnqueueRequest): Promise<{ job: SyncJob; created: boolean }> {
    const activeKey = activeKeyOf(req);
    const priority = req.priority ?? 0;
    for (let i = 0; i < 5; i++) {
      const existing = await this.jobs.findOneBy({ activeKey });
      if (existing) return { job: await this.raisePriority(existing, priority), created: false };
      try {
        const now = this.clock.now();
        const row: Partial<SyncJob> = {
          accountId: req.accountId,
          organizerId: req.organizerId ?? null,
          webinarId: req.webinarId ?? null,
          type: req.type,
          priority,
          status: 'queued',
          activeKey,
          attempts: 0,
          runAfter: floorToSecond(req.runAfter ?? now),
          payload: req.payload ?? null,
          createdAt: now,
        };
        const inserted = await this.jobs.insert(row as QueryDeepPartialEntity<SyncJob>);
        const job = await this.jobs.findOneByOrFail({ id: Number(inserted.identifiers[0].id) });
        this.logger.debug(
          `enqueued job ${job.id} ${job.type} (account ${job.accountId}, organizer ${job.organizerId ?? '-'})`,
        );
        this.events.emit('enqueued', job);
        return { job, created: true };
      } catch (err) {
        // Someone else enqueued the same target between our read and insert: read theirs.
        // (An InnoDB deadlock on the unique key is retried the same way.)
        if (!isUniqueViolation(err) && !isLockConflict(err)) throw err;
      }
    }
    throw new Error(`could not enqueue ${activeKey}: the active job kept changing`);
  }

  findById(id: number): Promise<SyncJob | null> {
    return this.jobs.findOneBy({ id });
  }

  findForAccount(accountId: number, id: number): Promise<SyncJob | null> {
    return this.jobs.findOneBy({ id, accountId });
  }

  async listForAccount(
    accountId: number,
    filter: ListSyncJobsFilter,
  ): Promise<{ items: SyncJob[]; total: number }> {
    const where: FindOptionsWhere<SyncJob> = { accountId };
    if (filter.status) where.status = filter.status;
    if (filter.organizerId !== undefined) where.organizerId = filter.organizerId;
    const [items, total] = await this.jobs.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }

  /**
   * Waits until every job has finished or the deadline passes, polling the database (the jobs may run
   * in another instance); returns their state then, in the order of `ids`. The deadline is read on the
   * injected clock and turned into a real-time budget, so a frozen test clock cannot hang it.
   */
  async waitForJobs(ids: number[], deadline: Date): Promise<SyncJob[]> {
    const until = Date.now() + Math.max(0, deadline.getTime() - this.clock.now().getTime());
    for (;;) {
      const rows = ids.length === 0 ? [] : await this.jobs.findBy({ id: In(ids) });
      const byId = new Map(rows.map((j) => [j.id, j]));
      const jobs = ids.map((id) => byId.get(id)).filter((j): j is SyncJob => j !== undefined);
      const remaining = until - Date.now();
      if (jobs.every(isFinished) || remaining <= 0) return jobs;
      await this.nextChange(Math.min(POLL_MS, remaining));
    }
  }

  /** Called by the worker when a job changed state in this process. */
  notifyChanged(job: SyncJob | { id: number }): void {
    this.events.emit('changed', job);
  }

  private nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off('changed', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.on('changed', done);
    });
  }

  private async raisePriority(existing: SyncJob, priority: number): Promise<SyncJob> {
    if (existing.status !== 'queued' || existing.priority >= priority) return existing;
    await retryOnLockConflict(() =>
      this.jobs
        .createQueryBuilder()
        .update(SyncJob)
        .set({ priority })
        .where('id = :id AND status = :queued AND priority < :priority', {
          id: existing.id,
          queued: 'queued',
          priority,
        })
        .execute(),
    );
    return (await this.jobs.findOneBy({ id: existing.id })) ?? existing;
  }
}

/** One active job per (type, account, organizer, webinar). */
export function activeKeyOf(
  req: Pick<EnqueueRequest, 'type' | 'accountId' | 'organizerId' | 'webinarId'>,
): string {
  return [req.type, req.accountId, req.organizerId ?? '-', req.webinarId ?? '-'].join(':');
}
