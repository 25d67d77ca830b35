import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { WebinarStatsDto } from './webinar-stats.dto';
import { WebinarStatsService } from './webinar-stats.service';

@ApiTags('webinars')
@ApiBearerAuth()
@Controller('webinars/:id/stats')
export class WebinarStatsController {
  constructor(private readonly stats: WebinarStatsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Charts of a webinar: registrations per day, Registered → Attended → Engaged, attendance minutes',
  })
  @ApiOkResponse({ type: WebinarStatsDto })
  get(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<WebinarStatsDto> {
    return this.stats.forWebinar(account.id, id);
  }
}
