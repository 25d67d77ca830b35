import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dbTime } from '../database/datetime';
import { FINISHED_SYNC_JOB_STATUSES, FinishedSyncJobStatus } from './sync-job.entity';

export interface FinishedSyncJob {
  id: number;
  type: string;
  status: FinishedSyncJobStatus;
  organizerId: number | null;
  webinarId: number | null;
  /** Epoch ms. */
  finishedAt: number;
  attempts: number;
  lastError: string | null;
}

export interface FinishedSyncJobsFilter {
  status?: FinishedSyncJobStatus;
  organizerId?: number;
  page: number;
  pageSize: number;
}

// An account's finished sync jobs, newest first (read-only; the queue owns which statuses are
// finished). One page is one walk of ix_sync_job_account_finished (account, status, finished_at).
@Injectable()
export class SyncJobHistory {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async finishedPage(
    accountId: number,
    q: FinishedSyncJobsFilter,
  ): Promise<{ items: FinishedSyncJob[]; total: number }> {
    const statuses: readonly string[] = q.status ? [q.status] : FINISHED_SYNC_JOB_STATUSES;
    const where = [`j.account_id = ?`, `j.status IN (${statuses.map(() => '?').join(', ')})`];
    const params: unknown[] = [accountId, ...statuses];
    if (q.organizerId) {
      where.push('j.organizer_id = ?');
      params.push(q.organizerId);
    }
    const filter = `FROM sync_job j WHERE ${where.join(' AND ')}`;
    const [{ n }] = await this.ds.query(`SELECT COUNT(*) AS n ${filter}`, params);
    // The page's ids from the index first, then only those rows (last_error may be long).
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT j.id AS id, j.type AS type, j.status AS status, j.organizer_id AS organizer_id,
              j.webinar_id AS webinar_id, j.finished_at AS finished_at, j.attempts AS attempts,
              j.last_error AS last_error
         FROM (SELECT j.id ${filter}
                ORDER BY j.finished_at DESC, j.id DESC LIMIT ? OFFSET ?) p
         JOIN sync_job j ON j.id = p.id
        ORDER BY j.finished_at DESC, j.id DESC`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const id = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      total: Number(n),
      items: rows.map((r) => ({
        id: Number(r.id),
        type: String(r.type),
        status: r.status as FinishedSyncJobStatus,
        organizerId: id(r.organizer_id),
        webinarId: id(r.webinar_id),
        finishedAt: dbTime(r.finished_at) ?? 0,
        attempts: Number(r.attempts),
        lastError: (r.last_error as string | null) ?? null,
      })),
    };
  }
}
