import { Module } from '@nestjs/common';
import { ActivityController } from './activity.controller';
import { ActivityRepository } from './activity.repository';
import { OrganizersModule } from '../organizers/organizers.module';
import { ParticipantsModule } from '../participants/participants.module';
import { SyncQueueModule } from '../sync/sync-queue.module';
import { WebinarsModule } from '../webinars/webinars.module';

// GET /activity: the account's recent syncs across organizers (a read model: finished jobs from the
// sync queue, emails, subjects and changes from their owners); read-only, owns no table.
@Module({
  imports: [SyncQueueModule, OrganizersModule, WebinarsModule, ParticipantsModule],
  controllers: [ActivityController],
  providers: [ActivityRepository],
})
export class ActivityModule {}
