import { Module } from '@nestjs/common';
import { ActivityController } from './activity.controller';
import { ActivityRepository } from './activity.repository';
import { ParticipantsModule } from '../participants/participants.module';

// GET /activity: the account's recent syncs across organizers (a read model over sync_job and the
// participant sync history); read-only, owns no table.
@Module({
  imports: [ParticipantsModule],
  controllers: [ActivityController],
  providers: [ActivityRepository],
})
export class ActivityModule {}
