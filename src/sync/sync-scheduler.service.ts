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
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from './sync-job-types';
import { SyncQueue } from './sync-queue.service';

export const PERIODIC_SYNC_CRON = 'sync:periodic';
export const SCHEDULER_LOCK = 'webinar-sync-scheduler';

export interface TickResult {
  /** False when another instance held the scheduler lock. */
  ran: boolean;
  enqueued: number;
}

// Every cron of the service lives here. A tick only enqueues: one periodic sync per active organizer
// of each account whose integration is active. Several instances may tick at once: the holder of
// GET_LOCK schedules, organizers that already got a periodic job in this tick's minute are skipped,
// and enqueue dedupe keeps one queued job per organizer.
@Injectable()
export class SyncScheduler
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    private readonly queue: SyncQueue,
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
    this.logger.log(`periodic sync scheduled: "${this.config.sync.cron}" (UTC)`);
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

  private async tickSafely(): Promise<void> {
    try {
      const { ran, enqueued } = await this.tick();
      if (ran) this.logger.log(`periodic sync: ${enqueued} job(s) enqueued`);
    } catch (err) {
      this.logger.error(`periodic sync tick failed: ${describeJobError(err)}`);
    }
  }

  private async enqueuePeriodic(slot: Date): Promise<number> {
    const organizers = await this.activeOrganizers();
    const already = await this.scheduledSince(slot);
    const due = organizers.filter((o) => !already.has(o.id));
    const results = await this.queue.enqueueMany(
      due.map((o) => ({
        type: SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC,
        accountId: o.accountId,
        organizerId: o.id,
        priority: SYNC_PRIORITY.PERIODIC,
      })),
    );
    const enqueued = results.filter((r) => r.created).length;
    return enqueued;
  }

  // Read by table name: the organizers module sits above sync's queue and must not be imported here.
  // An account without a settings row counts as active.
  private async activeOrganizers(): Promise<Array<{ id: number; accountId: number }>> {
    const rows: Array<{ id: number | string; account_id: number | string }> = await this.ds.query(
      `SELECT o.id, o.account_id FROM organizer o
       LEFT JOIN webinar_integration_settings s ON s.account_id = o.account_id
       WHERE o.active = 1 AND (s.account_id IS NULL OR s.active = 1)
       ORDER BY o.id`,
    );
    return rows.map((r) => ({ id: Number(r.id), accountId: Number(r.account_id) }));
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
