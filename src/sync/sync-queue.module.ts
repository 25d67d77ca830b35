import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SyncJob } from './sync-job.entity';
import { SyncQueue } from './sync-queue.service';

// The queue facade feature modules import to enqueue and wait; it depends on the database only.
@Module({
  imports: [TypeOrmModule.forFeature([SyncJob])],
  providers: [SyncQueue],
  exports: [SyncQueue],
})
export class SyncQueueModule {}
