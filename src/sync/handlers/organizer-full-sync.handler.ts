import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { OrganizerSyncFlow } from './organizer-sync.flow';

// Every webinar in the window, then the participants of each (chained jobs).
@SyncJobHandler(SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC)
export class OrganizerFullSyncHandler implements SyncJobHandlerInstance {
  constructor(private readonly flow: OrganizerSyncFlow) {}

  handle(ctx: JobContext): Promise<Record<string, unknown>> {
    return this.flow.run(ctx, 'full');
  }
}
