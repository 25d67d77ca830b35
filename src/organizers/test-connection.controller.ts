import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { TestConnectionResult, TestConnectionService } from './test-connection.service';

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
  run(@CurrentAccount() account: AccountRef): Promise<{ results: TestConnectionResult[] }> {
    return this.testConnection.testAll(account.id);
  }
}
