import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '../common/pagination';

export class ListReconciliationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only webinars whose stored data disagrees with GoTo' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'drift must be true or false' })
  drift?: boolean;
}

export class GotoCountsDto {
  @ApiProperty({ description: "Distinct people in GoTo's registrant list, not cancelled" })
  registrants: number;
  @ApiProperty({ description: 'People in the attendee list who never registered' })
  walkIns: number;
  @ApiProperty({ description: 'Distinct people in the attendee list' }) attendees: number;
  @ApiProperty({ description: 'When the participant sync read them' }) observedAt: string;
}

export class SessionReportsDto {
  @ApiProperty({ description: 'Completed sessions GoTo reported' }) sessions: number;
  @ApiProperty({
    description:
      "Sum of the sessions' registrantsAttended: registrants only (no walk-ins), once per person and session",
  })
  registrantsAttended: number;
  @ApiProperty({
    nullable: true,
    description: "registrantCount of the latest session (GoTo: the webinar's total registrants)",
  })
  registrantCount: number | null;
  @ApiProperty({ description: 'When a participant sync last read the sessions' })
  observedAt: string;
}

export class CheckDto {
  @ApiProperty({ enum: ['participants', 'attended'] }) name: string;
  @ApiProperty({ description: 'What GoTo says' }) goto: number;
  @ApiProperty({ description: 'What is stored' }) stored: number;
  @ApiProperty() ok: boolean;
}

export class RepairDto {
  @ApiProperty({ example: 'POST' }) method: 'POST';
  @ApiProperty({ example: '/api/v1/webinars/12/sync', description: 'Queues a participant sync' })
  href: string;
}

export class GroupSizeDto {
  @ApiProperty() id: number;
  @ApiProperty() kind: string;
  @ApiProperty() name: string;
  @ApiProperty() memberCount: number;
}

export class StoredCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() registered: number;
  @ApiProperty() attended: number;
  @ApiProperty() notAttended: number;
  @ApiProperty({ example: { approved: 90, waiting: 2, denied: 1, cancelled: 4 } })
  byRegistrationStatus: Record<string, number>;
}

export class WebinarReconciliationDto {
  @ApiProperty() webinarId: number;
  @ApiProperty({
    type: GotoCountsDto,
    nullable: true,
    description: 'null until a participant sync',
  })
  goto: GotoCountsDto | null;
  @ApiProperty({
    type: SessionReportsDto,
    nullable: true,
    description:
      "GoTo's session reports; shown, not checked (no drift); null until a sync read the sessions",
  })
  sessionReports: SessionReportsDto | null;
  @ApiProperty({ type: StoredCountsDto }) stored: StoredCountsDto;
  @ApiProperty({ type: [GroupSizeDto] }) groups: GroupSizeDto[];
  @ApiProperty({ type: [CheckDto] }) checks: CheckDto[];
  @ApiProperty() drift: boolean;
  @ApiProperty({ type: RepairDto, nullable: true, description: 'Offered when drifting' })
  repair: RepairDto | null;
}

export class DriftItemDto {
  @ApiProperty() webinarId: number;
  @ApiProperty() subject: string;
  @ApiProperty() startsAt: string;
  @ApiProperty({ type: GotoCountsDto }) goto: GotoCountsDto;
  @ApiProperty({ type: SessionReportsDto, nullable: true })
  sessionReports: SessionReportsDto | null;
  @ApiProperty({ type: [CheckDto] }) checks: CheckDto[];
  @ApiProperty() drift: boolean;
  @ApiProperty({ type: RepairDto, nullable: true }) repair: RepairDto | null;
}

export class DriftPageDto {
  @ApiProperty({ type: [DriftItemDto] }) items: DriftItemDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
