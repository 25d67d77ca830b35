import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync/sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync/sync-job-types';
import { JobSkipped } from '../sync/sync.errors';
import { WebhookSubscriptions } from './webhook-subscriptions.service';

// One organizer's GoTo webhook subscription brought in line (see WebhookSubscriptions).
@SyncJobHandler(SYNC_JOB_TYPES.WEBHOOK_SUBSCRIPTION)
export class WebhookSubscriptionHandler implements SyncJobHandlerInstance {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    if (ctx.job.organizerId === null) throw new JobSkipped('job has no organizer');
    return { ...(await this.subscriptions.syncOrganizer(ctx.job.organizerId)) };
  }
}
