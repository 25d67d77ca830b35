import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { describeJobError } from './sync-error-policy';
import { isMysql } from './sync-queue-sql';
import { SyncJobClaimRepository } from './sync-job-claim.repository';
import { Lease, SyncJobLeaseRepository } from './sync-job-lease.repository';
import { SyncJobRunner } from './sync-job-runner.service';
import { SyncJob } from './sync-job.entity';
import { OrganizerBatchContext, runOrganizerBatch } from './sync-organizer-batch';
import { SYNC_PRIORITY } from './sync-job-types';
import { SyncQueue } from './sync-queue.service';

export interface SyncWorkerOptions {
  /** Idle loops look for work this often (±25 %); a local enqueue wakes them at once. */
  pollIntervalMs: number;
  /** On shutdown, jobs in hand get this long to finish or stop before they are released. */
  shutdownGraceMs: number;
}
export const SYNC_WORKER_OPTIONS = Symbol('SYNC_WORKER_OPTIONS');
const DEFAULTS: SyncWorkerOptions = { pollIntervalMs: 1000, shutdownGraceMs: 10_000 };
/**
 * The lowest priority the urgent loop takes: work a person waits on within seconds (webhook events,
 * mailing before-send syncs). Not on-demand: a big on-demand or initial sync would fill it too.
 */
export const URGENT_MIN_PRIORITY = SYNC_PRIORITY.WEBHOOK;

export interface DrainOptions {
  /** Stop after this many attempts (a guard against a handler that re-queues forever). Default 10 000. */
  maxJobs?: number;
  /** With a FakeClock: when nothing is due, jump the clock to the next `run_after` and go on. */
  advanceClock?: boolean;
}

