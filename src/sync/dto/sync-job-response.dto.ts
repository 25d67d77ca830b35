import { ApiProperty } from '@nestjs/swagger';
import { SYNC_JOB_STATUSES, SyncJob, SyncJobStatus } from '../sync-job.entity';

export class SyncJobResponseDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'organizer_full_sync' }) type: string;
  @ApiProperty({ enum: SYNC_JOB_STATUSES }) status: SyncJobStatus;
  @ApiProperty({ type: Number, nullable: true }) organizerId: number | null;
  @ApiProperty({ type: Number, nullable: true }) webinarId: number | null;
  @ApiProperty({
    description: 'Higher runs first: mailing 100, on demand 50, initial 40, periodic 0',
  })
  priority: number;
  @ApiProperty({ type: Object, nullable: true, example: { webinarsDone: 3, webinarsTotal: 12 } })
  progress: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true }) result: Record<string, unknown> | null;
  @ApiProperty({ description: 'Attempts started so far' }) attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() runAfter: Date;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) finishedAt: Date | null;
}

export class SyncJobPageDto {
  @ApiProperty({ type: [SyncJobResponseDto] }) items: SyncJobResponseDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export function toSyncJobResponse(job: SyncJob): SyncJobResponseDto {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    organizerId: job.organizerId,
    webinarId: job.webinarId,
    priority: job.priority,
    progress: job.progress,
    result: job.result,
    attempts: job.attempts,
    lastError: job.lastError,
    runAfter: job.runAfter,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
