import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ActivityPageDto, ListActivityQueryDto } from './activity.dto';
import { ActivityRepository } from './activity.repository';

@ApiTags('activity')
@ApiBearerAuth()
@Controller('activity')
export class ActivityController {
  constructor(private readonly activity: ActivityRepository) {}

  @Get()
  @ApiOperation({
    summary:
      'Recent syncs of every organizer, newest first: what each changed, and why a failed one failed',
  })
  @ApiOkResponse({ type: ActivityPageDto })
  async list(
    @CurrentAccount() account: AccountRef,
    @Query() q: ListActivityQueryDto,
  ): Promise<ActivityPageDto> {
    const { items, total } = await this.activity.page(account.id, q);
    return { items, page: q.page, pageSize: q.pageSize, total };
  }
}
