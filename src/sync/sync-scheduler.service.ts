import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { withNamedLock } from '../database/named-lock';
import { describeJobError } from './sync-error-policy';
import { SyncJob } from './sync-job.entity';
import { PeriodicSyncPlanner } from './periodic-planner.service';
import { SyncJobRetention } from './sync-job-retention.service';
import { SYNC_JOB_TYPES } from './sync-job-types';
import { SyncQueue } from './sync-queue.service';

export const PERIODIC_SYNC_CRON = 'sync:periodic';
export const SCHEDULER_LOCK = 'webinar-sync-scheduler';

export interface TickResult {
  /** False when another instance held the scheduler lock. */
  ran: boolean;
  enqueued: number;
}

export interface PruneResult {
  ran: boolean;
  deleted: number;
}

// Every cron of the service lives here. A tick only enqueues what the adaptive schedule says is due
// (PeriodicSyncPlanner: an organizer_periodic_sync where the webinar list is due, otherwise the
// participant syncs that are due), then prunes old finished jobs. Several instances may tick at
// once: the holder of GET_LOCK schedules, organizers that already got a periodic job in this
// tick's minute are skipped, and enqueue dedupe keeps one queued job per target.
@Injectable()
export class SyncScheduler
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    private readonly queue: SyncQueue,
    private readonly planner: PeriodicSyncPlanner,
    private readonly retention: SyncJobRetention,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.sync.schedulerEnabled) return;
    const job = CronJob.from({
      cronTime: this.config.sync.cron,
      onTick: () => void this.tickSafely(),
      timeZone: 'UTC',
      start: false,
    });
    this.registry.addCronJob(PERIODIC_SYNC_CRON, job);
    job.start();
    this.logger.log({ cron: this.config.sync.cron }, 'periodic sync scheduled (UTC)');
  }

  onModuleDestroy(): void {
    this.beforeApplicationShutdown();
  }

  beforeApplicationShutdown(): void {
    if (this.registry.doesExist('cron', PERIODIC_SYNC_CRON))
      this.registry.deleteCronJob(PERIODIC_SYNC_CRON);
  }

  /** One scheduling round (the cron calls it; tests call it directly). */
  async tick(): Promise<TickResult> {
    const slot = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000);
    const outcome = await withNamedLock(this.ds, SCHEDULER_LOCK, 0, () =>
      this.enqueuePeriodic(slot),
    );
    return outcome.ran ? { ran: true, enqueued: outcome.value } : { ran: false, enqueued: 0 };
  }

  /** Deletes old finished jobs (SyncJobRetention) under the scheduler's lock: one instance at a time. */
  async pruneHistory(): Promise<PruneResult> {
    const outcome = await withNamedLock(this.ds, SCHEDULER_LOCK, 0, () => this.retention.prune());
    return outcome.ran ? { ran: true, deleted: outcome.value } : { ran: false, deleted: 0 };
  }

  private async tickSafely(): Promise<void> {
    try {
      const { ran, enqueued } = await this.tick();
      if (ran) this.logger.log({ enqueued }, 'periodic sync: jobs enqueued');
      const pruned = await this.pruneHistory();
      if (pruned.deleted > 0) this.logger.log({ deleted: pruned.deleted }, 'old sync jobs pruned');
    } catch (err) {
      this.logger.error({ err: describeJobError(err) }, 'periodic sync tick failed');
    }
  }

  private async enqueuePeriodic(slot: Date): Promise<number> {
    const plan = await this.planner.plan(await this.scheduledSince(slot));
    const results = await this.queue.enqueueMany(plan.requests);
    const enqueued = results.filter((r) => r.created).length;
    this.logger.debug(
      { organizerSyncs: plan.organizerSyncs, participantSyncs: plan.participantSyncs, enqueued },
      'periodic plan',
    );
    return enqueued;
  }

  /** Organizers that already got a periodic job in this tick (e.g. from another instance). */
  private async scheduledSince(slot: Date): Promise<Set<number>> {
    const rows = await this.ds
      .getRepository(SyncJob)
      .createQueryBuilder('j')
      .select('DISTINCT j.organizer_id', 'organizerId')
      .where('j.type = :type', { type: SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC })
      .andWhere('j.created_at >= :slot', { slot })
      .getRawMany<{ organizerId: number | string | null }>();
    return new Set(rows.filter((r) => r.organizerId !== null).map((r) => Number(r.organizerId)));
  }
}
