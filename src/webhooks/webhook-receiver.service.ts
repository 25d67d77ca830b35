import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { floorToSecond } from '../database/datetime';
import { isUniqueViolation } from '../database/db-errors';
import {
  GotoWebhookEvent,
  parseWebhookDelivery,
  PayloadError,
} from '../goto-webinar/goto-webhook-payloads';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../sync/sync-job-types';
import { SyncQueue } from '../sync/sync-queue.service';
import { WebhookEvent } from './webhook-event.entity';
import { verifierFor, WebhookSignatureVerifier } from './webhook-signature';
import { WebhookSetupStore } from './webhook-setup.store';

/** Events name no account: their jobs run under account 0 (never an account's id). */
export const WEBHOOK_JOB_ACCOUNT = 0;

export interface ReceiveResult {
  received: number;
  duplicates: number;
  ignored: number;
}

// GoTo's callback: signature first (nothing is stored for a bad one), then each event stored once
// (unique eventKey) and queued; answered as soon as that is committed. Processing is the queue's.
@Injectable()
export class WebhookReceiver {
  private readonly logger = new Logger(WebhookReceiver.name);
  private readonly verifier: WebhookSignatureVerifier;

  constructor(
    @InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>,
    private readonly setup: WebhookSetupStore,
    private readonly queue: SyncQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.verifier = verifierFor(config.webhooks.signature);
  }

  async receive(
    raw: Buffer | undefined,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<ReceiveResult> {
    if (!this.config.webhooks.enabled)
      throw new DomainError('not_found', 'WEBHOOKS_DISABLED', 'Webhooks are off in this service');
    const body = raw ?? Buffer.alloc(0);
    await this.checkSignature(body, headers);
    let delivery;
    try {
      delivery = parseWebhookDelivery(body.toString('utf8'));
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      throw new DomainError('bad_request', 'WEBHOOK_PAYLOAD_INVALID', e.message, [
        { field: e.path, message: e.problem },
      ]);
    }
    const result: ReceiveResult = { received: 0, duplicates: 0, ignored: delivery.ignored };
    for (const { event, text } of delivery.events) {
      if (await this.store(event, text)) result.received++;
      else result.duplicates++;
    }
    return result;
  }

  // The replay window is transport time, read on the real clock (a test's FakeClock may be far ahead).
  private async checkSignature(
    body: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<void> {
    let check = this.verifier.verify(body, headers, await this.setup.secret(), Date.now());
    // A secret made by another instance a moment ago: read it once more.
    if (!check.ok)
      check = this.verifier.verify(body, headers, await this.setup.secret(true), Date.now());
    if (check.ok) return;
    this.logger.warn({ scheme: this.verifier.scheme, reason: check.reason }, 'webhook refused');
    throw new DomainError(
      'unauthorized',
      'WEBHOOK_SIGNATURE_INVALID',
      'The webhook signature could not be verified',
    );
  }

  /** True when new; a duplicate that was never processed is queued again (dedupe keeps one job). */
  private async store(event: GotoWebhookEvent, text: string): Promise<boolean> {
    let id: number;
    let created = true;
    try {
      const res = await this.events.insert({
        eventKey: event.eventKey,
        eventName: event.eventName,
        webinarKey: event.webinarKey,
        registrantKey: 'registrantKey' in event ? event.registrantKey : null,
        eventTime: event.timestamp ?? null,
        receivedAt: floorToSecond(this.clock.now()),
        body: text,
        processedAt: null,
        outcome: null,
      });
      id = Number(res.identifiers[0].id);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.events.findOneByOrFail({ eventKey: event.eventKey });
      if (existing.processedAt !== null) return false;
      id = existing.id;
      created = false;
    }
    await this.queueProcessing(id);
    return created;
  }

  /**
   * Makes sure a job will read the stored event: a queued batch job reads it when it starts; a
   * running one may have read its last batch already, so then a second one is queued; if that one
   * runs too, a job of this event alone (never lost, only less batched).
   */
  private async queueProcessing(eventId: number): Promise<void> {
    for (const dedupeKey of ['batch', 'batch-2', `event-${eventId}`]) {
      const { job, created } = await this.queue.enqueueWithOutcome({
        type: SYNC_JOB_TYPES.WEBHOOK_EVENT,
        accountId: WEBHOOK_JOB_ACCOUNT,
        dedupeKey,
        priority: SYNC_PRIORITY.WEBHOOK,
        payload: { firstEventId: eventId },
      });
      if (created || job.status === 'queued') return;
    }
  }
}
