import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { TooManyRequestsError } from '../common/throttle/too-many-requests.error';
import { AppConfig } from '../config/app-config';
import { floorToSecond } from '../database/datetime';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { BeforeSendReport } from './before-send-hook';
import { BeforeSendHooks } from './before-send-hooks';
import { SendMailingResult } from './dto/mailing.views';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { Mailing, MailingRecipient } from './mailing.entity';
import { mailingNotDraft, sendClaimLost } from './mailings.errors';
import { MailingsService } from './mailings.service';

// Rows per INSERT: 2 parameters each, far below SQLite's and MySQL's placeholder limits.
export const RECIPIENT_INSERT_CHUNK = 1000;
// Member ids read per query while resolving recipients.
export const RECIPIENT_RESOLVE_BATCH = 5000;
// A claim older than the sync budget plus this is taken to be from a process that died mid-send.
export const STALE_CLAIM_MARGIN_MS = 10 * 60_000;
const SENDS_BUSY_RETRY_AFTER_S = 5;

// POST /mailings/:id/send. Every step is idempotent and the claim is the lock:
//   1. claim: draft → sending (a conditional UPDATE: of concurrent callers on any instance, exactly
//      one changes the row); while sending, sent_at holds the claim time;
//   2. run the before-send hooks within MAILING_SYNC_TIMEOUT_MS (never fatal: warnings);
//   3. resolve the recipients and insert them set-based (insert-or-ignore on mailing+subscriber);
//   4. sending → sent with the send time and the report, only if the claim is still ours;
//   5. hand it to the mail transport.
// No transaction spans these steps (the sync in step 2 can take a minute): a failure reverts the
// claim and removes partial recipients; a crash leaves a stale claim that a later send takes over.
@Injectable()
export class MailingSendService {
  private readonly logger = new Logger(MailingSendService.name);
  /** Mailings being sent per account (this process): mailing id → concurrent calls. */
  private readonly sendsInFlight = new Map<number, Map<number, number>>();

  constructor(
    @InjectRepository(Mailing) private readonly mailingRepo: Repository<Mailing>,
    @InjectRepository(MailingRecipient)
    private readonly recipientRepo: Repository<MailingRecipient>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailings: MailingsService,
    private readonly targetGroups: TargetGroupsService,
    private readonly hooks: BeforeSendHooks,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
  ) {}

  /**
   * At most MAILING_SENDS_PER_ACCOUNT mailings of one account are sent at once in this process;
   * another mailing is a 429 (Retry-After) rather than a queue: each send may sync webinars against
   * GoTo's shared budget, so one account cannot fan out. A second send of a mailing already being
   * sent goes on to the claim and gets its 409, as before.
   */
  async send(accountId: number, id: number): Promise<SendMailingResult> {
    const running = this.sendsInFlight.get(accountId) ?? new Map<number, number>();
    if (!running.has(id) && running.size >= this.config.throttle.mailingSendsPerAccount)
      throw new TooManyRequestsError(
        'MAILING_SENDS_BUSY',
        `This account already has ${running.size} mailings being sent; retry when one finishes`,
        SENDS_BUSY_RETRY_AFTER_S,
      );
    running.set(id, (running.get(id) ?? 0) + 1);
    this.sendsInFlight.set(accountId, running);
    try {
      return await this.sendOne(accountId, id);
    } finally {
      const left = (running.get(id) ?? 1) - 1;
      if (left > 0) running.set(id, left);
      else running.delete(id);
      if (running.size === 0 && this.sendsInFlight.get(accountId) === running)
        this.sendsInFlight.delete(accountId);
    }
  }

  private async sendOne(accountId: number, id: number): Promise<SendMailingResult> {
    const mailing = await this.mailings.findOwned(accountId, id);
    const claimedAt = await this.claim(mailing);
    let result: SendMailingResult;
    try {
      result = await this.sendClaimed(mailing, claimedAt);
    } catch (err) {
      await this.release(mailing.id, claimedAt);
      throw err;
    }
    await this.transport
      .deliver({
        accountId,
        mailingId: mailing.id,
        subject: mailing.subject,
        recipientCount: result.recipientCount,
      })
      .catch((err: unknown) => {
        // Delivery is out of scope; the mailing is recorded as sent either way.
        this.logger.error({ err, mailingId: mailing.id }, 'Mail transport failed');
      });
    return result;
  }

