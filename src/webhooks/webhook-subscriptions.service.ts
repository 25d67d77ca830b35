import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { withNamedLock } from '../database/named-lock';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { OrganizerAuth } from '../goto-webinar/goto-webinar.types';
import { GotoWebhooksClient } from '../goto-webinar/goto-webhooks.client';
import { IntegrationSettingsService } from '../integration-settings/integration-settings.service';
import { OrganizerEvents } from '../organizers/organizer-events';
import { OrganizersService } from '../organizers/organizers.service';
import { describeJobError } from '../sync/sync-error-policy';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../sync/sync-job-types';
import { SyncQueue } from '../sync/sync-queue.service';
import { WebhookDeveloperSetup } from './webhook-developer-setup.service';

export const WEBHOOK_DAILY_CRON = '23 3 * * *';
const DAILY_LOCK = 'webinar-sync-webhook-daily';
/** First check after start: the HTTP server must be listening for GoTo's GET check. */
const START_DELAY_MS = 3000;

/** Setup failures worth another try later (GET check refused, odd answer, GoTo busy). */
const SETUP_RETRY = new Set([
  'BAD_REQUEST',
  'INVALID_RESPONSE',
  'NOT_FOUND',
  'TEMPORARY',
  'RATE_LIMITED',
]);

export interface SubscriptionOutcome {
  state: 'on' | 'off' | 'failing';
  reason: string | null;
}

