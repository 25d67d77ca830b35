import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountsService } from '../../accounts/accounts.service';
import { DomainError } from '../errors/domain-error';
import { IS_PUBLIC } from './public.decorator';

// Global guard: every controller route needs `Authorization: Bearer <account API key>` unless
// @Public(). Which key belongs to which account is the accounts module's to say. Registered after
// the request throttle (common.module.ts), so a flood is limited before any key is looked up.
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (isPublic) return true;
    const req = ctx.switchToHttp().getRequest();
    const header: unknown = req.headers?.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match)
      throw new DomainError(
        'unauthorized',
        'API_KEY_MISSING',
        'Authorization: Bearer <API key> is required',
      );
    const accountId = await this.accounts.accountIdForApiKey(match[1]);
    if (accountId === null)
      throw new DomainError('unauthorized', 'API_KEY_INVALID', 'The API key is not valid');
    req.account = { id: accountId };
    return true;
  }
}
