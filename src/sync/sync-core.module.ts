import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SYNC_REQUIRED_JOB_TYPES, SyncHandlerRegistry } from './sync-handler-registry.service';
import { SyncJobClaimRepository } from './sync-job-claim.repository';
import { SyncJobLeaseRepository } from './sync-job-lease.repository';
import { SyncJobRunner } from './sync-job-runner.service';
import { SyncJob } from './sync-job.entity';
import { SYNC_JOB_TYPES } from './sync-job-types';
import { SyncJobsController } from './sync-jobs.controller';
import { SyncMetrics } from './sync-metrics.service';
import { SyncQueueModule } from './sync-queue.module';
import { SYNC_WORKER_OPTIONS, SyncWorker } from './sync-worker.service';

// The queue's machinery without any feature module: worker, handler registry, REST and metrics
// (the scheduler, which asks the feature modules what is due, is SyncSchedulerModule). SyncModule adds the real handlers; tests use this module with handlers of their own.
@Module({
  imports: [
    DiscoveryModule,
    ScheduleModule.forRoot(),
    TypeOrmModule.forFeature([SyncJob]),
    SyncQueueModule,
  ],
  controllers: [SyncJobsController],
  providers: [
    { provide: SYNC_REQUIRED_JOB_TYPES, useValue: Object.values(SYNC_JOB_TYPES) },
    { provide: SYNC_WORKER_OPTIONS, useValue: {} },
    SyncHandlerRegistry,
    SyncJobClaimRepository,
    SyncJobLeaseRepository,
    SyncJobRunner,
    SyncWorker,
    SyncMetrics,
  ],
  exports: [SyncWorker],
})
export class SyncCoreModule {}
