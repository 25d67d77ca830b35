import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import {
  JobAcceptedDto,
  ListWebinarsQueryDto,
  WebinarDetailView,
  WebinarPageDto,
} from './webinar.dto';
import { WebinarsService } from './webinars.service';

@ApiTags('webinars')
@ApiBearerAuth()
@Controller()
export class WebinarsController {
  constructor(private readonly webinars: WebinarsService) {}

  @Get('webinars')
  @ApiOkResponse({ type: WebinarPageDto })
  list(
    @CurrentAccount() account: AccountRef,
    @Query() query: ListWebinarsQueryDto,
  ): Promise<WebinarPageDto> {
    return this.webinars.list(account.id, query);
  }

  @Get('webinars/:id')
  @ApiOkResponse({ type: WebinarDetailView })
  get(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<WebinarDetailView> {
    return this.webinars.detail(account.id, id);
  }

  @Post('webinars/:id/sync')
  @HttpCode(202)
  @ApiOperation({ summary: "Queue a sync of the webinar's participants now" })
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  syncWebinar(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<JobAcceptedDto> {
    return this.webinars.requestParticipantSync(account.id, id);
  }
}
