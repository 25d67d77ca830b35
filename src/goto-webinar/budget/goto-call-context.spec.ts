import { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, Observable, of } from 'rxjs';
import { SYNC_PRIORITY } from '../../sync/sync-job-types';
import {
  currentGotoCallContext,
  DEFAULT_GOTO_CALL_CONTEXT,
  GotoCallContext,
  withGotoCallContext,
} from './goto-call-context';
import { GotoCallContextInterceptor } from './goto-call-context.interceptor';

const http = (req: object) =>
  ({ getType: () => 'http', switchToHttp: () => ({ getRequest: () => req }) }) as ExecutionContext;

describe('GoTo call context', () => {
  it('follows async work started inside it, and is the on-demand default outside', async () => {
    const c: GotoCallContext = { priority: SYNC_PRIORITY.MAILING, accountId: 3, organizerId: 4 };
    const seen = await withGotoCallContext(c, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentGotoCallContext();
    });
    expect(seen).toEqual(c);
    expect(currentGotoCallContext()).toEqual(DEFAULT_GOTO_CALL_CONTEXT);
    expect(DEFAULT_GOTO_CALL_CONTEXT.priority).toBe(SYNC_PRIORITY.ON_DEMAND);
  });

  it("HTTP requests call GoTo as on-demand work of the request's account", async () => {
    let seen: GotoCallContext | undefined;
    const next: CallHandler = {
      handle: () => {
        seen = currentGotoCallContext();
        return of('ok');
      },
    };
    const out = new GotoCallContextInterceptor().intercept(http({ account: { id: 7 } }), next);
    expect(await lastValueFrom(out as Observable<unknown>)).toBe('ok');
    expect(seen).toEqual({ priority: SYNC_PRIORITY.ON_DEMAND, accountId: 7, organizerId: null });

    new GotoCallContextInterceptor().intercept(http({}), next);
    expect(seen).toEqual(DEFAULT_GOTO_CALL_CONTEXT);
  });
});
