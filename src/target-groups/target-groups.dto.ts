import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TargetGroupKind } from './target-group.entity';

// `?page&pageSize`: page from 1, pageSize 1–200 (default 50); anything else is a 400 naming the parameter.
export class TargetGroupPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

export class ListTargetGroupsQueryDto extends TargetGroupPageQueryDto {
  @ApiPropertyOptional({ description: 'Only the groups of this webinar' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  webinarId?: number;

  @ApiPropertyOptional({ description: 'Only the groups in this folder' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  folderId?: number;
}

export class TargetGroupDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Attended' }) name: string;
  @ApiProperty({ enum: ['registered', 'attended', 'not_attended'], nullable: true })
  kind: TargetGroupKind | null;
  @ApiProperty({ nullable: true }) webinarId: number | null;
  @ApiProperty() folderId: number;
  @ApiProperty({ description: 'Current members, computed from the webinar participants' })
  memberCount: number;
  @ApiProperty() createdAt: Date;
}

export class TargetGroupMemberDto {
  @ApiProperty({ description: 'Subscriber id' }) id: number;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true }) firstName: string | null;
  @ApiProperty({ nullable: true }) lastName: string | null;
}
