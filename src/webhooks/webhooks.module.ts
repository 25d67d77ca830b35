import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GotoWebinarModule } from '../goto-webinar/goto-webinar.module';
import { IntegrationSettingsModule } from '../integration-settings/integration-settings.module';
import { OrganizersModule } from '../organizers/organizers.module';
import { ParticipantsModule } from '../participants/participants.module';
import { SyncQueueModule } from '../sync/sync-queue.module';
import { SyncRequestsModule } from '../sync/sync-requests.module';
import { TargetGroupsModule } from '../target-groups/target-groups.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { GotoWebhookSetup } from './goto-webhook-setup.entity';
import { WebhookDeveloperSetup } from './webhook-developer-setup.service';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookEventHandler } from './webhook-event.handler';
import { WebhookEventProcessor } from './webhook-event.processor';
import { WebhookEventRetention } from './webhook-event-retention.service';
import { WebhookReceiver } from './webhook-receiver.service';
import { WebhookSetupStore } from './webhook-setup.store';
import { WebhookSubscriptionHandler } from './webhook-subscription.handler';
import { WebhookSubscriptions } from './webhook-subscriptions.service';
import { WebhooksController } from './webhooks.controller';

// GoTo webhooks: the callback (controller + receiver), the subscription keeper (developer setup and
// each organizer's subscription) and the two job handlers. Events enter through the queue.
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEvent, GotoWebhookSetup]),
    GotoWebinarModule,
    OrganizersModule,
    IntegrationSettingsModule,
    WebinarsModule,
    ParticipantsModule,
    TargetGroupsModule,
    SyncQueueModule,
    SyncRequestsModule,
  ],
  controllers: [WebhooksController],
  providers: [
    WebhookSetupStore,
    WebhookReceiver,
    WebhookEventProcessor,
    WebhookEventHandler,
    WebhookEventRetention,
    WebhookDeveloperSetup,
    WebhookSubscriptions,
    WebhookSubscriptionHandler,
  ],
  exports: [WebhookSubscriptions],
})
export class WebhooksModule {}
