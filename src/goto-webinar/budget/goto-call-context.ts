import { AsyncLocalStorage } from 'node:async_hooks';
import { SYNC_PRIORITY } from '../../sync/sync-job-types';

/** Who a GoTo call is made for: the call budget grants slots by priority, then account, then organizer. */
export interface GotoCallContext {
  /** Higher first (SYNC_PRIORITY: mailing 100, on-demand 50, initial 40, periodic 0). */
  priority: number;
  accountId: number | null;
  organizerId: number | null;
}

const storage = new AsyncLocalStorage<GotoCallContext>();

/** Calls without a context (CLI, tools) count as on-demand work of no account. */
export const DEFAULT_GOTO_CALL_CONTEXT: GotoCallContext = {
  priority: SYNC_PRIORITY.ON_DEMAND,
  accountId: null,
  organizerId: null,
};

/** Runs `fn` with every GoTo call inside it (however deep, however async) made for `context`. */
export function withGotoCallContext<T>(context: GotoCallContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentGotoCallContext(): GotoCallContext {
  return storage.getStore() ?? DEFAULT_GOTO_CALL_CONTEXT;
}
