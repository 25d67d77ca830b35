import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { ActivityModule } from './activity/activity.module';
import { AdminUiModule } from './admin-ui/admin-ui.module';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { IntegrationSettingsModule } from './integration-settings/integration-settings.module';
import { LoggingModule } from './logging/logging.module';
import { MailingsModule } from './mailings/mailings.module';
import { OrganizersModule } from './organizers/organizers.module';
import { ParticipantsModule } from './participants/participants.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RegistrationsModule } from './registrations/registrations.module';
import { SyncQueueModule } from './sync/sync-queue.module';
import { SyncHandlersModule } from './sync/handlers/sync-handlers.module';
import { SyncModule } from './sync/sync.module';
import { TargetGroupsModule } from './target-groups/target-groups.module';
import { WebinarStatsModule } from './webinar-stats/webinar-stats.module';
import { WebinarsModule } from './webinars/webinars.module';
import { WebhooksModule } from './webhooks/webhooks.module';

// The whole service. Tests pass their own AppConfig (database, simulator URL, roles).
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        CommonModule,
        HealthModule,
        AccountsModule,
        IntegrationSettingsModule,
        OrganizersModule,
        WebinarsModule,
        ParticipantsModule,
        TargetGroupsModule,
        MailingsModule,
        SyncQueueModule,
        SyncModule,
        SyncHandlersModule,
        AdminUiModule,
        WebhooksModule,
        ExportsModule,
        ReconciliationModule,
        RegistrationsModule,
        WebinarStatsModule,
        ActivityModule,
      ],
    };
  }
}
