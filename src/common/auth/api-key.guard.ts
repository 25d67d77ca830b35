import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { hashApiKey } from './api-key';
import { IS_PUBLIC } from './public.decorator';

// Global guard: every controller route needs `Authorization: Bearer <account API key>` unless @Public().
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly ds: DataSource,
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
    // Read by table name: the guard sits below every feature module and must not import one.
    const rows: Array<{ id: number | string }> = await this.ds.query(
      'SELECT id FROM account WHERE api_key_hash = ?',
      [hashApiKey(match[1])],
    );
    if (rows.length === 0)
      throw new DomainError('unauthorized', 'API_KEY_INVALID', 'The API key is not valid');
    req.account = { id: Number(rows[0].id) };
    return true;
  }
}
