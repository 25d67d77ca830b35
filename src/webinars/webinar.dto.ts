import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { OptionalIntQuery, PageQueryDto } from '../common/pagination';
import { Webinar, WebinarSessionTime, WebinarStatus } from './webinar.entity';
import { ParticipantCounts } from '../participants/participant-counts.repository';

// `?page&pageSize`: the shared rules of PageQueryDto (page 1–1e9, pageSize 1–200, default 50).
export class ListWebinarsQueryDto extends PageQueryDto {
  @OptionalIntQuery()
  organizerId?: number;

  @ApiPropertyOptional({
    description: 'ISO 8601; webinars that end at or after it',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'ISO 8601; webinars that start at or before it',
    example: '2026-12-31T23:59:59Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only webinars whose subject contains this (any case)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    default: 'asc',
    description:
      'By start time: asc (oldest first, the default) or desc (upcoming and newest first)',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export class WebinarSessionDto {
  @ApiProperty() startTime: string;
  @ApiProperty() endTime: string;
}

export class WebinarView {
  @ApiProperty() id: number;
  @ApiProperty() organizerId: number;
  @ApiProperty({
    description: "GoTo's 64-bit webinar key, as a string",
    example: '5620084814059709442',
  })
  webinarKey: string;
  @ApiProperty() subject: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ type: String, nullable: true }) timeZone: string | null;
  @ApiProperty({ enum: ['single_session', 'series', 'sequence'] }) recurrenceType: string;
  @ApiProperty({ type: [WebinarSessionDto] }) sessions: WebinarSessionTime[];
  @ApiProperty({ type: String, nullable: true }) registrationUrl: string | null;
  @ApiProperty({ enum: ['scheduled', 'ended', 'cancelled'] }) status: WebinarStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Last participant sync that found changes (or the first one)',
  })
  participantsSyncedAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'When the attendance became final: every session really ended (GoTo lists it as completed) and settled',
  })
  attendanceFinalAt: string | null;
}

export class ParticipantCountsDto {
  @ApiProperty({ description: 'Registration neither cancelled nor denied' }) registered: number;
  @ApiProperty() attended: number;
  @ApiProperty() notAttended: number;
}

export class WebinarDetailView extends WebinarView {
  @ApiProperty({ type: ParticipantCountsDto }) counts: ParticipantCounts;
}

export class WebinarPageDto {
  @ApiProperty({ type: [WebinarView] }) items: WebinarView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export { JobAcceptedDto } from '../sync/dto/job-accepted.dto';

export function toWebinarView(w: Webinar): WebinarView {
  return {
    id: w.id,
    organizerId: w.organizerId,
    webinarKey: String(w.webinarKey),
    subject: w.subject,
    description: w.description,
    startsAt: new Date(w.startsAt).toISOString(),
    endsAt: new Date(w.endsAt).toISOString(),
    timeZone: w.timeZone,
    recurrenceType: w.recurrenceType,
    sessions: w.sessions,
    registrationUrl: w.registrationUrl,
    status: w.status,
    participantsSyncedAt: w.participantsSyncedAt
      ? new Date(w.participantsSyncedAt).toISOString()
      : null,
    attendanceFinalAt: w.attendanceFinalAt ? new Date(w.attendanceFinalAt).toISOString() : null,
  };
}
