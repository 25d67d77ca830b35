import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { TargetGroupFolder } from './target-group-folder.entity';

export class CreateTargetGroupFolderDto {
  @ApiProperty({ example: 'Webinars 2027', maxLength: 200 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export interface TargetGroupFolderView {
  id: number;
  name: string;
  isDefault: boolean;
  createdAt: Date;
}

export function toFolderView(folder: TargetGroupFolder, isDefault: boolean): TargetGroupFolderView {
  return { id: folder.id, name: folder.name, isDefault, createdAt: folder.createdAt };
}
