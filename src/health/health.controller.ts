import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { collectDefaultMetrics, register } from 'prom-client';
import { bearerMatches } from '../common/auth/bearer-token';
import { Public } from '../common/auth/public.decorator';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';

let defaultMetricsStarted = false;

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly config: AppConfig,
  ) {
    if (!defaultMetricsStarted) {
      collectDefaultMetrics();
      defaultMetricsStarted = true;
    }
  }

  @Get('health')
  @SkipThrottle({ ip: true, key: true, 'sign-in': true })
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 3000 })]);
  }

  // Public unless METRICS_TOKEN is set; then only `Authorization: Bearer <METRICS_TOKEN>` reads it.
  @Get('metrics')
  @ApiProduces(register.contentType)
  metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token !== undefined && !bearerMatches(authorization, token))
      throw new DomainError(
        'unauthorized',
        'METRICS_TOKEN_REQUIRED',
        'Authorization: Bearer <METRICS_TOKEN> is required',
      );
    res.type(register.contentType);
    return register.metrics();
  }
}
