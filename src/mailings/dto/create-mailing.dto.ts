import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsString,
  MaxLength,
  Min,
} from 'class-validator';

export const MAX_TARGET_GROUPS_PER_MAILING = 100;

export class CreateMailingDto {
  @ApiProperty({ maxLength: 500, example: 'Thanks for joining our webinar' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject: string;

  @ApiProperty({ type: [Number], example: [12, 13], description: 'Target groups of this account' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_TARGET_GROUPS_PER_MAILING)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  targetGroupIds: number[];
}
