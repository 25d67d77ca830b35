import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { TestConnectionResponse, TestConnectionService } from './test-connection.service';

@ApiTags('webinar-integration')
@ApiBearerAuth()
@Controller('webinar-integration')
export class TestConnectionController {
  constructor(private readonly testConnection: TestConnectionService) {}

  @Post('test-connection')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Checks every active organizer against GoTo; deactivates those whose account is gone or credentials are refused',
  })
  @ApiOkResponse({ type: TestConnectionResponse })
  run(@CurrentAccount() account: AccountRef): Promise<TestConnectionResponse> {
    return this.testConnection.testAll(account.id);
  }
}
