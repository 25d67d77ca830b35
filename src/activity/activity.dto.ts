import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OptionalIntQuery, PageQueryDto } from '../common/pagination';
import { FINISHED_SYNC_JOB_STATUSES, FinishedSyncJobStatus } from '../sync/sync-job.entity';

/** A sync shows once it finished: the sync module's finished statuses. */
export const ACTIVITY_STATUSES = FINISHED_SYNC_JOB_STATUSES;
export type ActivityStatus = FinishedSyncJobStatus;

export class ListActivityQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ACTIVITY_STATUSES, description: 'Only syncs that ended so' })
  @IsOptional()
  @IsIn(ACTIVITY_STATUSES)
  status?: ActivityStatus;

  @OptionalIntQuery()
  organizerId?: number;
}

export class ActivityChangesDto {
  @ApiProperty() added: number;
  @ApiProperty() cancelled: number;
  @ApiProperty({ description: 'Became attended' }) attended: number;
  @ApiProperty({ description: 'Other registration status changes' }) statusChanged: number;
}

export class ActivityEntryDto {
  @ApiProperty() jobId: number;
  @ApiProperty({ example: 'webinar_participants_sync' }) type: string;
  @ApiProperty({ enum: ACTIVITY_STATUSES }) status: ActivityStatus;
  @ApiProperty({ type: Number, nullable: true }) organizerId: number | null;
  @ApiProperty({ type: String, nullable: true }) organizerEmail: string | null;
  @ApiProperty({ type: Number, nullable: true }) webinarId: number | null;
  @ApiProperty({ type: String, nullable: true }) webinarSubject: string | null;
  @ApiProperty() finishedAt: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' }) lastError:
    string | null;
  @ApiProperty({
    type: ActivityChangesDto,
    nullable: true,
    description: "What the sync changed (the webinar's history); null when it changed nothing",
  })
  changes: ActivityChangesDto | null;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ActivityEntryDto] }) items: ActivityEntryDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
