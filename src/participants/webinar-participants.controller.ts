import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { ListParticipantsQueryDto, ParticipantPageDto } from './participant.dto';
import { ParticipantsService } from './participants.service';

@ApiTags('webinars')
@ApiBearerAuth()
@Controller('webinars/:id/participants')
export class WebinarParticipantsController {
  constructor(private readonly participants: ParticipantsService) {}

  @Get()
  @ApiOkResponse({ type: ParticipantPageDto })
  list(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Query() query: ListParticipantsQueryDto,
  ): Promise<ParticipantPageDto> {
    return this.participants.listForWebinar(account.id, id, query);
  }
}
