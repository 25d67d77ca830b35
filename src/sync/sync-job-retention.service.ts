import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { describeJobError } from './sync-error-policy';
import { FINISHED_SYNC_JOB_STATUSES } from './sync-job.entity';
import { SyncRetentionTask, SyncRetentionTaskProvider } from './sync-retention-task';

const DAY_MS = 86_400_000;
const BATCH = 500;
const FINISHED = FINISHED_SYNC_JOB_STATUSES;
/** Placeholders for `status IN (…)` bound to FINISHED. */
const FINISHED_IN = FINISHED.map(() => '?').join(', ');

type Row = {
  id: number | string;
  organizer_id: number | string | null;
  webinar_id: number | string | null;
};

// Bounded history: finished sync jobs older than SYNC_JOB_RETENTION_DAYS are deleted in batches of
// 500, except the latest finished job of each organizer (organizer-wide jobs) and of each webinar,
// so every organizer and webinar keeps its last outcome. Queued and running jobs are never
// touched. The scheduler runs it under its named lock, so one instance prunes at a time. Then the
// same pass runs the other modules' retention tasks (@SyncRetentionTaskProvider, e.g. processed
// webhook events) with the same cutoff and batch budget each. A step that fails is logged and the
// next one still runs.
@Injectable()
export class SyncJobRetention implements OnModuleInit {
  private readonly logger = new Logger(SyncJobRetention.name);
  private tasks: SyncRetentionTask[] = [];

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: SyncRetentionTaskProvider.KEY })
      .filter((w) => w.isDependencyTreeStatic() && w.instance)
      .map((w) => w.instance as SyncRetentionTask);
    this.tasks = [...new Set(found)];
  }

  /**
   * Deletes up to `maxBatches` batches of old jobs, then runs each retention task with the same
   * budget; returns the number of rows deleted (jobs and the tasks' rows).
   */
  async prune(maxBatches = 20): Promise<number> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.config.sync.jobRetentionDays * DAY_MS,
    );
    let deleted = await this.step('sync_job', () => this.pruneJobs(cutoff, maxBatches));
    for (const task of this.tasks)
      deleted += await this.step(task.name, () => task.prune(cutoff, maxBatches));
    return deleted;
  }

  /** One step of the pass: a failure is logged and counts as nothing deleted; the next step runs. */
  private async step(task: string, prune: () => Promise<number>): Promise<number> {
    try {
      const n = await prune();
      if (n > 0) this.logger.log({ task, deleted: n }, 'retention: old rows deleted');
      return n;
    } catch (err) {
      this.logger.error({ task, err: describeJobError(err) }, 'retention: task failed');
      return 0;
    }
  }

  private async pruneJobs(cutoff: Date, maxBatches: number): Promise<number> {
    let deleted = 0;
    let batches = 0;
    for (const status of FINISHED) {
      // Walk ix_sync_job_finished (status, finished_at, id) with a cursor, so rows kept as the
      // latest are stepped over instead of being read again.
      let cursor: { at: Date; id: number } | null = null;
      while (batches < maxBatches) {
        batches++;
        const rows = await this.candidates(status, cutoff, cursor);
        if (rows.length === 0) break;
        const last = rows[rows.length - 1];
        cursor = { at: last.finishedAt, id: last.id };
        const kept = await this.latest(rows);
        const ids = rows.map((r) => r.id).filter((id) => !kept.has(id));
        if (ids.length > 0) {
          await this.ds.query(
            `DELETE FROM sync_job WHERE id IN (${ids.map(() => '?').join(',')}) AND status IN (${FINISHED_IN})`,
            [...ids, ...FINISHED],
          );
          deleted += ids.length;
        }
        if (rows.length < BATCH) break;
      }
    }
    return deleted;
  }

  private async candidates(
    status: string,
    cutoff: Date,
    cursor: { at: Date; id: number } | null,
  ): Promise<
    Array<{ id: number; organizerId: number | null; webinarId: number | null; finishedAt: Date }>
  > {
    const qb = this.ds
      .createQueryBuilder()
      .select([
        'j.id AS id',
        'j.organizer_id AS organizer_id',
        'j.webinar_id AS webinar_id',
        'j.finished_at AS finished_at',
      ])
      .from('sync_job', 'j')
      .where('j.status = :status', { status })
      .andWhere('j.finished_at < :cutoff', { cutoff: this.time(cutoff) })
      .orderBy('j.finished_at', 'ASC')
      .addOrderBy('j.id', 'ASC')
      .limit(BATCH);
    if (cursor)
      qb.andWhere('(j.finished_at > :at OR (j.finished_at = :at AND j.id > :id))', {
        at: this.time(cursor.at),
        id: cursor.id,
      });
    const rows = await qb.getRawMany<Row & { finished_at: unknown }>();
    return rows.map((r) => ({
      id: Number(r.id),
      organizerId: r.organizer_id === null ? null : Number(r.organizer_id),
      webinarId: r.webinar_id === null ? null : Number(r.webinar_id),
      finishedAt:
        r.finished_at instanceof Date
          ? r.finished_at
          : new Date(`${String(r.finished_at).replace(' ', 'T')}Z`),
    }));
  }

  /** Of these rows' organizers and webinars, the id of each one's latest finished job. */
  private async latest(
    rows: Array<{ organizerId: number | null; webinarId: number | null }>,
  ): Promise<Set<number>> {
    const kept = new Set<number>();
    const organizers = [
      ...new Set(
        rows
          .filter((r) => r.webinarId === null && r.organizerId !== null)
          .map((r) => r.organizerId!),
      ),
    ];
    const webinars = [
      ...new Set(rows.filter((r) => r.webinarId !== null).map((r) => r.webinarId!)),
    ];
    const q = async (column: string, ids: number[], extra: string) => {
      if (ids.length === 0) return;
      const found: Array<{ id: number | string }> = await this.ds.query(
        `SELECT MAX(id) AS id FROM sync_job
         WHERE ${column} IN (${ids.map(() => '?').join(',')}) ${extra} AND status IN (${FINISHED_IN})
         GROUP BY ${column}`,
        [...ids, ...FINISHED],
      );
      for (const f of found) kept.add(Number(f.id));
    };
    await q('organizer_id', organizers, 'AND webinar_id IS NULL');
    await q('webinar_id', webinars, '');
    return kept;
  }

  /** SQLite keeps DATETIME as UTC text and binds no Date; mysql2 binds a Date. */
  private time(d: Date): Date | string {
    return this.ds.options.type === 'better-sqlite3'
      ? d.toISOString().replace('T', ' ').replace('Z', '')
      : d;
  }
}
