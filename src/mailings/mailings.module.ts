import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizersModule } from '../organizers/organizers.module';
import { SyncRequestsModule } from '../sync/sync-requests.module';
import { TargetGroupsModule } from '../target-groups/target-groups.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { BeforeSendHook, MAILING_BEFORE_SEND_HOOKS } from './before-send-hook';
import { BeforeSendHooks } from './before-send-hooks';
import { LoggingMailTransport, MAIL_TRANSPORT } from './mail-transport';
import { Mailing, MailingRecipient, MailingTargetGroup } from './mailing.entity';
import { MailingSendService } from './mailing-send.service';
import { MailingsController } from './mailings.controller';
import { MailingsService } from './mailings.service';
import { WebinarParticipantSyncHook } from './webinar-participant-sync.hook';

// The internal mailing module. Depends on features (target groups, webinars, organizers, the
// queue); nothing depends on it. Other modules add before-send hooks with @MailingBeforeSendHook().
@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([Mailing, MailingTargetGroup, MailingRecipient]),
    SyncRequestsModule,
    OrganizersModule,
    WebinarsModule,
    TargetGroupsModule,
  ],
  controllers: [MailingsController],
  providers: [
    MailingsService,
    MailingSendService,
    BeforeSendHooks,
    WebinarParticipantSyncHook,
    // Filled with the discovered hooks, in run order, when the module initialises.
    { provide: MAILING_BEFORE_SEND_HOOKS, useFactory: (): BeforeSendHook[] => [] },
    { provide: MAIL_TRANSPORT, useClass: LoggingMailTransport },
  ],
})
export class MailingsModule {}
