import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';
import { SyncJobLeases1764500000000 } from './1764500000000-SyncJobLeases';
import { GotoCallBudget1764800000000 } from './1764800000000-GotoCallBudget';

// Listed explicitly (not globbed) so ts-node, compiled JS and Jest load the same set.
export const MIGRATIONS = [
  InitialSchema1764400000000,
  SyncJobLeases1764500000000,
  GotoCallBudget1764800000000,
];
