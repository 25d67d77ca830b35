import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { floorToSecond } from '../database/datetime';
import { mapWebhookEvent } from '../goto-webinar/goto-webhook-payloads';
import { parseJsonExact } from '../goto-webinar/parse-json-exact';
import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync/sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync/sync-job-types';
import { JobSkipped } from '../sync/sync.errors';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookEventProcessor } from './webhook-event.processor';

// One stored webhook event -> the processor; the outcome is kept on the event row.
@SyncJobHandler(SYNC_JOB_TYPES.WEBHOOK_EVENT)
export class WebhookEventHandler implements SyncJobHandlerInstance {
  constructor(
    @InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>,
    private readonly processor: WebhookEventProcessor,
    private readonly clock: Clock,
  ) {}

  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    const eventId = Number(ctx.job.payload?.eventId);
    const row = Number.isSafeInteger(eventId) ? await this.events.findOneBy({ id: eventId }) : null;
    if (!row) throw new JobSkipped(`webhook event ${ctx.job.payload?.eventId} not found`);
    if (row.processedAt !== null) throw new JobSkipped('already processed');
    const event = mapWebhookEvent(parseJsonExact(row.body));
    const result = event
      ? await this.processor.process(event)
      : { outcome: 'ignored' as const, detail: 'unknown event', organizerIds: [] };
    const outcome = `${result.outcome}${result.detail ? `: ${result.detail}` : ''}`.slice(0, 200);
    await this.events.update(
      { id: row.id },
      { processedAt: floorToSecond(this.clock.now()), outcome },
    );
    return { eventId: row.id, eventName: row.eventName, ...result };
  }
}
