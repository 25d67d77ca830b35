import { Module } from '@nestjs/common';
import { SyncCoreModule } from './sync-core.module';

// The worker, the scheduler, the handler registry, REST and metrics (SyncCoreModule). The real
// handlers (@SyncJobHandler providers, in handlers/) are discovered wherever they are provided;
// the application refuses to start while a SYNC_JOB_TYPES type has no handler, or has two.
@Module({
  imports: [SyncCoreModule],
  exports: [SyncCoreModule],
})
export class SyncModule {}
