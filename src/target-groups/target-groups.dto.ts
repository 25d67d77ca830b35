import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { TargetGroupKind } from './target-group.entity';

export class ListTargetGroupsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the groups of this webinar' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  webinarId?: number;

  @ApiPropertyOptional({ description: 'Only the groups in this folder' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  folderId?: number;
}

export class TargetGroupDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Attended' }) name: string;
  @ApiProperty({ enum: ['registered', 'attended', 'not_attended', 'engaged'], nullable: true })
  kind: TargetGroupKind | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Kind `engaged`: minutes of summed attendance, frozen when the group was created',
  })
  engagementMinutes: number | null;
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

export class TargetGroupPageDto {
  @ApiProperty({ type: [TargetGroupDto] }) items: TargetGroupDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class TargetGroupMemberPageDto {
  @ApiProperty({ type: [TargetGroupMemberDto] }) items: TargetGroupMemberDto[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
