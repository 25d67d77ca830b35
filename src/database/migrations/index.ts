import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';
import { SyncJobLeases1764500000000 } from './1764500000000-SyncJobLeases';
import { EngagementGroups1765200000000 } from './1765200000000-EngagementGroups';
import { ParticipantSyncHistory1765200100000 } from './1765200100000-ParticipantSyncHistory';
import { GotoCounts1765200200000 } from './1765200200000-GotoCounts';
import { Registrations1765200300000 } from './1765200300000-Registrations';

// Listed explicitly (not globbed) so ts-node, compiled JS and Jest load the same set.
export const MIGRATIONS = [
  InitialSchema1764400000000,
  SyncJobLeases1764500000000,
  EngagementGroups1765200000000,
  ParticipantSyncHistory1765200100000,
  GotoCounts1765200200000,
  Registrations1765200300000,
];
