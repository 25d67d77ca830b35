import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { fieldError, notFound } from '../common/errors/domain-error';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { BeforeSendReport, BeforeSendTargetGroup } from './before-send-hook';
import { CreateMailingDto } from './dto/create-mailing.dto';
import { MailingRecipientView, MailingView } from './dto/mailing.views';
import { Page } from '../common/pagination';
import { Mailing, MailingRecipient, MailingTargetGroup } from './mailing.entity';

// Mailings and their recipients: create, read, list. Sending lives in MailingSendService.
@Injectable()
export class MailingsService {
  constructor(
    @InjectRepository(Mailing) private readonly mailings: Repository<Mailing>,
    @InjectRepository(MailingTargetGroup)
    private readonly mailingGroups: Repository<MailingTargetGroup>,
    @InjectRepository(MailingRecipient) private readonly recipients: Repository<MailingRecipient>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly targetGroups: TargetGroupsService,
  ) {}

  async create(accountId: number, dto: CreateMailingDto): Promise<MailingView> {
    const groups = await this.targetGroupsOf(accountId, dto.targetGroupIds);
    const missing = dto.targetGroupIds.filter((id) => !groups.some((g) => g.id === id));
    if (missing.length > 0) {
      throw fieldError(
        'unprocessable',
        'targetGroupIds',
        `target groups not found in this account: ${missing.join(', ')}`,
      );
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const saved = await manager
        .getRepository(Mailing)
        .save(
          manager
            .getRepository(Mailing)
            .create({ accountId, subject: dto.subject, status: 'draft' }),
        );
      await manager
        .getRepository(MailingTargetGroup)
        .insert(
          dto.targetGroupIds.map((targetGroupId) => ({ mailingId: saved.id, targetGroupId })),
        );
      return saved.id;
    });
    return this.get(accountId, id);
  }

  async get(accountId: number, id: number): Promise<MailingView> {
    const m = await this.findOwned(accountId, id);
    const [targetGroupIds, recipientCount] = await Promise.all([
      this.targetGroupIdsOf(m.id),
      this.recipients.countBy({ mailingId: m.id }),
    ]);
    return {
      id: m.id,
      subject: m.subject,
      status: m.status,
      targetGroupIds,
      createdAt: m.createdAt,
      // While sending, sent_at holds the claim time: only a sent mailing has a send time.
      sentAt: m.status === 'sent' ? m.sentAt : null,
      recipientCount,
      sync: (m.sendReport as BeforeSendReport | null) ?? null,
    };
  }

  async listRecipients(
    accountId: number,
    id: number,
    page: number,
    pageSize: number,
  ): Promise<Page<MailingRecipientView>> {
    const m = await this.findOwned(accountId, id);
    const [rows, total] = await Promise.all([
      this.recipients
        .createQueryBuilder('r')
        .innerJoin('subscriber', 's', 's.id = r.subscriber_id')
        .select([
          'r.subscriber_id AS subscriberId',
          's.email AS email',
          's.first_name AS firstName',
          's.last_name AS lastName',
        ])
        .where('r.mailing_id = :id', { id: m.id })
        .orderBy('r.id', 'ASC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getRawMany<MailingRecipientView>(),
      this.recipients.countBy({ mailingId: m.id }),
    ]);
    const items = rows.map((r) => ({
      subscriberId: Number(r.subscriberId),
      email: r.email,
      firstName: r.firstName ?? null,
      lastName: r.lastName ?? null,
    }));
    return { items, page, pageSize, total };
  }

  /** The mailing if it belongs to the account; another account's mailing is a 404. */
  async findOwned(accountId: number, id: number): Promise<Mailing> {
    const m = await this.mailings.findOneBy({ id, accountId });
    if (!m) throw notFound('Mailing', id);
    return m;
  }

  async targetGroupIdsOf(mailingId: number): Promise<number[]> {
    const rows = await this.mailingGroups.find({
      where: { mailingId },
      order: { targetGroupId: 'ASC' },
    });
    return rows.map((r) => r.targetGroupId);
  }

  /** The account's groups among `ids` (another account's and unknown ids are left out). */
  async targetGroupsOf(accountId: number, ids: number[]): Promise<BeforeSendTargetGroup[]> {
    const groups = await this.targetGroups.findByIds(accountId, ids);
    return groups.map((g) => ({ id: g.id, webinarId: g.webinarId, kind: g.kind }));
  }
}
