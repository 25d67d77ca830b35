import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { DEFAULT_FOLDER_NAME } from './target-group-folder.entity';
import { Page, pageOf, PageQueryDto } from '../common/pagination';
import {
  CreateTargetGroupFolderDto,
  TargetGroupFolderView,
  toFolderView,
} from './target-group-folder.dto';
import { TargetGroupFoldersService } from './target-group-folders.service';

@ApiTags('target-group-folders')
@ApiBearerAuth()
@Controller('target-group-folders')
export class TargetGroupFoldersController {
  constructor(private readonly folders: TargetGroupFoldersService) {}

  /** The account's folders (the default "Webinars" folder always among them). */
  @Get()
  async list(
    @CurrentAccount() account: AccountRef,
    @Query() query: PageQueryDto,
  ): Promise<Page<TargetGroupFolderView>> {
    const all = await this.folders.list(account.id);
    return pageOf(
      all.map((f) => toFolderView(f, f.name === DEFAULT_FOLDER_NAME)),
      query,
    );
  }

  @Post()
  @HttpCode(201)
  async create(
    @CurrentAccount() account: AccountRef,
    @Body() dto: CreateTargetGroupFolderDto,
  ): Promise<TargetGroupFolderView> {
    return toFolderView(await this.folders.create(account.id, dto.name), false);
  }
}
