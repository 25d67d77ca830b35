import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import { SyncJob } from './sync-job.entity';
import type { EnqueueRequest } from './sync-queue.service';

export const SYNC_JOB_HANDLER_METADATA = 'webinar-sync:sync-job-handler';

/** What a handler gets for one attempt of one job. */
export interface JobContext {
  readonly job: SyncJob;
  /** Stores progress (e.g. { webinarsDone, webinarsTotal }) on the job; visible over REST at once. */
  reportProgress(progress: Record<string, unknown>): Promise<void>;
  /** Enqueues a chained job: same account and the parent's priority unless given. */
  enqueue(req: Omit<EnqueueRequest, 'accountId'> & { accountId?: number }): Promise<SyncJob>;
  /** enqueue for many chained jobs in a few set-based queries; results in the order of `reqs`. */
  enqueueMany(
    reqs: Array<Omit<EnqueueRequest, 'accountId'> & { accountId?: number }>,
  ): Promise<SyncJob[]>;
  /** Aborted on shutdown or when the lease was lost: stop at the next safe point. */
  readonly signal: AbortSignal;
}

/** One handler per job type. Its return value is stored as the job's `result`. */
export interface SyncJobHandlerInstance {
  handle(ctx: JobContext): Promise<Record<string, unknown> | void>;
}

/**
 * Marks a provider as the handler of one job type. Add the class to SyncModule's providers;
 * the registry discovers it, and the application refuses to start when a type has no handler or two.
 */
export function SyncJobHandler(type: string): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(SYNC_JOB_HANDLER_METADATA, type));
}
