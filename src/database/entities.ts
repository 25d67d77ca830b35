import { Account } from '../accounts/account.entity';
import { WebinarIntegrationSettings } from '../integration-settings/webinar-integration-settings.entity';
import { Mailing, MailingRecipient, MailingTargetGroup } from '../mailings/mailing.entity';
import { OAuthState } from '../organizers/oauth-state.entity';
import { Organizer } from '../organizers/organizer.entity';
import { ParticipantSyncChange } from '../participants/participant-sync-change.entity';
import { Subscriber } from '../participants/subscriber.entity';
import { WebinarParticipantStatus } from '../participants/webinar-participant-status.entity';
import { WebinarParticipant } from '../participants/webinar-participant.entity';
import { WebinarRegistration } from '../registrations/webinar-registration.entity';
import { SyncJob } from '../sync/sync-job.entity';
import { TargetGroupFolder } from '../target-group-folders/target-group-folder.entity';
import { TargetGroup } from '../target-groups/target-group.entity';
import { Webinar } from '../webinars/webinar.entity';
import { GotoWebhookSetup } from '../webhooks/goto-webhook-setup.entity';
import { WebhookEvent } from '../webhooks/webhook-event.entity';

// Every entity of the schema; the data source (app, CLI, tests) registers exactly these.
export const ENTITIES = [
  Account,
  WebinarIntegrationSettings,
  Organizer,
  OAuthState,
  Webinar,
  Subscriber,
  WebinarParticipantStatus,
  WebinarParticipant,
  TargetGroupFolder,
  TargetGroup,
  Mailing,
  MailingTargetGroup,
  MailingRecipient,
  SyncJob,
  WebhookEvent,
  GotoWebhookSetup,
  ParticipantSyncChange,
  WebinarRegistration,
];
