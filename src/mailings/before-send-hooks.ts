import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Clock } from '../common/clock';
import {
  BeforeSendContext,
  BeforeSendHook,
  BeforeSendReport,
  emptyReport,
  MAILING_BEFORE_SEND_HOOKS,
  MailingBeforeSendHook,
} from './before-send-hook';
import { safeErrorMessage } from '../database/database-error';

// A hook that overruns the shared deadline is abandoned after this grace period.
const OVERRUN_GRACE_MS = 1000;

// The mailing's before-send hooks: found at boot (@MailingBeforeSendHook), run one after another
// within the mailing's budget. Never throws: a failing or overrunning hook becomes a warning and the mailing still goes out.
@Injectable()
export class BeforeSendHooks implements OnModuleInit {
  private readonly logger = new Logger(BeforeSendHooks.name);

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(MAILING_BEFORE_SEND_HOOKS) private readonly hooks: BeforeSendHook[],
    private readonly clock: Clock,
  ) {}

  // Every provider exists by now (onModuleInit runs after all instances are created).
  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: MailingBeforeSendHook.KEY })
      .filter((w) => w.isDependencyTreeStatic() && w.instance)
      .map((w) => ({
        hook: w.instance as BeforeSendHook,
        order: this.discovery.getMetadataByDecorator(MailingBeforeSendHook, w)?.order ?? 0,
      }))
      .sort((a, b) => a.order - b.order);
    this.hooks.splice(0, this.hooks.length, ...new Set(found.map((f) => f.hook)));
    this.logger.log({ hooks: this.hooks.map((h) => h.name) }, 'Mailing before-send hooks');
  }

  async run(ctx: BeforeSendContext): Promise<BeforeSendReport> {
    const report = emptyReport();
    for (const hook of this.hooks) {
      const part = await this.runOne(hook, ctx);
      report.synced.push(...part.synced);
      report.skipped.push(...part.skipped);
      report.warnings.push(...part.warnings);
    }
    return report;
  }

  private async runOne(hook: BeforeSendHook, ctx: BeforeSendContext): Promise<BeforeSendReport> {
    // The deadline is on the injected clock (as SyncQueue.waitForJobs reads it): turn it into real time.
    const remainingMs = Math.max(0, ctx.deadline.getTime() - this.clock.now().getTime());
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'overrun'>((resolve) => {
      timer = setTimeout(() => resolve('overrun'), remainingMs + OVERRUN_GRACE_MS);
      timer.unref();
    });
    try {
      const result = await Promise.race([hook.beforeSend(ctx), overrun]);
      if (result === 'overrun') {
        this.logger.warn(
          { hook: hook.name, mailingId: ctx.mailingId },
          'Before-send hook overran the budget',
        );
        return {
          ...emptyReport(),
          warnings: [
            { webinarId: null, message: `${hook.name}: did not finish within the time budget` },
          ],
        };
      }
      return result;
    } catch (err) {
      this.logger.error(
        { err, hook: hook.name, mailingId: ctx.mailingId },
        'Before-send hook failed',
      );
      return {
        ...emptyReport(),
        warnings: [{ webinarId: null, message: `${hook.name}: failed: ${errorMessage(err)}` }],
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

// Shown in the mailing's send report: a database error's without its values (database-error.ts).
export const errorMessage = (err: unknown): string => safeErrorMessage(err);
