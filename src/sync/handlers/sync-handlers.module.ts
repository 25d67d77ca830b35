import { Module } from '@nestjs/common';
import { OrganizersModule } from '../../organizers/organizers.module';
import { ParticipantsModule } from '../../participants/participants.module';
import { TargetGroupsModule } from '../../target-groups/target-groups.module';
import { WebinarsModule } from '../../webinars/webinars.module';
import { OrganizerFullSyncHandler } from './organizer-full-sync.handler';
import { OrganizerPeriodicSyncHandler } from './organizer-periodic-sync.handler';
import { OrganizerSyncFlow } from './organizer-sync.flow';
import { WebinarParticipantsSyncHandler } from './webinar-participants-sync.handler';

// The real job handlers (discovered by the queue's registry through @SyncJobHandler).
@Module({
  imports: [OrganizersModule, WebinarsModule, ParticipantsModule, TargetGroupsModule],
  providers: [
    OrganizerSyncFlow,
    OrganizerFullSyncHandler,
    OrganizerPeriodicSyncHandler,
    WebinarParticipantsSyncHandler,
  ],
})
export class SyncHandlersModule {}
