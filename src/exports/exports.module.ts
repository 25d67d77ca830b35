import { Module } from '@nestjs/common';
import { ParticipantsModule } from '../participants/participants.module';
import { TargetGroupsModule } from '../target-groups/target-groups.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

// Streamed CSV exports of participants and target group members; nothing imports this module.
@Module({
  imports: [ParticipantsModule, TargetGroupsModule],
  controllers: [ExportsController],
  providers: [ExportsService],
})
export class ExportsModule {}