  // Returns the claim time. Of concurrent sends exactly one sees a row changed; the rest get 409.
  private async claim(mailing: Mailing): Promise<Date> {
    const claimedAt = floorToSecond(this.clock.now());
    const staleBefore = new Date(
      claimedAt.getTime() - this.config.mailingSyncTimeoutMs - STALE_CLAIM_MARGIN_MS,
    );
    const res = await this.mailingRepo
      .createQueryBuilder()
      .update(Mailing)
      .set({ status: 'sending', sentAt: claimedAt })
      .where('id = :id AND account_id = :accountId', {
        id: mailing.id,
        accountId: mailing.accountId,
      })
      .andWhere("(status = 'draft' OR (status = 'sending' AND sent_at < :staleBefore))", {
        staleBefore,
      })
      .execute();
    if (res.affected !== 1) {
      const now = await this.mailingRepo.findOneBy({ id: mailing.id });
      throw mailingNotDraft(mailing.id, now?.status);
    }
    if (mailing.status === 'sending') {
      this.logger.warn(
        { mailingId: mailing.id },
        'Took over a stale send claim (a previous send did not finish)',
      );
    }
    // Leftovers of an interrupted attempt: recipients are resolved afresh.
    await this.recipientRepo.delete({ mailingId: mailing.id });
    return claimedAt;
  }

  // Gives the mailing back (draft, no recipients) so the send can be retried.
  private async release(mailingId: number, claimedAt: Date): Promise<void> {
    try {
      const res = await this.mailingRepo.update(
        { id: mailingId, status: 'sending', sentAt: claimedAt },
        { status: 'draft', sentAt: null },
      );
      if (res.affected === 1) await this.recipientRepo.delete({ mailingId });
    } catch (err) {
      this.logger.error(
        { err, mailingId },
        'Could not release the send claim; a later send takes it over once stale',
      );
    }
  }

  private async sendClaimed(mailing: Mailing, claimedAt: Date): Promise<SendMailingResult> {
    const started = Date.now();
    const groupIds = await this.mailings.targetGroupIdsOf(mailing.id);
    const targetGroups = await this.mailings.targetGroupsOf(mailing.accountId, groupIds);
    const deadline = new Date(this.clock.now().getTime() + this.config.mailingSyncTimeoutMs);
    const report = boundReport(
      await this.hooks.run({
        accountId: mailing.accountId,
        mailingId: mailing.id,
        targetGroups,
        deadline,
      }),
    );
    const hooksMs = Date.now() - started;

    // Distinct members across the groups, in ascending keyset batches (never all ids in memory).
    const batches = this.targetGroups.iterateMemberSubscriberIds(
      mailing.accountId,
      targetGroups.map((g) => g.id),
      RECIPIENT_RESOLVE_BATCH,
    );
    for await (const subscriberIds of batches) {
      await insertRecipients(this.dataSource.manager, mailing.id, subscriberIds);
    }
    const recipientCount = await this.recipientRepo.countBy({ mailingId: mailing.id });
    const sentAt = floorToSecond(this.clock.now());
    const done = await this.mailingRepo.update(
      { id: mailing.id, status: 'sending', sentAt: claimedAt },
      { status: 'sent', sentAt, sendReport: report },
    );
    if (done.affected !== 1) throw sendClaimLost(mailing.id);

    this.logger.log(
      {
        accountId: mailing.accountId,
        mailingId: mailing.id,
        recipientCount,
        synced: report.synced.length,
        skipped: report.skipped.length,
        warnings: report.warnings.length,
        hooksMs,
        totalMs: Date.now() - started,
      },
      'Mailing sent',
    );
    return { id: mailing.id, status: 'sent', sentAt, recipientCount, sync: report };
  }
}

// Set-based and idempotent: multi-row INSERTs that skip rows already there (unique mailing+subscriber).
export async function insertRecipients(
  manager: EntityManager,
  mailingId: number,
  subscriberIds: number[],
): Promise<void> {
  const unique = [...new Set(subscriberIds)];
  for (let i = 0; i < unique.length; i += RECIPIENT_INSERT_CHUNK) {
    const rows = unique
      .slice(i, i + RECIPIENT_INSERT_CHUNK)
      .map((subscriberId) => ({ mailingId, subscriberId }));
    await manager
      .createQueryBuilder()
      .insert()
      .into(MailingRecipient)
      .values(rows)
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}

// The report is stored in a TEXT column: keep each message short.
function boundReport(r: BeforeSendReport): BeforeSendReport {
  const cut = (s: string) => (s.length > 500 ? `${s.slice(0, 497)}...` : s);
  return {
    synced: r.synced,
    skipped: r.skipped.map((s) => ({ ...s, reason: cut(s.reason) })),
    warnings: r.warnings.map((w) => ({ ...w, message: cut(w.message) })),
  };
}
