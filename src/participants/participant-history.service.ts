import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, In, LessThan } from 'typeorm';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import { floorToSecond } from '../database/datetime';
import { WebinarsService } from '../webinars/webinars.service';
import { CHANGE_KINDS, ChangeKind, hasChanges, ParticipantChanges } from './participant-changes';
import {
  CHANGE_SOURCES,
  ChangeSource,
  ParticipantSyncChange,
} from './participant-sync-change.entity';

const DAY_MS = 86_400_000;
/** The history's own pruning runs at most this often per process (on a write). */
const PRUNE_EVERY_MS = 3_600_000;

export class ChangeCountDto {
  @ApiProperty() count: number;
  @ApiProperty({ type: [String], description: 'A few of the emails concerned' }) samples: string[];
}

export class SyncHistoryEntryDto {
  @ApiProperty() id: number;
  @ApiProperty() syncedAt: string;
  @ApiProperty({ type: Number, nullable: true }) jobId: number | null;
  @ApiProperty({
    enum: CHANGE_SOURCES,
    description: 'sync: a participant sync; webhook: the webhook events of one processed batch',
  })
  source: ChangeSource;
  @ApiProperty({ type: ChangeCountDto }) added: ChangeCountDto;
  @ApiProperty({ type: ChangeCountDto }) cancelled: ChangeCountDto;
  @ApiProperty({ type: ChangeCountDto, description: 'Became attended' }) attended: ChangeCountDto;
  @ApiProperty({ type: ChangeCountDto, description: 'Other registration status changes' })
  statusChanged: ChangeCountDto;
}

export class SyncHistoryPageDto {
  @ApiProperty({ type: [SyncHistoryEntryDto] }) items: SyncHistoryEntryDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

// The change record of each participant sync (and of each processed batch of webhook events, per
// webinar): written when it changed something,
// listed newest first, kept SYNC_JOB_RETENTION_DAYS.
@Injectable()
export class ParticipantHistoryService {
  private readonly logger = new Logger(ParticipantHistoryService.name);
  private lastPrune = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly webinars: WebinarsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores the change record of one sync, or of one batch of webhook events for one webinar
   * (nothing when nothing changed).
   */
  async record(
    accountId: number,
    webinarId: number,
    jobId: number | null,
    changes: ParticipantChanges,
    at: Date,
    source: ChangeSource = 'sync',
  ): Promise<void> {
    if (!hasChanges(changes)) return;
    await this.ds.getRepository(ParticipantSyncChange).insert({
      accountId,
      webinarId,
      syncJobId: jobId,
      syncedAt: floorToSecond(at),
      added: changes.added.count,
      cancelled: changes.cancelled.count,
      attended: changes.attended.count,
      statusChanged: changes.statusChanged.count,
      source,
      samples: JSON.stringify(Object.fromEntries(CHANGE_KINDS.map((k) => [k, changes[k].samples]))),
    });
    if (at.getTime() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = at.getTime();
      await this.prune(at).catch((err: Error) =>
        this.logger.warn({ err: err.message }, 'pruning the participant sync history failed'),
      );
    }
  }

  /** Deletes records older than SYNC_JOB_RETENTION_DAYS; returns how many. */
  async prune(now: Date = this.clock.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.sync.jobRetentionDays * DAY_MS);
    const res = await this.ds
      .getRepository(ParticipantSyncChange)
      .delete({ syncedAt: LessThan(floorToSecond(cutoff)) });
    return Number(res.affected ?? 0);
  }

  /** The webinar's history, newest first; 404 for another account's webinar. */
  async list(
    accountId: number,
    webinarId: number,
    page: number,
    pageSize: number,
  ): Promise<Page<SyncHistoryEntryDto>> {
    const webinar = await this.webinars.getForAccount(accountId, webinarId);
    const [rows, total] = await this.ds.getRepository(ParticipantSyncChange).findAndCount({
      where: { webinarId: webinar.id },
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: rows.map(toEntry), page, pageSize, total };
  }

  /**
   * What each of these participant sync jobs changed (counts summed over its records), by job id;
   * jobs that changed nothing are absent. Looked up through the webinar index.
   */
  async countsByJob(
    accountId: number,
    jobs: ReadonlyArray<{ jobId: number; webinarId: number }>,
  ): Promise<Map<number, Record<ChangeKind, number>>> {
    const out = new Map<number, Record<ChangeKind, number>>();
    if (jobs.length === 0) return out;
    const rows = await this.ds
      .getRepository(ParticipantSyncChange)
      .createQueryBuilder('c')
      .select('c.sync_job_id', 'job_id')
      .addSelect('SUM(c.added)', 'added')
      .addSelect('SUM(c.cancelled)', 'cancelled')
      .addSelect('SUM(c.attended)', 'attended')
      .addSelect('SUM(c.status_changed)', 'status_changed')
      .where({
        accountId,
        webinarId: In([...new Set(jobs.map((j) => j.webinarId))]),
        syncJobId: In(jobs.map((j) => j.jobId)),
      })
      .groupBy('c.sync_job_id')
      .getRawMany<Record<string, unknown>>();
    for (const r of rows)
      out.set(Number(r.job_id), {
        added: Number(r.added),
        cancelled: Number(r.cancelled),
        attended: Number(r.attended),
        statusChanged: Number(r.status_changed),
      });
    return out;
  }
}

function toEntry(r: ParticipantSyncChange): SyncHistoryEntryDto {
  let samples: Partial<Record<ChangeKind, string[]>> = {};
  try {
    samples = JSON.parse(r.samples) as typeof samples;
  } catch {
    // a damaged sample list loses the samples, never the counts
  }
  const count = (k: ChangeKind, n: number) => ({ count: Number(n), samples: samples[k] ?? [] });
  return {
    id: r.id,
    syncedAt: new Date(r.syncedAt).toISOString(),
    jobId: r.syncJobId,
    source: r.source,
    added: count('added', r.added),
    cancelled: count('cancelled', r.cancelled),
    attended: count('attended', r.attended),
    statusChanged: count('statusChanged', r.statusChanged),
  };
}
