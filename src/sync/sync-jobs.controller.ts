import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { notFound } from '../common/errors/domain-error';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { ListSyncJobsQueryDto } from './dto/list-sync-jobs-query.dto';
import { SyncJobPageDto, SyncJobResponseDto, toSyncJobResponse } from './dto/sync-job-response.dto';
import { SyncQueue } from './sync-queue.service';

@ApiTags('sync-jobs')
@ApiBearerAuth()
@Controller('sync-jobs')
export class SyncJobsController {
  constructor(private readonly queue: SyncQueue) {}

  @Get()
  @ApiOkResponse({ type: SyncJobPageDto })
  async list(
    @CurrentAccount() account: AccountRef,
    @Query() query: ListSyncJobsQueryDto,
  ): Promise<SyncJobPageDto> {
    const { items, total } = await this.queue.listForAccount(account.id, query);
    return {
      items: items.map(toSyncJobResponse),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: SyncJobResponseDto })
  async get(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<SyncJobResponseDto> {
    const job = await this.queue.findForAccount(account.id, id);
    if (!job) throw notFound('sync job', id);
    return toSyncJobResponse(job);
  }
}
