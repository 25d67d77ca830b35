import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsString,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { IANAZone } from 'luxon';

/** An IANA time zone name known to this runtime (e.g. `Europe/Berlin`); offsets like `UTC+2` are refused. */
export function isIanaZone(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value) &&
    IANAZone.isValidZone(value)
  );
}

function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an IANA time zone name such as America/New_York`,
        ...options,
      },
      validator: { validate: isIanaZone },
    });
}

export const ENGAGEMENT_MINUTES_MIN = 1;
export const ENGAGEMENT_MINUTES_MAX = 1440;

// Present means "change it"; null is refused like any other wrong type (except engagementMinutes,
// where null switches engagement groups off).
const present = (_o: object, v: unknown) => v !== undefined;

export class UpdateIntegrationSettingsDto {
  @ApiPropertyOptional({
    description: 'No syncing at all for the account while false (data is kept).',
  })
  @ValidateIf(present)
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'A target group folder of this account (422 otherwise).' })
  @ValidateIf(present)
  @IsInt()
  @Min(1)
  targetGroupFolderId?: number;

  @ApiPropertyOptional({
    example: 'America/New_York',
    description: 'IANA zone used in new target group names.',
  })
  @ValidateIf(present)
  @IsString()
  @IsIanaTimeZone()
  displayedTimeZone?: string;

  @ApiPropertyOptional({
    description:
      "GoTo webhooks for the account's organizers (changes within seconds); false: polling only.",
  })
  @ValidateIf(present)
  @IsBoolean()
  realTimeUpdates?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: ENGAGEMENT_MINUTES_MIN,
    maximum: ENGAGEMENT_MINUTES_MAX,
    description:
      'Minutes of summed attendance for an `Engaged (≥ N min)` group per webinar; null = off.',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsInt()
  @Min(ENGAGEMENT_MINUTES_MIN)
  @Max(ENGAGEMENT_MINUTES_MAX)
  engagementMinutes?: number | null;
}

export class IntegrationSettingsView {
  @ApiProperty() active: boolean;
  @ApiProperty() targetGroupFolderId: number;
  @ApiProperty({ example: 'America/New_York' }) displayedTimeZone: string;
  @ApiProperty() realTimeUpdates: boolean;
  @ApiProperty({ type: Number, nullable: true, example: 30 }) engagementMinutes: number | null;
}
