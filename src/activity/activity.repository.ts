import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dbTime } from '../database/datetime';
import { ParticipantHistoryService } from '../participants/participant-history.service';
import { ActivityEntryDto, ActivityStatus, ListActivityQueryDto } from './activity.dto';

// The account's finished sync jobs, newest first, with their organizer, webinar, failure and what
// each changed (asked of the participant sync history, its owner, for those jobs only).
@Injectable()
export class ActivityRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly history: ParticipantHistoryService,
  ) {}

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
    const id = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const changes = await this.history.countsByJob(
      accountId,
      rows.flatMap((r) =>
        id(r.webinar_id) === null ? [] : [{ jobId: Number(r.id), webinarId: Number(r.webinar_id) }],
      ),
    );
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
}
