import { Module } from '@nestjs/common';
import { GotoWebinarModule } from '../goto-webinar/goto-webinar.module';
import { OrganizersModule } from '../organizers/organizers.module';
import { ParticipantMembershipModule } from '../participants/participant-membership.module';
import { SyncRequestsModule } from '../sync/sync-requests.module';
import { WebinarImportService } from './webinar-import.service';
import { WebinarsController } from './webinars.controller';
import { WebinarsRepository } from './webinars.repository';
import { WebinarsService } from './webinars.service';

// Webinar import (from GoTo) and queries. Exports the two facades the sync handlers and the
// participants module use.
@Module({
  imports: [GotoWebinarModule, OrganizersModule, SyncRequestsModule, ParticipantMembershipModule],
  controllers: [WebinarsController],
  providers: [WebinarsRepository, WebinarsService, WebinarImportService],
  exports: [WebinarsService, WebinarImportService],
})
export class WebinarsModule {}
