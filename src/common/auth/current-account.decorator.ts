import { createParamDecorator, ExecutionContext } from '@nestjs/common';

export interface AccountRef {
  id: number;
}

// The account of the API key on the request; set by ApiKeyGuard.
export const CurrentAccount = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AccountRef => ctx.switchToHttp().getRequest().account,
);
