import { Module } from '@nestjs/common';
import { GotoWebinarModule } from '../goto-webinar/goto-webinar.module';
import { OrganizersModule } from '../organizers/organizers.module';
import { ParticipantsModule } from '../participants/participants.module';
import { SyncQueueModule } from '../sync/sync-queue.module';
import { TargetGroupsModule } from '../target-groups/target-groups.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationsService } from './registrations.service';
import { WebinarRegistrationsHandler } from './webinar-registrations.handler';

// Pushing subscribers into GoTo as registrants (a queued job at the lowest priority).
@Module({
  imports: [
    GotoWebinarModule,
    OrganizersModule,
    ParticipantsModule,
    SyncQueueModule,
    TargetGroupsModule,
    WebinarsModule,
  ],
  controllers: [RegistrationsController],
  providers: [RegistrationsRepository, RegistrationsService, WebinarRegistrationsHandler],
})
export class RegistrationsModule {}
