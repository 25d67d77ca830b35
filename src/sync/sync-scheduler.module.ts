import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OrganizersModule } from '../organizers/organizers.module';
import { WebinarsModule } from '../webinars/webinars.module';
import { PeriodicSyncPlanner } from './periodic-planner.service';
import { SyncJobRetention } from './sync-job-retention.service';
import { SyncQueueModule } from './sync-queue.module';
import { SyncScheduler } from './sync-scheduler.service';

// The periodic tick (SYNC_CRON): which organizers and webinars are due (it asks the organizers
// and webinars modules, so it sits above them), and the pruning of old finished jobs (and of what
// other modules keep as long: their @SyncRetentionTaskProvider tasks).
@Module({
  imports: [DiscoveryModule, SyncQueueModule, OrganizersModule, WebinarsModule],
  providers: [PeriodicSyncPlanner, SyncJobRetention, SyncScheduler],
  exports: [SyncScheduler, SyncJobRetention],
})
export class SyncSchedulerModule {}
