import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { rateLimiterFor } from '../rate-limiter';
import { CallBudget } from './call-budget';
import { MysqlSlotSource } from './mysql-slot-source';
import { DEFAULT_RATE_SAFETY, slotIntervalMs } from './slot-source';

/**
 * The GoTo call budget of the configured OAuth client: on MySQL/MariaDB one budget shared by every
 * instance on the database (GOTO_MAX_RPS is the client's total); on SQLite (one process) the
 * process-wide in-memory pacer.
 */
@Injectable()
export class GotoCallBudgetService implements OnApplicationShutdown {
  private readonly logger = new Logger(GotoCallBudgetService.name);
  readonly budget: CallBudget;

  constructor(config: AppConfig, @Optional() ds?: DataSource) {
    const { apiUrl, clientId, maxRps } = config.goto;
    const type = ds?.options.type;
    if (ds && (type === 'mysql' || type === 'mariadb')) {
      this.budget = new CallBudget(
        new MysqlSlotSource(ds, {
          apiUrl,
          clientId,
          intervalMs: slotIntervalMs(maxRps, DEFAULT_RATE_SAFETY),
        }),
      );
      this.logger.log({ maxRps }, 'GoTo call budget shared by every instance (MySQL)');
    } else {
      this.budget = rateLimiterFor(apiUrl, clientId, maxRps);
    }
  }

  /** The shared source's round-trip counters (MySQL only). */
  mysqlStats(): MysqlSlotSource['stats'] | undefined {
    return this.budget.source instanceof MysqlSlotSource
      ? { ...this.budget.source.stats }
      : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    // The process-wide pacer outlives one app (tests start several): only the MySQL one closes.
    if (this.budget.source instanceof MysqlSlotSource) await this.budget.close();
  }
}
