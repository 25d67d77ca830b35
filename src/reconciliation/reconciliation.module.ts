import { Module } from '@nestjs/common';
import { ParticipantMembershipModule } from '../participants/participant-membership.module';
import { TargetGroupsModule } from '../target-groups/target-groups.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationService } from './reconciliation.service';

// GoTo's counts (stored at sync time) vs stored participants vs group sizes; read-only.
@Module({
  imports: [WebinarsModule, ParticipantMembershipModule, TargetGroupsModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, ReconciliationRepository],
})
export class ReconciliationModule {}
