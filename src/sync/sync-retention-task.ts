import { DiscoveryService } from '@nestjs/core';

/**
 * Something else kept only as long as sync jobs (SYNC_JOB_RETENTION_DAYS), pruned by the same pass
 * (SyncJobRetention, after each scheduler tick, under the scheduler's lock). The owning module
 * decides what may go; the pass only says until when and how much per run.
 */
export interface SyncRetentionTask {
  /** Shown in logs. */
  readonly name: string;
  /** Deletes rows older than `cutoff` in at most `maxBatches` small batches; returns how many. */
  prune(cutoff: Date, maxBatches: number): Promise<number>;
}

/** Marks a provider as a retention task (discovered through Nest's DiscoveryService). */
export const SyncRetentionTaskProvider = DiscoveryService.createDecorator<undefined>();
