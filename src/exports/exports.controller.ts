import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { ExportsService } from './exports.service';

const CSV = 'text/csv; charset=utf-8';

@ApiTags('exports')
@ApiBearerAuth()
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('webinars/:id/participants/export')
  @ApiOperation({ summary: 'Every participant of the webinar as CSV (RFC 4180), streamed' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async participants(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<StreamableFile> {
    const { filename, stream } = await this.exports.participants(account.id, id);
    return new StreamableFile(stream, { type: CSV, disposition: filename });
  }

  @Get('target-groups/:id/members/export')
  @ApiOperation({ summary: 'Every current member of the target group as CSV (RFC 4180), streamed' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async members(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<StreamableFile> {
    const { filename, stream } = await this.exports.members(account.id, id);
    return new StreamableFile(stream, { type: CSV, disposition: filename });
  }
}
