import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { BeforeSendReport } from './before-send-hook';
import { BeforeSendHookRunner } from './before-send-hook.runner';
import { SendMailingResult } from './dto/mailing.views';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { Mailing, MailingRecipient } from './mailing.entity';
import { mailingNotDraft } from './mailings.errors';
import { MailingsService } from './mailings.service';

// Rows per INSERT: 2 parameters each, far below SQLite's and MySQL's placeholder limits.
export const RECIPIENT_INSERT_CHUNK = 1000;

// POST /mailings/:id/send: claim the mailing (draft → sending, exactly one caller wins), run the
// before-send hooks within the budget, resolve and record the recipients, mark it sent.
@Injectable()
export class MailingSendService {
  private readonly logger = new Logger(MailingSendService.name);

  constructor(
    @InjectRepository(Mailing) private readonly mailingRepo: Repository<Mailing>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailings: MailingsService,
    private readonly targetGroups: TargetGroupsService,
    private readonly hooks: BeforeSendHookRunner,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
  ) {}

  async send(accountId: number, id: number): Promise<SendMailingResult> {
    const mailing = await this.mailings.findOwned(accountId, id);
    await this.claim(mailing);
    let result: SendMailingResult;
    try {
      result = await this.sendClaimed(mailing);
    } catch (err) {
      // Nothing went out: give the mailing back so the send can be retried (recipient inserts
      // are idempotent, so a retry after a partial write is safe).
      await this.mailingRepo.update({ id: mailing.id, status: 'sending' }, { status: 'draft' }).catch(() => undefined);
      throw err;
    }
    await this.transport.deliver({ accountId, mailingId: mailing.id, subject: mailing.subject, recipientCount: result.recipientCount }).catch((err: unknown) => {
      // Delivery is out of scope; the mailing is recorded as sent either way.
      this.logger.error({ err, mailingId: mailing.id }, 'Mail transport failed');
    });
    return result;
  }

  // A conditional UPDATE is the lock: of concurrent sends (on any instance) exactly one sees a row changed.
  private async claim(mailing: Mailing): Promise<void> {
    const res = await this.mailingRepo.update({ id: mailing.id, accountId: mailing.accountId, status: 'draft' }, { status: 'sending' });
    if (res.affected === 1) return;
    const now = await this.mailingRepo.findOneBy({ id: mailing.id });
    throw mailingNotDraft(mailing.id, now?.status);
  }

  private async sendClaimed(mailing: Mailing): Promise<SendMailingResult> {
    const started = Date.now();
    const groupIds = await this.mailings.targetGroupIdsOf(mailing.id);
    const targetGroups = await this.mailings.targetGroupsOf(mailing.accountId, groupIds);
    const deadline = new Date(this.clock.now().getTime() + this.config.mailingSyncTimeoutMs);
    const report = boundReport(await this.hooks.run({ accountId: mailing.accountId, mailingId: mailing.id, targetGroups, deadline }));
    const hooksMs = Date.now() - started;

    const subscriberIds = await this.targetGroups.memberSubscriberIds(mailing.accountId, targetGroups.map((g) => g.id));
    // MySQL DATETIME keeps whole seconds: answer with the value that is stored.
    const sentAt = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    const recipientCount = await this.dataSource.transaction(async (manager) => {
      await insertRecipients(manager, mailing.id, subscriberIds);
      await manager.getRepository(Mailing).update({ id: mailing.id, status: 'sending' }, { status: 'sent', sentAt, sendReport: report });
      return manager.getRepository(MailingRecipient).countBy({ mailingId: mailing.id });
    });
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
export async function insertRecipients(manager: EntityManager, mailingId: number, subscriberIds: number[]): Promise<void> {
  const unique = [...new Set(subscriberIds)];
  for (let i = 0; i < unique.length; i += RECIPIENT_INSERT_CHUNK) {
    const rows = unique.slice(i, i + RECIPIENT_INSERT_CHUNK).map((subscriberId) => ({ mailingId, subscriberId }));
    await manager.createQueryBuilder().insert().into(MailingRecipient).values(rows).orIgnore().updateEntity(false).execute();
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
