import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { OrganizerSyncFlow } from './organizer-sync.flow';

// Re-lists the webinars; participants only where they can still change.
@SyncJobHandler(SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC)
export class OrganizerPeriodicSyncHandler implements SyncJobHandlerInstance {
  constructor(private readonly flow: OrganizerSyncFlow) {}

  handle(ctx: JobContext): Promise<Record<string, unknown>> {
    return this.flow.run(ctx, 'periodic');
  }
}
