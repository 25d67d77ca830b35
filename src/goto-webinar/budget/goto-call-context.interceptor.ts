import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { SYNC_PRIORITY } from '../../sync/sync-job-types';
import { withGotoCallContext } from './goto-call-context';

/**
 * GoTo calls made while serving an HTTP request (organizer linking, Test Connection) are on-demand
 * work of the request's account (set by ApiKeyGuard). `next.handle()` is called inside the context:
 * Nest binds the handler's async context at that moment.
 */
@Injectable()
export class GotoCallContextInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const account = (ctx.switchToHttp().getRequest() as { account?: { id: number } }).account;
    if (!account) return next.handle();
    return withGotoCallContext(
      { priority: SYNC_PRIORITY.ON_DEMAND, accountId: account.id, organizerId: null },
      () => next.handle(),
    );
  }
}