// Claims and runs jobs: WORKER_CONCURRENCY loops per process (one on SQLite, a single writer).
// Shutdown stops claiming, aborts the jobs in hand and releases what has not finished.
@Injectable()
export class SyncWorker
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SyncWorker.name);
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly options: SyncWorkerOptions;
  private readonly shutdown = new AbortController();
  private readonly inHand = new Map<number, { lease: Lease; done: Promise<unknown> }>();
  private readonly wakers = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private lastReclaim = 0;
  private readonly onEnqueued = () => this.wakeAll();

  constructor(
    private readonly claims: SyncJobClaimRepository,
    private readonly leases: SyncJobLeaseRepository,
    private readonly runner: SyncJobRunner,
    private readonly queue: SyncQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
    @Optional() @Inject(SYNC_WORKER_OPTIONS) options?: Partial<SyncWorkerOptions>,
  ) {
    this.options = { ...DEFAULTS, ...(options ?? {}) };
  }

  onApplicationBootstrap(): void {
    if (this.config.sync.workerEnabled) this.start();
  }

  // The earliest shutdown hook: jobs in hand finish or are released while the modules their
  // handlers use (GoTo client, database) are still up.
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * The loops this process runs, by the lowest priority each takes (null: any): WORKER_CONCURRENCY
   * loops, plus the urgent loop on MySQL.
   */
  get lanes(): Array<number | null> {
    const lanes: Array<number | null> = Array.from({ length: this.concurrency }, () => null);
    return isMysql(this.ds) ? [...lanes, URGENT_MIN_PRIORITY] : lanes;
  }

  get concurrency(): number {
    return isMysql(this.ds) ? Math.max(1, this.config.sync.workerConcurrency) : 1;
  }

  start(): void {
    if (this.loops.length > 0 || this.shutdown.signal.aborted) return;
    this.queue.events.on('enqueued', this.onEnqueued);
    // On MySQL one more loop takes only urgent work (webhook events, before-send syncs), so it never
    // waits for the other loops' batches to drain (~13 s while another account's on-demand full
    // sync fills them). It is extra: other work keeps all WORKER_CONCURRENCY loops. (SQLite: one
    // writer, one loop.)
    this.loops = this.lanes.map((minPriority) => this.loop(minPriority ?? undefined));
    // Each job in hand listens to the shutdown signal until it ends.
    setMaxListeners(this.loops.length * this.organizerBatch + 10, this.shutdown.signal);
    this.logger.log({ workerId: this.workerId, loops: this.loops.length }, 'sync worker started');
  }

  /** Stops claiming, aborts jobs in hand, waits up to the grace period, releases what is left. */
  async stop(): Promise<void> {
    if (this.shutdown.signal.aborted) return;
    this.shutdown.abort();
    this.queue.events.off('enqueued', this.onEnqueued);
    this.wakeAll();
    const settled = Promise.allSettled([
      ...this.loops,
      ...[...this.inHand.values()].map((j) => j.done),
    ]);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>(
      (r) => (timer = setTimeout(() => r('timeout'), this.options.shutdownGraceMs)),
    );
    const first = await Promise.race([settled, grace]);
    clearTimeout(timer);
    if (first === 'timeout') {
      for (const { lease } of this.inHand.values()) {
        await this.leases.release(lease, this.clock.now()).catch((err) => {
          this.logger.error(
            { jobId: lease.id, err: describeJobError(err) },
            'could not release a sync job on shutdown',
          );
        });
        this.logger.warn(
          { jobId: lease.id, graceMs: this.options.shutdownGraceMs },
          'sync job did not stop within the shutdown grace: released',
        );
      }
    }
    this.loops = [];
  }

  /** Participant jobs of one organizer run side by side per claim (SYNC_ORGANIZER_BATCH; MySQL). */
  get organizerBatch(): number {
    return isMysql(this.ds) ? Math.max(1, this.config.sync.organizerBatch) : 1;
  }

  /**
   * Reclaims expired leases, then claims a runnable job (with up to SYNC_ORGANIZER_BATCH - 1 more
   * participant jobs of its organizer) and runs them to their outcomes. Returns the number of jobs
   * run: 0 when nothing was runnable.
   */
  async runNext(forceReclaim = false, minPriority?: number): Promise<number> {
    if (this.shutdown.signal.aborted) return 0;
    await this.reclaimExpired(forceReclaim);
    const { leaseMs } = this.config.sync;
    const jobs = await this.claims.claimBatch(
      this.workerId,
      this.clock.now(),
      leaseMs,
      this.organizerBatch,
      minPriority,
    );
    if (jobs.length === 0) return 0;
    const leases = jobs.map((job) => ({
      id: job.id,
      lockedBy: this.workerId,
      attempt: job.attempts,
    }));
    if (this.shutdown.signal.aborted) {
      // Claimed while shutdown began: hand them straight back.
      for (const lease of leases) await this.leases.release(lease, this.clock.now());
      return 0;
    }
    const batch: OrganizerBatchContext = {
      claims: this.claims,
      clock: this.clock,
      leaseMs,
      size: this.organizerBatch,
      shutdown: this.shutdown.signal,
      logger: this.logger,
      runInHand: (job, lease, after) => this.runInHand(job, lease, after),
    };
    return runOrganizerBatch(batch, jobs, leases, minPriority);
  }

  private async runInHand(job: SyncJob, lease: Lease, after?: Promise<unknown>): Promise<void> {
    const done = this.runner.run(job, lease, this.shutdown.signal, after);
    this.inHand.set(job.id, { lease, done });
    try {
      await done;
    } finally {
      this.inHand.delete(job.id);
    }
  }

  /**
   * Runs jobs in this process, one after another, until none is runnable (tests, CLI). With
   * `advanceClock` and a FakeClock, jobs waiting for a later `run_after` (backoff) are run too.
   * Returns the number of attempts made.
   */
  async drainUntilIdle(opts: DrainOptions = {}): Promise<number> {
    const maxJobs = opts.maxJobs ?? 10_000;
    let attempts = 0;
    for (;;) {
      while (attempts < maxJobs) {
        const ran = await this.runNext(true);
        if (ran === 0) break;
        attempts += ran;
      }
      if (attempts >= maxJobs || !opts.advanceClock || !(this.clock instanceof FakeClock))
        return attempts;
      const next = await this.claims.nextRunAfter();
      if (!next || next.getTime() <= this.clock.now().getTime()) return attempts;
      this.clock.set(next);
    }
  }

  private async loop(minPriority?: number): Promise<void> {
    while (!this.shutdown.signal.aborted) {
      let ran = false;
      try {
        ran = (await this.runNext(false, minPriority)) > 0;
      } catch (err) {
        this.logger.error({ err: describeJobError(err) }, 'sync worker loop failed');
      }
      if (!ran) await this.idle(this.options.pollIntervalMs * (0.75 + Math.random() * 0.5));
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.shutdown.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  // Every process reclaims, at most twice per lease period (or always when draining).
  private async reclaimExpired(force: boolean): Promise<void> {
    const { leaseMs, maxAttempts } = this.config.sync;
    if (!force && Date.now() - this.lastReclaim < leaseMs / 2) return;
    this.lastReclaim = Date.now();
    const { requeued, failed } = await this.leases.reclaimExpired(this.clock.now(), maxAttempts);
    if (requeued + failed > 0) {
      this.logger.warn({ requeued, failed }, 'reclaimed sync jobs with expired leases');
      this.wakeAll();
    }
  }
}
