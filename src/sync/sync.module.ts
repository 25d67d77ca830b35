import { Module } from '@nestjs/common';
import { SyncCoreModule } from './sync-core.module';
import { SyncSchedulerModule } from './sync-scheduler.module';

// The worker, the handler registry, REST and metrics (SyncCoreModule) and the scheduler
// (SyncSchedulerModule). The real handlers (@SyncJobHandler providers, in handlers/) are
// discovered wherever they are provided; the application refuses to start while a
// SYNC_JOB_TYPES type has no handler, or has two.
@Module({
  imports: [SyncCoreModule, SyncSchedulerModule],
  exports: [SyncCoreModule, SyncSchedulerModule],
})
export class SyncModule {}
