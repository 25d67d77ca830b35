import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SyncJob } from './sync-job.entity';
import { SyncJobHistory } from './sync-job-history.service';
import { SyncQueue } from './sync-queue.service';

// The queue facade feature modules import to enqueue and wait, and the read of finished jobs
// (SyncJobHistory); it depends on the database only.
@Module({
  imports: [TypeOrmModule.forFeature([SyncJob])],
  providers: [SyncQueue, SyncJobHistory],
  exports: [SyncQueue, SyncJobHistory],
})
export class SyncQueueModule {}
