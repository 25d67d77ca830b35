import { Module } from '@nestjs/common';
import { GotoWebinarModule } from '../goto-webinar/goto-webinar.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { ParticipantEventsRepository } from './participant-events.repository';
import { ParticipantHistoryService } from './participant-history.service';
import { ParticipantRegistrationsRepository } from './participant-registrations.repository';
import { ParticipantQueriesRepository } from './participant-queries.repository';
import { ParticipantSyncService } from './participant-sync.service';
import { ParticipantsRepository } from './participants.repository';
import { ParticipantsService } from './participants.service';
import { WebinarParticipantsController } from './webinar-participants.controller';

// Subscribers and webinar_participant rows: the participant sync of one webinar, and queries.
@Module({
  imports: [GotoWebinarModule, WebinarsModule],
  controllers: [WebinarParticipantsController],
  providers: [
    ParticipantsRepository,
    ParticipantQueriesRepository,
    ParticipantsService,
    ParticipantSyncService,
    ParticipantEventsRepository,
    ParticipantHistoryService,
    ParticipantRegistrationsRepository,
  ],
  exports: [
    ParticipantsService,
    ParticipantSyncService,
    ParticipantEventsRepository,
    ParticipantHistoryService,
    ParticipantRegistrationsRepository,
  ],
})
export class ParticipantsModule {}
