import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GotoWebinarModule } from '../goto-webinar/goto-webinar.module';
import { IntegrationSettingsModule } from '../integration-settings/integration-settings.module';
import { SyncRequestsModule } from '../sync/sync-requests.module';
import { OAuthState } from './oauth-state.entity';
import { OrganizerEvents } from './organizer-events';
import { OrganizerLinkingService } from './organizer-linking.service';
import { OrganizerOAuthService } from './organizer-oauth.service';
import { OrganizerSignInService } from './organizer-sign-in.service';
import { Organizer } from './organizer.entity';
import { OrganizersController } from './organizers.controller';
import { OrganizersService } from './organizers.service';
import { TestConnectionController } from './test-connection.controller';
import { TestConnectionService } from './test-connection.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Organizer, OAuthState]),
    GotoWebinarModule,
    IntegrationSettingsModule,
    SyncRequestsModule,
  ],
  controllers: [OrganizersController, TestConnectionController],
  providers: [
    OrganizersService,
    OrganizerLinkingService,
    OrganizerOAuthService,
    OrganizerSignInService,
    TestConnectionService,
    OrganizerEvents,
  ],
  exports: [OrganizersService, OrganizerEvents],
})
export class OrganizersModule {}
