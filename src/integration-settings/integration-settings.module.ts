import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TargetGroupFoldersModule } from '../target-group-folders/target-group-folders.module';
import { IntegrationSettingsController } from './integration-settings.controller';
import { IntegrationSettingsService } from './integration-settings.service';
import { WebinarIntegrationSettings } from './webinar-integration-settings.entity';

@Module({
  imports: [TypeOrmModule.forFeature([WebinarIntegrationSettings]), TargetGroupFoldersModule],
  controllers: [IntegrationSettingsController],
  providers: [IntegrationSettingsService],
  exports: [IntegrationSettingsService],
})
export class IntegrationSettingsModule {}
