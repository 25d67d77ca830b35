import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dbTime } from '../database/datetime';
import {
  ActivityChangesDto,
  ActivityEntryDto,
  ActivityStatus,
  ListActivityQueryDto,
} from './activity.dto';

// The account's finished sync jobs, newest first, with their organizer, webinar, failure and what
// each changed (participant_sync_change, the webinar history). Two queries: the page of jobs, then
// the changes of those jobs only (looked up through the history's webinar index).
@Injectable()
export class ActivityRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async page(
    accountId: number,
    q: ListActivityQueryDto,
  ): Promise<{ items: ActivityEntryDto[]; total: number }> {
    const where = [`j.account_id = ?`, `j.status IN ('succeeded', 'failed')`];
    const params: unknown[] = [accountId];
    if (q.status) {
      where.push('j.status = ?');
      params.push(q.status);
    }
    if (q.organizerId) {
      where.push('j.organizer_id = ?');
      params.push(q.organizerId);
    }
    const filter = `FROM sync_job j WHERE ${where.join(' AND ')}`;
    const [{ n }] = await this.ds.query(`SELECT COUNT(*) AS n ${filter}`, params);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT j.id AS id, j.type AS type, j.status AS status, j.organizer_id AS organizer_id,
              o.email AS email, j.webinar_id AS webinar_id, w.subject AS subject,
              j.finished_at AS finished_at, j.attempts AS attempts, j.last_error AS last_error
         FROM (SELECT j.id ${filter}
                ORDER BY j.finished_at DESC, j.id DESC LIMIT ? OFFSET ?) p
         JOIN sync_job j ON j.id = p.id
         LEFT JOIN organizer o ON o.id = j.organizer_id AND o.account_id = j.account_id
         LEFT JOIN webinar w ON w.id = j.webinar_id AND w.account_id = j.account_id
        ORDER BY j.finished_at DESC, j.id DESC`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const changes = await this.changesOf(accountId, rows);
    const id = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      total: Number(n),
      items: rows.map((r) => ({
        jobId: Number(r.id),
        type: String(r.type),
        status: r.status as ActivityStatus,
        organizerId: id(r.organizer_id),
        organizerEmail: (r.email as string | null) ?? null,
        webinarId: id(r.webinar_id),
        webinarSubject: (r.subject as string | null) ?? null,
        finishedAt: new Date(dbTime(r.finished_at) ?? 0).toISOString(),
        attempts: Number(r.attempts),
        lastError: (r.last_error as string | null) ?? null,
        changes: changes.get(Number(r.id)) ?? null,
      })),
    };
  }

  private async changesOf(
    accountId: number,
    jobs: Array<Record<string, unknown>>,
  ): Promise<Map<number, ActivityChangesDto>> {
    const out = new Map<number, ActivityChangesDto>();
    const withWebinar = jobs.filter((j) => j.webinar_id !== null && j.webinar_id !== undefined);
    if (withWebinar.length === 0) return out;
    const webinarIds = [...new Set(withWebinar.map((j) => Number(j.webinar_id)))];
    const jobIds = withWebinar.map((j) => Number(j.id));
    const list = (n: number) => Array.from({ length: n }, () => '?').join(',');
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT c.sync_job_id AS job_id, SUM(c.added) AS added, SUM(c.cancelled) AS cancelled,
              SUM(c.attended) AS attended, SUM(c.status_changed) AS status_changed
         FROM participant_sync_change c
        WHERE c.account_id = ? AND c.webinar_id IN (${list(webinarIds.length)})
          AND c.sync_job_id IN (${list(jobIds.length)})
        GROUP BY c.sync_job_id`,
      [accountId, ...webinarIds, ...jobIds],
    );
    for (const r of rows) {
      out.set(Number(r.job_id), {
        added: Number(r.added),
        cancelled: Number(r.cancelled),
        attended: Number(r.attended),
        statusChanged: Number(r.status_changed),
      });
    }
    return out;
  }
}
