import { Controller, Get, Param, Query } from '@nestjs/common';
import { PageQueryDto } from '../common/pagination';
import { ParticipantHistoryService, SyncHistoryPageDto } from './participant-history.service';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { ListParticipantsQueryDto, ParticipantPageDto } from './participant.dto';
import { ParticipantsService } from './participants.service';

@ApiTags('webinars')
@ApiBearerAuth()
@Controller('webinars/:id')
export class WebinarParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly history: ParticipantHistoryService,
  ) {}

  @Get('participants')
  @ApiOkResponse({ type: ParticipantPageDto })
  list(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: ListParticipantsQueryDto,
  ): Promise<ParticipantPageDto> {
    return this.participants.listForWebinar(account.id, id, query);
  }

  /**
   * What each participant sync, or each processed batch of webhook events, changed (added,
   * cancelled, became attended, other status changes), newest first.
   */
  @Get('history')
  @ApiOkResponse({ type: SyncHistoryPageDto })
  listHistory(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: PageQueryDto,
  ): Promise<SyncHistoryPageDto> {
    return this.history.list(account.id, id, query.page, query.pageSize);
  }
}
