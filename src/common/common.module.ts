import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccountsModule } from '../accounts/accounts.module';
import { AppConfig } from '../config/app-config';
import { ApiKeyGuard } from './auth/api-key.guard';
import { Clock } from './clock';
import { CredentialCipher } from './credential-cipher';
import { HttpErrorFilter } from './errors/http-error.filter';
import { JsonBodyMiddleware } from './json-body.middleware';
import { RequestThrottleGuard, throttlerOptions } from './throttle/request-throttle';
import { createValidationPipe } from './validation';

// Cross-cutting pieces, registered here (not in main.ts) so tests built from AppModule behave
// exactly like the running service.
// Guards run in the order listed: the request throttle first, then the API key lookup.
@Global()
@Module({
  imports: [
    AccountsModule,
    ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: throttlerOptions }),
  ],
  providers: [
    Clock,
    CredentialCipher,
    { provide: APP_GUARD, useClass: RequestThrottleGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [Clock, CredentialCipher],
})
export class CommonModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
