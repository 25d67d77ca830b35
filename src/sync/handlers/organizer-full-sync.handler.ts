import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { OrganizerSyncRunner } from './organizer-sync.runner';

// Every webinar in the window, then the participants of each (chained jobs).
@SyncJobHandler(SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC)
export class OrganizerFullSyncHandler implements SyncJobHandlerInstance {
  constructor(private readonly runner: OrganizerSyncRunner) {}

  handle(ctx: JobContext): Promise<Record<string, unknown>> {
    return this.runner.run(ctx, 'full');
  }
}
