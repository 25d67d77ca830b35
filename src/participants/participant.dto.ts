import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { RegistrationStatus } from './webinar-participant.entity';

export const PARTICIPANT_STATUS_FILTERS = ['attended', 'not_attended'] as const;
export type ParticipantStatusFilter = (typeof PARTICIPANT_STATUS_FILTERS)[number];

export class ListParticipantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PARTICIPANT_STATUS_FILTERS })
  @IsOptional()
  @IsIn(PARTICIPANT_STATUS_FILTERS)
  status?: ParticipantStatusFilter;
}

export class ParticipantView {
  @ApiProperty() id: number;
  @ApiProperty() subscriberId: number;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ enum: PARTICIPANT_STATUS_FILTERS }) status: ParticipantStatusFilter;
  @ApiProperty({ description: '1 Not Attended, 2 Attended' }) webinarParticipantStatusId: number;
  @ApiProperty({ enum: ['approved', 'waiting', 'denied', 'cancelled'] })
  registrationStatus: RegistrationStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "GoTo's 64-bit registrant key, as a string",
  })
  registrantKey: string | null;
  @ApiProperty({ type: String, nullable: true }) registeredAt: string | null;
  @ApiProperty() attendanceSeconds: number;
  @ApiProperty() sessionsAttended: number;
  @ApiProperty({ type: String, nullable: true }) firstJoinedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastLeftAt: string | null;
}

export class ParticipantPageDto {
  @ApiProperty({ type: [ParticipantView] }) items: ParticipantView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
