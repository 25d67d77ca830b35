import { Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { floorToSecond } from '../database/datetime';
import { mapWebhookEvent } from '../goto-webinar/goto-webhook-payloads';
import { parseJsonExact } from '../goto-webinar/parse-json-exact';
import { OrganizersService } from '../organizers/organizers.service';
import { noChanges, noteChange, ParticipantChanges } from '../participants/participant-changes';
import { ParticipantHistoryService } from '../participants/participant-history.service';
import { describeJobError } from '../sync/sync-error-policy';
import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync/sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync/sync-job-types';
import { WebhookEvent } from './webhook-event.entity';
import {
  EventOutcome,
  EventParticipantChange,
  WebhookEventProcessor,
} from './webhook-event.processor';

/** Events claimed per round; a job keeps claiming until none is left (or MAX_PER_JOB). */
const BATCH = 100;
const MAX_PER_JOB = 2000;
/** A claim older than this (its job died for good) may be taken by another job. */
const STALE_CLAIM_MS = 10 * 60_000;
const CLAIM = 'claimed:';

// Processes the stored webhook events that are waiting, oldest first, in batches: each round claims
// up to BATCH unprocessed events (outcome = "claimed:<jobId>", so concurrent jobs take disjoint
// sets and a retried job finds its own again), applies them one by one and marks each processed
// with its outcome. A job whose own event was taken by another job finds nothing left and ends.
@SyncJobHandler(SYNC_JOB_TYPES.WEBHOOK_EVENT)
export class WebhookEventHandler implements SyncJobHandlerInstance {
  private readonly logger = new Logger(WebhookEventHandler.name);

  /** Groups applied side by side: MySQL takes concurrent transactions; SQLite has one writer. */
  private readonly concurrency: number;

  constructor(
    @InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>,
    private readonly processor: WebhookEventProcessor,
    private readonly organizers: OrganizersService,
    private readonly history: ParticipantHistoryService,
    private readonly clock: Clock,
  ) {
    this.concurrency = events.manager.connection.options.type === 'better-sqlite3' ? 1 : 4;
  }

  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    const marker = `${CLAIM}${ctx.job.id}`;
    const counts: Record<string, number> = {};
    const allowed = new Map<number, boolean>();
    const organizerIds = new Set<number>();
    let processed = 0;
    while (processed < MAX_PER_JOB) {
      ctx.signal.throwIfAborted();
      const batch = await this.claim(marker);
      if (batch.length === 0) break;
      const changed = new Map<WebhookEvent, EventParticipantChange[]>();
      // Events of one person (or one webinar) in order; different ones side by side on MySQL.
      // Every group runs to its end (or its first failure) before the history is written, so
      // the events already applied and marked processed keep their changes when another fails.
      const failure = await inParallel(groupsOf(batch), this.concurrency, async (group) => {
        for (const row of group) {
          const result = await this.applyOne(row, allowed);
          result.organizerIds.forEach((id) => organizerIds.add(id));
          if (result.participantChanges?.length) changed.set(row, result.participantChanges);
          counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
          processed++;
        }
      });
      // In the batch's (event) order, whichever group finished first.
      await this.recordHistory(
        batch.flatMap((row) => changed.get(row) ?? []),
        ctx.job.id,
      );
      if (failure) throw failure.reason;
    }
    await this.organizers.recordWebhookEvent([...organizerIds], this.clock.now());
    return { processed, ...counts };
  }

  /** One history row per webinar for the batch just applied (source webhook). */
  private async recordHistory(changed: EventParticipantChange[], jobId: number): Promise<void> {
    const byWebinar = new Map<number, { accountId: number; changes: ParticipantChanges }>();
    for (const c of changed) {
      let w = byWebinar.get(c.webinarId);
      if (!w) byWebinar.set(c.webinarId, (w = { accountId: c.accountId, changes: noChanges() }));
      for (const kind of c.kinds) noteChange(w.changes, kind, c.email);
    }
    const now = this.clock.now();
    for (const [webinarId, w] of byWebinar) {
      // The events are applied and marked processed: a failed history write is logged, not retried.
      await this.history
        .record(w.accountId, webinarId, jobId, w.changes, now, 'webhook')
        .catch((err: Error) =>
          this.logger.warn({ err: err.message, webinarId }, 'recording webhook history failed'),
        );
    }
  }

  private async applyOne(row: WebhookEvent, allowed: Map<number, boolean>): Promise<EventOutcome> {
    let result: EventOutcome;
    try {
      const event = mapWebhookEvent(parseJsonExact(row.body));
      result = event
        ? await this.processor.process(event, allowed)
        : { outcome: 'ignored', detail: 'unknown event', organizerIds: [] };
    } catch (err) {
      // A malformed stored event is recorded, not retried forever; anything else retries the job.
      if (!(err instanceof SyntaxError) && (err as Error)?.name !== 'PayloadError') throw err;
      result = { outcome: 'ignored', detail: describeJobError(err), organizerIds: [] };
    }
    const outcome = `${result.outcome}${result.detail ? `: ${result.detail}` : ''}`.slice(0, 200);
    await this.events.update(
      { id: row.id },
      { processedAt: floorToSecond(this.clock.now()), outcome },
    );
    return result;
  }

  /** Up to BATCH waiting events for this job, in the order they happened. */
  private async claim(marker: string): Promise<WebhookEvent[]> {
    const staleBefore = new Date(this.clock.now().getTime() - STALE_CLAIM_MS);
    const candidates = await this.events
      .createQueryBuilder('e')
      .select(['e.id'])
      .where('e.processed_at IS NULL')
      .andWhere('(e.outcome IS NULL OR e.outcome = :marker OR e.received_at < :staleBefore)', {
        marker,
        staleBefore,
      })
      .orderBy('e.id', 'ASC')
      .limit(BATCH)
      .getMany();
    if (candidates.length === 0) return [];
    await this.events
      .createQueryBuilder()
      .update(WebhookEvent)
      .set({ outcome: marker })
      .where('id IN (:...ids) AND processed_at IS NULL', { ids: candidates.map((c) => c.id) })
      .andWhere('(outcome IS NULL OR outcome = :marker OR received_at < :staleBefore)', {
        marker,
        staleBefore,
      })
      .execute();
    const rows = await this.events.find({
      where: { id: In(candidates.map((c) => c.id)), outcome: marker, processedAt: IsNull() },
    });
    // Oldest event first (GoTo's time, then arrival), so a batch applies them in order.
    return rows.sort(
      (a, b) => (a.eventTime?.getTime() ?? 0) - (b.eventTime?.getTime() ?? 0) || a.id - b.id,
    );
  }
}

/** The batch split by what must stay in order: a registrant's events, a webinar's events. */
function groupsOf(rows: WebhookEvent[]): WebhookEvent[][] {
  const groups = new Map<string, WebhookEvent[]>();
  for (const row of rows) {
    const k = row.registrantKey
      ? `r:${row.webinarKey}:${row.registrantKey}`
      : `w:${row.webinarKey}`;
    const g = groups.get(k);
    if (g) g.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.values()];
}

/**
 * Runs `fn` over the items, `limit` at a time; a worker stops at its first failure, the others
 * go on. Resolves once every worker has stopped, with the first failure (if any).
 */
async function inParallel<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<PromiseRejectedResult | undefined> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
}
