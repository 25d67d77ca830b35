import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';
import { SyncJobLeases1764500000000 } from './1764500000000-SyncJobLeases';
import { AdaptivePolling1764900000000 } from './1764900000000-AdaptivePolling';

// Listed explicitly (not globbed) so ts-node, compiled JS and Jest load the same set.
export const MIGRATIONS = [
  InitialSchema1764400000000,
  SyncJobLeases1764500000000,
  AdaptivePolling1764900000000,
];
