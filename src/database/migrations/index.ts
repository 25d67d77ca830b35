import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';
import { SyncJobLeases1764500000000 } from './1764500000000-SyncJobLeases';
import { SubscriberEmailBinary1764600000000 } from './1764600000000-SubscriberEmailBinary';
import { OAuthBrowserBinding1764700000000 } from './1764700000000-OAuthBrowserBinding';
import { GotoCallBudget1764800000000 } from './1764800000000-GotoCallBudget';
import { AdaptivePolling1764900000000 } from './1764900000000-AdaptivePolling';
import { WebinarAttendanceFinal1765000000000 } from './1765000000000-WebinarAttendanceFinal';
import { Webhooks1765100000000 } from './1765100000000-Webhooks';
import { EngagementGroups1765200000000 } from './1765200000000-EngagementGroups';
import { ParticipantSyncHistory1765200100000 } from './1765200100000-ParticipantSyncHistory';
import { GotoCounts1765200200000 } from './1765200200000-GotoCounts';
import { Registrations1765200300000 } from './1765200300000-Registrations';
import { GotoSessionCounts1796341428341 } from './1796341428341-GotoSessionCounts';
import { ParticipantChangeSource1796341964252 } from './1796341964252-ParticipantChangeSource';
import { WebhookEventProcessedIndex1796342277920 } from './1796342277920-WebhookEventProcessedIndex';
import { SyncJobAccountFinishedIndex1796345741781 } from './1796345741781-SyncJobAccountFinishedIndex';

// Listed explicitly (not globbed) so ts-node, compiled JS and Jest load the same set.
export const MIGRATIONS = [
  InitialSchema1764400000000,
  SyncJobLeases1764500000000,
  SubscriberEmailBinary1764600000000,
  OAuthBrowserBinding1764700000000,
  GotoCallBudget1764800000000,
  AdaptivePolling1764900000000,
  WebinarAttendanceFinal1765000000000,
  Webhooks1765100000000,
  EngagementGroups1765200000000,
  ParticipantSyncHistory1765200100000,
  GotoCounts1765200200000,
  Registrations1765200300000,
  GotoSessionCounts1796341428341,
  ParticipantChangeSource1796341964252,
  WebhookEventProcessedIndex1796342277920,
  SyncJobAccountFinishedIndex1796345741781,
];
