import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { withNamedLock } from '../database/named-lock';
import { GOTO_WEBHOOK_EVENTS } from '../goto-webinar/goto-webhook-payloads';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { OrganizerAuth } from '../goto-webinar/goto-webinar.types';
import { GotoWebhook, GotoWebhooksClient } from '../goto-webinar/goto-webhooks.client';
import { WebhookSetupStore } from './webhook-setup.store';

export const WEBHOOK_SETUP_LOCK = 'webinar-sync-webhook-setup';
/** A process re-reads GoTo's webhooks at most this often (each organizer's check needs the keys). */
const RECHECK_MS = 10 * 60_000;

// The developer-level half of GoTo's setup (§6.1 steps 1–3): the secret key, then the four webhooks
// created and activated for our callback URL. Idempotent (read before create) and run under a
// database named lock, so instances starting together make one set, not one each.
@Injectable()
export class WebhookDeveloperSetup {
  private readonly logger = new Logger(WebhookDeveloperSetup.name);
  private checked: { keys: Record<string, string>; at: number; url: string } | null = null;
  private running: Promise<{ ran: true; value: Record<string, string> } | { ran: false }> | null =
    null;

  constructor(
    private readonly client: GotoWebhooksClient,
    private readonly store: WebhookSetupStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectDataSource() private readonly ds: DataSource,
  ) {}

  callbackUrl(): string {
    return `${this.config.publicUrl}/api/v1/webhooks/goto`;
  }

  /** eventName -> webhookKey of our active webhooks; `auth`: any organizer's token of our client. */
  async ensure(auth: OrganizerAuth, force = false): Promise<Record<string, string>> {
    const url = this.callbackUrl();
    if (
      !force &&
      this.checked &&
      this.checked.url === url &&
      Date.now() - this.checked.at < RECHECK_MS
    )
      return this.checked.keys;
    // One setup at a time in this process (SQLite has no named lock); across processes the lock.
    this.running ??= withNamedLock(this.ds, WEBHOOK_SETUP_LOCK, 30, () =>
      this.run(auth, url),
    ).finally(() => (this.running = null));
    const outcome = await this.running;
    if (!outcome.ran)
      throw new GotoWebinarError('TEMPORARY', 'webhook setup: another instance holds the lock', {
        endpoint: 'webhook setup',
      });
    this.checked = { keys: outcome.value, at: Date.now(), url };
    return outcome.value;
  }

  private async run(auth: OrganizerAuth, url: string): Promise<Record<string, string>> {
    if (!(await this.store.secret(true))) {
      const secret = await this.client.createSecretKey(auth);
      await this.store.saveSecret(secret.value);
      this.logger.log('webhook secret key created');
    }
    const ours = (await this.client.listWebhooks(auth)).filter((h) => h.callbackUrl === url);
    const missing = GOTO_WEBHOOK_EVENTS.filter((e) => !ours.some((h) => h.eventName === e));
    if (missing.length > 0) {
      // GoTo checks the callback URL with a GET first: this service must be listening by now.
      ours.push(
        ...(await this.client.createWebhooks(
          auth,
          missing.map((eventName) => ({ callbackUrl: url, eventName })),
        )),
      );
      this.logger.log({ callbackUrl: url, events: missing }, 'webhooks created');
    }
    const keys: Record<string, string> = {};
    const inactive: GotoWebhook[] = [];
    for (const e of GOTO_WEBHOOK_EVENTS) {
      const hook = ours.find((h) => h.eventName === e);
      if (!hook) throw new GotoWebinarError('INVALID_RESPONSE', `webhook ${e} was not created`, {});
      keys[e] = hook.webhookKey;
      if (hook.state !== 'ACTIVE') inactive.push(hook);
    }
    if (inactive.length > 0)
      await this.client.setWebhookStates(
        auth,
        inactive.map((h) => ({ webhookKey: h.webhookKey, state: 'ACTIVE' as const })),
      );
    await this.store.saveWebhooks(url, keys, this.clock.now());
    return keys;
  }
}
