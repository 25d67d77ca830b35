import { ApiProperty } from '@nestjs/swagger';

export class DayCountDto {
  @ApiProperty({ example: '2026-11-02', description: 'Day in the displayed time zone' })
  date: string;
  @ApiProperty() count: number;
}

export class FunnelStepDto {
  @ApiProperty({ enum: ['registered', 'attended', 'engaged'] }) step:
    'registered' | 'attended' | 'engaged';
  @ApiProperty() count: number;
}

export class AttendanceBarDto {
  @ApiProperty({ description: 'From this many minutes (inclusive)' }) fromMinutes: number;
  @ApiProperty({ description: 'To this many minutes (exclusive)' }) toMinutes: number;
  @ApiProperty() count: number;
}

export class AttendanceHistogramDto {
  @ApiProperty({ description: 'Width of each bar in minutes' }) barMinutes: number;
  @ApiProperty({ type: [AttendanceBarDto] }) bars: AttendanceBarDto[];
}

export class WebinarStatsDto {
  @ApiProperty() webinarId: number;
  @ApiProperty({ example: 'America/New_York', description: 'Zone of the days (the displayed one)' })
  timeZone: string;
  @ApiProperty({
    type: [DayCountDto],
    description: 'Registered participants by the day of their registration, first to last day',
  })
  registrationsPerDay: DayCountDto[];
  @ApiProperty({ description: 'Registered participants without a stored registration date' })
  registrationsUndated: number;
  @ApiProperty({
    type: [FunnelStepDto],
    description:
      'Registered → Attended → Engaged (engaged when the webinar has an Engaged group or engagementMinutes is set)',
  })
  funnel: FunnelStepDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      "The engaged threshold: the webinar's Engaged group's (frozen when it was created), else the setting; null: off",
  })
  engagementMinutes: number | null;
  @ApiProperty({
    type: AttendanceHistogramDto,
    description: 'Attendees by summed attendance time',
  })
  attendanceMinutes: AttendanceHistogramDto;
}
