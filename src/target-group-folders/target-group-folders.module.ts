import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TargetGroupFolder } from './target-group-folder.entity';
import { TargetGroupFoldersController } from './target-group-folders.controller';
import { TargetGroupFoldersService } from './target-group-folders.service';

// Below integration settings and target groups: imports neither.
@Module({
  imports: [TypeOrmModule.forFeature([TargetGroupFolder])],
  controllers: [TargetGroupFoldersController],
  providers: [TargetGroupFoldersService],
  exports: [TargetGroupFoldersService],
})
export class TargetGroupFoldersModule {}
