import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { Page, PageQueryDto } from '../common/pagination';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { MemberRow } from './target-group-members.repository';
import {
  ListTargetGroupsQueryDto,
  TargetGroupDto,
  TargetGroupMemberPageDto,
  TargetGroupPageDto,
} from './target-groups.dto';
import { TargetGroupsService, TargetGroupView } from './target-groups.service';

@ApiTags('target-groups')
@ApiBearerAuth()
@Controller('target-groups')
export class TargetGroupsController {
  constructor(private readonly groups: TargetGroupsService) {}

  /** The account's target groups, optionally of one webinar or folder, with current member counts. */
  @Get()
  @ApiOkResponse({ type: TargetGroupPageDto })
  list(
    @CurrentAccount() account: AccountRef,
    @Query() q: ListTargetGroupsQueryDto,
  ): Promise<Page<TargetGroupView>> {
    return this.groups.list(account.id, {
      webinarId: q.webinarId,
      folderId: q.folderId,
      page: q.page,
      pageSize: q.pageSize,
    });
  }

  @Get(':id')
  @ApiOkResponse({ type: TargetGroupDto })
  get(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<TargetGroupView> {
    return this.groups.get(account.id, id);
  }

  /** The group's current members (subscribers), in subscriber id order. */
  @Get(':id/members')
  @ApiOkResponse({ type: TargetGroupMemberPageDto })
  members(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: PageQueryDto,
  ): Promise<Page<MemberRow>> {
    return this.groups.members(account.id, id, q.page, q.pageSize);
  }
}
