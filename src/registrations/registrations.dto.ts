import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { REGISTRATION_OUTCOMES, RegistrationOutcome } from './webinar-registration.entity';

/** Subscribers per request (given ids, or a target group's members). */
export const MAX_REGISTRATIONS_PER_REQUEST = 10_000;

export class CreateRegistrationsDto {
  @ApiPropertyOptional({ description: "Register the group's current members (one of the two)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  targetGroupId?: number;

  @ApiPropertyOptional({
    type: [Number],
    maxItems: MAX_REGISTRATIONS_PER_REQUEST,
    description: 'Register these subscribers (one of the two)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REGISTRATIONS_PER_REQUEST)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(Number.MAX_SAFE_INTEGER, { each: true })
  subscriberIds?: number[];
}

export class RegistrationsAcceptedDto {
  @ApiProperty() jobId: number;
  @ApiProperty({ description: 'Subscribers asked for (after removing duplicates)' })
  requested: number;
  @ApiProperty({ description: 'Queued now (new, or refused before and tried again)' })
  queued: number;
  @ApiProperty({ description: 'Already asked for (pending or done): not asked twice' })
  alreadyRequested: number;
  @ApiProperty({ description: 'Ids that are no subscriber of this account (left out)' })
  unknownSubscribers: number;
}

export class ListRegistrationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REGISTRATION_OUTCOMES })
  @IsOptional()
  @IsIn(REGISTRATION_OUTCOMES)
  outcome?: RegistrationOutcome;
}

export class RegistrationDto {
  @ApiProperty() subscriberId: number;
  @ApiProperty() email: string;
  @ApiProperty({ enum: REGISTRATION_OUTCOMES }) outcome: RegistrationOutcome;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) registrantKey: string | null;
  @ApiProperty({ type: Number, nullable: true }) jobId: number | null;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ type: String, nullable: true }) doneAt: string | null;
}

export class RegistrationPageDto {
  @ApiProperty({ type: [RegistrationDto] }) items: RegistrationDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty({ example: { pending: 0, registered: 12, already_registered: 1, refused: 0 } })
  counts: Record<RegistrationOutcome, number>;
}
