import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../common/clock';
import { floorToSecond } from '../database/datetime';
import { chunks } from '../common/chunks';
import { isLockConflict, isUniqueViolation, retryOnLockConflict } from '../database/db-errors';
import { IN_CHUNK, raiseQueuedPriorities, raiseQueuedPriority } from './sync-job-priority';
import { FINISHED_SYNC_JOB_STATUSES, SyncJob, SyncJobStatus } from './sync-job.entity';
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
  /** Replaces the (type, target) dedupe key, e.g. one job per webhook event. */
  dedupeKey?: string;
}

export interface ListSyncJobsFilter {
  status?: SyncJobStatus;
  organizerId?: number;
  page: number;
  pageSize: number;
}

export const isFinished = (job: SyncJob): boolean =>
  (FINISHED_SYNC_JOB_STATUSES as readonly string[]).includes(job.status);

const POLL_MS = 250;
/** Rows per multi-row INSERT (about 11 bound values each: well under SQLite's variable limit). */
const INSERT_CHUNK = 50;

// The queue's public face: enqueue (with dedupe), read, wait. Depends on the database only. Feature
// modules go through SyncRequestsService (job types, priorities, skip rules), which uses it.
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
      if (existing)
        return { job: await raiseQueuedPriority(this.jobs, existing, priority), created: false };
      try {
        const row = newJobRow(req, activeKey, priority, this.clock.now());
        const inserted = await this.jobs.insert(row);
        const job = await this.jobs.findOneByOrFail({ id: Number(inserted.identifiers[0].id) });
        this.logger.debug(
          {
            jobId: job.id,
            type: job.type,
            accountId: job.accountId,
            organizerId: job.organizerId,
            webinarId: job.webinarId,
          },
          'sync job enqueued',
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

  /**
   * enqueue for many jobs at once, set-based: one read of the active jobs per 500 keys, a multi-row
   * insert-or-ignore on the unique `active_key` per 50 new jobs, one read-back per 500 keys, and one
   * UPDATE per distinct priority to raise queued duplicates. Same dedupe as `enqueue`: an active job of
   * the same type and target is returned instead (requests for the same target within the batch share
   * one job, with the highest priority asked for), and a queued one with a lower priority is raised.
   * Results are in the order of `reqs`. `created` is false for a job that was already active when we
   * looked; a job another instance inserts during the call may also be reported as created.
   */
  async enqueueMany(reqs: EnqueueRequest[]): Promise<Array<{ job: SyncJob; created: boolean }>> {
    const wanted = new Map<string, EnqueueRequest & { priority: number }>();
    for (const req of reqs) {
      const key = activeKeyOf(req);
      const priority = req.priority ?? 0;
      const seen = wanted.get(key);
      if (!seen) wanted.set(key, { ...req, priority });
      else if (priority > seen.priority) seen.priority = priority;
    }
    const found = new Map<string, { job: SyncJob; created: boolean }>();
    let pending = [...wanted.keys()];
    for (let i = 0; i < 5 && pending.length > 0; i++) {
      for (const job of await this.findActive(pending))
        found.set(job.activeKey as string, { job, created: false });
      const missing = pending.filter((k) => !found.has(k));
      pending = missing;
      if (missing.length === 0) break;
      const now = this.clock.now();
      for (const keys of chunks(missing, INSERT_CHUNK)) {
        const rows = keys.map((activeKey) => {
          const req = wanted.get(activeKey)!;
          return newJobRow(req, activeKey, req.priority, now);
        });
        // A key taken meanwhile (another instance) is skipped, not an error; it is read back below.
        await retryOnLockConflict(() =>
          this.jobs
            .createQueryBuilder()
            .insert()
            .into(SyncJob)
            .values(rows)
            .orIgnore()
            .updateEntity(false)
            .execute(),
        );
      }
      for (const job of await this.findActive(missing)) {
        found.set(job.activeKey as string, { job, created: true });
        this.events.emit('enqueued', job);
      }
      // A key still missing: its job ended between our insert and the read-back; try again.
      pending = missing.filter((k) => !found.has(k));
    }
    if (pending.length > 0)
      throw new Error(`could not enqueue ${pending[0]}: the active job kept changing`);

    await raiseQueuedPriorities(
      this.jobs,
      [...found.entries()].map(([key, r]) => ({ job: r.job, priority: wanted.get(key)!.priority })),
    );
    const created = [...found.values()].filter((r) => r.created).length;
    if (created > 0) this.logger.debug({ created }, 'sync jobs enqueued in one batch');
    return reqs.map((req) => found.get(activeKeyOf(req))!);
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

  private async findActive(keys: string[]): Promise<SyncJob[]> {
    const out: SyncJob[] = [];
    for (const part of chunks(keys, IN_CHUNK))
      out.push(...(await this.jobs.findBy({ activeKey: In(part) })));
    return out;
  }
}

/** One active job per (type, account, organizer, webinar). */
export function activeKeyOf(
  req: Pick<EnqueueRequest, 'type' | 'accountId' | 'organizerId' | 'webinarId' | 'dedupeKey'>,
): string {
  if (req.dedupeKey !== undefined) return `${req.type}:${req.dedupeKey}`;
  return [req.type, req.accountId, req.organizerId ?? '-', req.webinarId ?? '-'].join(':');
}

/** The row of a new queued job. */
function newJobRow(
  req: EnqueueRequest,
  activeKey: string,
  priority: number,
  now: Date,
): QueryDeepPartialEntity<SyncJob> {
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
  return row as QueryDeepPartialEntity<SyncJob>;
}
