import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { floorToSecond } from '../database/datetime';
import {
  REGISTRATION_OUTCOMES,
  RegistrationOutcome,
  WebinarRegistration,
} from './webinar-registration.entity';

const CHUNK = 500;

@Injectable()
export class RegistrationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(WebinarRegistration);
  }

  /**
   * Asks for these subscribers: new ones go in as pending (insert-or-ignore on (webinar,
   * subscriber)); those refused before are tried again; everyone else is left as is.
   */
  async request(
    accountId: number,
    webinarId: number,
    subscriberIds: number[],
    at: Date,
  ): Promise<{ queued: number }> {
    const now = floorToSecond(at);
    let queued = 0;
    for (let i = 0; i < subscriberIds.length; i += CHUNK) {
      const part = subscriberIds.slice(i, i + CHUNK);
      const existing = await this.repo.find({
        select: { subscriberId: true, outcome: true },
        where: { webinarId, subscriberId: In(part) },
      });
      const known = new Set(existing.map((r) => r.subscriberId));
      const fresh = part.filter((id) => !known.has(id));
      if (fresh.length)
        await this.ds
          .createQueryBuilder()
          .insert()
          .into(WebinarRegistration)
          .values(
            fresh.map((subscriberId) => ({
              accountId,
              webinarId,
              subscriberId,
              outcome: 'pending' as const,
              requestedAt: now,
            })),
          )
          .orIgnore() // a concurrent request for the same person: it is asked for once
          .updateEntity(false)
          .execute();
      const refused = existing.filter((r) => r.outcome === 'refused').map((r) => r.subscriberId);
      if (refused.length)
        await this.repo.update(
          { webinarId, subscriberId: In(refused), outcome: 'refused' },
          { outcome: 'pending', reason: null, requestedAt: now, doneAt: null },
        );
      queued += fresh.length + refused.length;
    }
    return { queued };
  }

  pending(webinarId: number, limit: number): Promise<WebinarRegistration[]> {
    return this.repo.find({
      where: { webinarId, outcome: 'pending' },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  async complete(
    id: number,
    outcome: RegistrationOutcome,
    detail: { reason?: string | null; registrantKey?: string | null; jobId: number; at: Date },
  ): Promise<void> {
    await this.repo.update(id, {
      outcome,
      reason: detail.reason ? detail.reason.slice(0, 300) : null,
      registrantKey: detail.registrantKey ?? null,
      syncJobId: detail.jobId,
      doneAt: floorToSecond(detail.at),
    });
  }

  async counts(webinarId: number): Promise<Record<RegistrationOutcome, number>> {
    const rows: { outcome: RegistrationOutcome; n: number | string }[] = await this.ds.query(
      'SELECT outcome, COUNT(*) AS n FROM webinar_registration WHERE webinar_id = ? GROUP BY outcome',
      [webinarId],
    );
    const out = Object.fromEntries(REGISTRATION_OUTCOMES.map((o) => [o, 0])) as Record<
      RegistrationOutcome,
      number
    >;
    for (const r of rows) out[r.outcome] = Number(r.n);
    return out;
  }

  async page(
    webinarId: number,
    outcome: RegistrationOutcome | undefined,
    page: number,
    pageSize: number,
  ): Promise<{ rows: Array<Record<string, unknown>>; total: number }> {
    const where = `r.webinar_id = ?${outcome ? ' AND r.outcome = ?' : ''}`;
    const params: unknown[] = outcome ? [webinarId, outcome] : [webinarId];
    const [{ n }] = await this.ds.query(
      `SELECT COUNT(*) AS n FROM webinar_registration r WHERE ${where}`,
      params,
    );
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT r.subscriber_id, s.email, r.outcome, r.reason, r.registrant_key, r.sync_job_id,
              r.requested_at, r.done_at
         FROM webinar_registration r JOIN subscriber s ON s.id = r.subscriber_id
        WHERE ${where}
        ORDER BY r.id
        LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { rows, total: Number(n) };
  }
}
