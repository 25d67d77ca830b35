import { HttpModule } from '@nestjs/axios';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { GotoCallBudgetService } from './budget/goto-call-budget.service';
import { GotoCallContextInterceptor } from './budget/goto-call-context.interceptor';
import { GotoAuthService } from './goto-auth.service';
import { GotoHttpService } from './goto-http.service';
import { GotoSignInService } from './goto-sign-in.service';
import { GotoWebinarClient } from './goto-webinar.client';
import { GotoWebhooksClient } from './goto-webhooks.client';
import { GOTO_WEBINAR_OPTIONS, GotoWebinarOptions } from './goto-webinar.options';

const providers: Provider[] = [
  GotoCallBudgetService,
  GotoHttpService,
  GotoAuthService,
  GotoSignInService,
  GotoWebinarClient,
  GotoWebhooksClient,
  { provide: APP_INTERCEPTOR, useClass: GotoCallContextInterceptor },
];

// The provider module: no controllers; the rest of the app sees GotoWebinarClient only.
// Needs AppConfig (global ConfigModule). `register()` shortens backoff in tests.
@Module({
  imports: [HttpModule],
  providers: [...providers, { provide: GOTO_WEBINAR_OPTIONS, useValue: {} }],
  exports: [GotoWebinarClient, GotoWebhooksClient],
})
export class GotoWebinarModule {
  static register(options: GotoWebinarOptions): DynamicModule {
    return {
      module: GotoWebinarModule,
      imports: [HttpModule],
      providers: [...providers, { provide: GOTO_WEBINAR_OPTIONS, useValue: options }],
      exports: [GotoWebinarClient, GotoWebhooksClient],
    };
  }
}
