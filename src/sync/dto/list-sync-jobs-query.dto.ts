import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OptionalIntQuery, PageQueryDto } from '../../common/pagination';
import { SYNC_JOB_STATUSES, SyncJobStatus } from '../sync-job.entity';

export class ListSyncJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SYNC_JOB_STATUSES })
  @IsOptional()
  @IsIn(SYNC_JOB_STATUSES)
  status?: SyncJobStatus;

  @OptionalIntQuery()
  organizerId?: number;
}
