import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { OrganizerSyncRunner } from './organizer-sync.runner';

// Re-lists the webinars; participants only where they can still change.
@SyncJobHandler(SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC)
export class OrganizerPeriodicSyncHandler implements SyncJobHandlerInstance {
  constructor(private readonly runner: OrganizerSyncRunner) {}

  handle(ctx: JobContext): Promise<Record<string, unknown>> {
    return this.runner.run(ctx, 'periodic');
  }
}
