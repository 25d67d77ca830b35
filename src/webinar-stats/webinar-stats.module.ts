import { Module } from '@nestjs/common';
import { IntegrationSettingsModule } from '../integration-settings/integration-settings.module';
import { TargetGroupsModule } from '../target-groups/target-groups.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { WebinarStatsController } from './webinar-stats.controller';
import { WebinarStatsRepository } from './webinar-stats.repository';
import { WebinarStatsService } from './webinar-stats.service';

// GET /webinars/:id/stats: the figures the admin page's webinar charts draw; read-only.
@Module({
  imports: [WebinarsModule, IntegrationSettingsModule, TargetGroupsModule],
  controllers: [WebinarStatsController],
  providers: [WebinarStatsService, WebinarStatsRepository],
})
export class WebinarStatsModule {}
