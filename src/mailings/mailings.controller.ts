import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { Page, PageQueryDto } from '../common/pagination';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { CreateMailingDto } from './dto/create-mailing.dto';
import {
  MailingRecipientPageDto,
  MailingRecipientView,
  MailingView,
  SendMailingResult,
} from './dto/mailing.views';
import { MailingSendService } from './mailing-send.service';
import { MailingsService } from './mailings.service';

@ApiTags('mailings')
@ApiBearerAuth()
@Controller('mailings')
export class MailingsController {
  constructor(
    private readonly mailings: MailingsService,
    private readonly sender: MailingSendService,
  ) {}

  /** A draft mailing to target groups of this account (422 naming targetGroupIds otherwise). */
  @Post()
  @ApiCreatedResponse({ type: MailingView })
  @ApiUnprocessableEntityResponse({ description: 'A target group is not one of this account' })
  create(
    @CurrentAccount() account: AccountRef,
    @Body() dto: CreateMailingDto,
  ): Promise<MailingView> {
    return this.mailings.create(account.id, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: MailingView })
  get(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<MailingView> {
    return this.mailings.get(account.id, id);
  }

  @Get(':id/recipients')
  @ApiOkResponse({ type: MailingRecipientPageDto })
  recipients(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: PageQueryDto,
  ): Promise<Page<MailingRecipientView>> {
    return this.mailings.listRecipients(account.id, id, q.page, q.pageSize);
  }

  /**
   * Syncs the participants of the webinars behind the mailing's groups (within
   * MAILING_SYNC_TIMEOUT_MS), then records the recipients and marks it sent. 409 if already sent.
   */
  @Post(':id/send')
  @HttpCode(200)
  @ApiOkResponse({ type: SendMailingResult })
  @ApiConflictResponse({
    description: 'Already sent (MAILING_ALREADY_SENT) or being sent (MAILING_SEND_IN_PROGRESS)',
  })
  @ApiResponse({
    status: 429,
    description:
      'The account already has MAILING_SENDS_PER_ACCOUNT sends in progress (MAILING_SENDS_BUSY, Retry-After)',
  })
  send(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<SendMailingResult> {
    return this.sender.send(account.id, id);
  }
}