// Each organizer's user subscription (§6.1 step 4, with the organizer's own token), kept in line with
// what it should be: on for an active organizer of an active account with real-time updates on,
// off otherwise. Checked by a queued job on link/reactivation/deactivation, after Test Connection,
// when the account's switch changes, once after start and by a daily pass. State and reason are
// stored on the organizer (shown as realTimeUpdates).
@Injectable()
export class WebhookSubscriptions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookSubscriptions.name);
  private cron: CronJob | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly config: AppConfig,
    private readonly organizers: OrganizersService,
    private readonly organizerEvents: OrganizerEvents,
    private readonly settings: IntegrationSettingsService,
    private readonly developer: WebhookDeveloperSetup,
    private readonly client: GotoWebhooksClient,
    private readonly queue: SyncQueue,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe.push(
      this.organizerEvents.on(async (e) => {
        // Webhooks off in this service: say so on the organizer, queue nothing.
        if (!this.config.webhooks.enabled)
          await this.organizers.recordWebhookState(
            e.organizerId,
            'off',
            this.disabledReason(),
            this.clock.now(),
          );
        else await this.requestCheck(e.accountId, e.organizerId);
      }),
      this.settings.onChange((accountId, changed) => {
        if (
          this.config.webhooks.enabled &&
          (changed.includes('realTimeUpdates') || changed.includes('active'))
        )
          return this.requestAccount(accountId);
      }),
    );
    if (!this.config.webhooks.enabled) {
      this.logger.warn(
        { reason: this.disabledReason() },
        'webhooks off: changes arrive by polling only',
      );
      return;
    }
    if (!this.config.sync.schedulerEnabled) return;
    this.startTimer = setTimeout(() => void this.dailyPass(), START_DELAY_MS);
    this.startTimer.unref();
    this.cron = CronJob.from({
      cronTime: WEBHOOK_DAILY_CRON,
      onTick: () => void this.dailyPass(),
      timeZone: 'UTC',
      start: true,
    });
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.startTimer) clearTimeout(this.startTimer);
    void this.cron?.stop();
    this.cron = null;
  }

  /** Queues the check of one organizer's subscription (deduplicated while one is queued). */
  async requestCheck(accountId: number, organizerId: number): Promise<number> {
    const job = await this.queue.enqueue({
      type: SYNC_JOB_TYPES.WEBHOOK_SUBSCRIPTION,
      accountId,
      organizerId,
      priority: SYNC_PRIORITY.ON_DEMAND,
    });
    return job.id;
  }

  /** Every active organizer of every account (the daily pass and the check after start). */
  async dailyPass(): Promise<number> {
    try {
      const outcome = await withNamedLock(this.ds, DAILY_LOCK, 0, async () => {
        const all = await this.organizers.listAllActive();
        await this.queue.enqueueMany(
          all.map((o) => ({
            type: SYNC_JOB_TYPES.WEBHOOK_SUBSCRIPTION,
            accountId: o.accountId,
            organizerId: o.id,
            priority: SYNC_PRIORITY.PERIODIC,
          })),
        );
        return all.length;
      });
      return outcome.ran ? outcome.value : 0;
    } catch (err) {
      this.logger.error({ err: describeJobError(err) }, 'webhook subscription pass failed');
      return 0;
    }
  }

  private async requestAccount(accountId: number): Promise<void> {
    for (const o of await this.organizers.list(accountId))
      if (o.active || o.webhookState === 'on') await this.requestCheck(accountId, o.id);
  }

  /** The job's body: bring the organizer's subscriptions to what they should be, and store the state. */
  async syncOrganizer(organizerId: number): Promise<SubscriptionOutcome> {
    const target = await this.organizers.getForSync(organizerId);
    const { organizer, auth } = target;
    const off = await this.offReason(target.syncAllowed, target.reason, organizer.accountId);
    const now = this.clock.now();
    if (off !== null) {
      if (this.config.webhooks.enabled && organizer.webhookState !== 'off') {
        try {
          await this.setAll(auth, 'INACTIVE');
        } catch (err) {
          // A deactivated organizer's credentials may be gone: GoTo stops delivering for a removed user.
          this.logger.warn(
            { organizerId, err: describeJobError(err) },
            'could not switch the webhooks off',
          );
        }
      }
      await this.organizers.recordWebhookState(organizerId, 'off', off, now);
      return { state: 'off', reason: off };
    }
    let keys: Record<string, string>;
    try {
      keys = await this.developer.ensure(auth);
    } catch (err) {
      // GoTo's GET check may fail while this service is not reachable yet (just started, proxy not
      // ready): the setup is retried with the queue's back-off, not left until the daily pass.
      const reason = describeJobError(err);
      await this.organizers.recordWebhookState(organizerId, 'failing', reason, now);
      if (err instanceof GotoWebinarError && SETUP_RETRY.has(err.code))
        throw new GotoWebinarError('TEMPORARY', `webhook setup: ${err.message}`, err.details);
      throw err;
    }
    try {
      const url = this.developer.callbackUrl();
      const wanted = new Set(Object.values(keys));
      const subs = (await this.client.listUserSubscriptions(auth)).filter(
        (s) => s.callbackUrl === url && wanted.has(s.webhookKey),
      );
      const missing = [...wanted].filter((k) => !subs.some((s) => s.webhookKey === k));
      if (missing.length > 0)
        await this.client.createUserSubscriptions(
          auth,
          missing.map((webhookKey) => ({ webhookKey, callbackUrl: url })),
        );
      const inactive = subs.filter((s) => s.userSubscriptionState !== 'ACTIVE');
      if (inactive.length > 0)
        await this.client.setUserSubscriptionStates(
          auth,
          inactive.map((s) => ({
            webhookKey: s.webhookKey,
            userSubscriptionKey: s.userSubscriptionKey,
            userSubscriptionState: 'ACTIVE' as const,
          })),
        );
      await this.organizers.recordWebhookState(organizerId, 'on', null, now);
      return { state: 'on', reason: null };
    } catch (err) {
      const reason = describeJobError(err);
      await this.organizers.recordWebhookState(organizerId, 'failing', reason, now);
      this.logger.warn({ organizerId, err: reason }, 'webhook subscription failing');
      if (err instanceof GotoWebinarError && err.retryable) throw err;
      return { state: 'failing', reason };
    }
  }

  private async offReason(
    syncAllowed: boolean,
    reason: string | undefined,
    accountId: number,
  ): Promise<string | null> {
    if (!this.config.webhooks.enabled) return this.disabledReason();
    if (!syncAllowed) return reason ?? 'sync not allowed';
    if (!(await this.settings.realTimeUpdates(accountId)))
      return 'real-time updates are switched off for this account';
    return null;
  }

  private disabledReason(): string {
    return `webhooks are off in this service (${this.config.webhooks.disabledReason ?? 'WEBHOOKS_ENABLED is false'})`;
  }

  private async setAll(auth: OrganizerAuth, state: 'ACTIVE' | 'INACTIVE'): Promise<void> {
    const url = this.developer.callbackUrl();
    const subs = (await this.client.listUserSubscriptions(auth)).filter(
      (s) => s.callbackUrl === url && s.userSubscriptionState !== state,
    );
    if (subs.length === 0) return;
    await this.client.setUserSubscriptionStates(
      auth,
      subs.map((s) => ({
        webhookKey: s.webhookKey,
        userSubscriptionKey: s.userSubscriptionKey,
        userSubscriptionState: state,
      })),
    );
  }
}
