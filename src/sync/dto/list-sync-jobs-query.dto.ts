import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { SYNC_JOB_STATUSES, SyncJobStatus } from '../sync-job.entity';

export class ListSyncJobsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SYNC_JOB_STATUSES })
  @IsOptional()
  @IsIn(SYNC_JOB_STATUSES)
  status?: SyncJobStatus;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  organizerId?: number;
}
