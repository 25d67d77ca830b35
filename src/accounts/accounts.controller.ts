import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { notFound } from '../common/errors/domain-error';
import { AccountsService } from './accounts.service';

@ApiTags('account')
@ApiBearerAuth()
@Controller('account')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** The account the API key belongs to (the admin page shows its name). */
  @Get()
  async me(@CurrentAccount() account: AccountRef) {
    const found = await this.accounts.findById(account.id);
    if (!found) throw notFound('Account', account.id);
    return { id: found.id, name: found.name, createdAt: found.createdAt };
  }
}
