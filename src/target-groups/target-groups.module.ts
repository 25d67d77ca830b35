import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntegrationSettingsModule } from '../integration-settings/integration-settings.module';
import { TargetGroupCreationService } from './target-group-creation.service';
import { TargetGroupMembersRepository } from './target-group-members.repository';
import { TargetGroup } from './target-group.entity';
import { TargetGroupsController } from './target-groups.controller';
import { TargetGroupsService } from './target-groups.service';

// Standard groups per webinar (Registered / Attended / Not Attended), their names and membership.
// Depends on settings (folder, zone); nothing below imports this module.
@Module({
  imports: [TypeOrmModule.forFeature([TargetGroup]), IntegrationSettingsModule],
  controllers: [TargetGroupsController],
  providers: [TargetGroupsService, TargetGroupCreationService, TargetGroupMembersRepository],
  exports: [TargetGroupsService, TargetGroupCreationService],
})
export class TargetGroupsModule {}
