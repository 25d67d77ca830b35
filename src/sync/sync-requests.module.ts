import { Module } from '@nestjs/common';
import { IntegrationSettingsModule } from '../integration-settings/integration-settings.module';
import { SyncQueueModule } from './sync-queue.module';
import { SyncRequestsService } from './sync-requests.service';

// The door feature modules use to ask for syncs. It sits below organizers, webinars and mailings
// (it imports only the queue and the integration settings), so each of them can import it.
@Module({
  imports: [SyncQueueModule, IntegrationSettingsModule],
  providers: [SyncRequestsService],
  exports: [SyncRequestsService],
})
export class SyncRequestsModule {}
