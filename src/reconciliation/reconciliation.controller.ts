import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import {
  DriftPageDto,
  ListReconciliationQueryDto,
  WebinarReconciliationDto,
} from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller()
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('webinars/:id/reconciliation')
  @ApiOperation({
    summary: "GoTo's own counts vs the stored participants vs the group sizes (no GoTo call)",
  })
  @ApiOkResponse({ type: WebinarReconciliationDto })
  forWebinar(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<WebinarReconciliationDto> {
    return this.reconciliation.forWebinar(account.id, id);
  }

  @Get('reconciliation')
  @ApiOperation({
    summary: 'Synced webinars, newest first; `drift=true`: only those that disagree',
  })
  @ApiOkResponse({ type: DriftPageDto })
  list(
    @CurrentAccount() account: AccountRef,
    @Query() q: ListReconciliationQueryDto,
  ): Promise<DriftPageDto> {
    return this.reconciliation.list(account.id, q);
  }
}
