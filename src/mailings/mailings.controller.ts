import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { fieldError } from '../common/errors/domain-error';
import { CreateMailingDto } from './dto/create-mailing.dto';
import { PageQueryDto } from './dto/page-query.dto';
import { MailingSendService } from './mailing-send.service';
import { MailingsService } from './mailings.service';

const idPipe = new ParseIntPipe({
  exceptionFactory: () => fieldError('bad_request', 'id', 'must be an integer'),
});

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
  create(@CurrentAccount() account: AccountRef, @Body() dto: CreateMailingDto) {
    return this.mailings.create(account.id, dto);
  }

  @Get(':id')
  get(@CurrentAccount() account: AccountRef, @Param('id', idPipe) id: number) {
    return this.mailings.get(account.id, id);
  }

  @Get(':id/recipients')
  recipients(
    @CurrentAccount() account: AccountRef,
    @Param('id', idPipe) id: number,
    @Query() q: PageQueryDto,
  ) {
    return this.mailings.listRecipients(account.id, id, q.page, q.pageSize);
  }

  /**
   * Syncs the participants of the webinars behind the mailing's groups (within
   * MAILING_SYNC_TIMEOUT_MS), then records the recipients and marks it sent. 409 if already sent.
   */
  @Post(':id/send')
  @HttpCode(200)
  send(@CurrentAccount() account: AccountRef, @Param('id', idPipe) id: number) {
    return this.sender.send(account.id, id);
  }
}
