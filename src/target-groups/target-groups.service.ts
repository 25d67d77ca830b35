import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { Page } from '../common/pagination';
import { MemberRow, TargetGroupMembersRepository } from './target-group-members.repository';
import { TargetGroup, TargetGroupKind } from './target-group.entity';

export interface TargetGroupView {
  id: number;
  name: string;
  kind: TargetGroupKind | null;
  engagementMinutes: number | null;
  webinarId: number | null;
  folderId: number;
  memberCount: number;
  createdAt: Date;
}

export interface TargetGroupFilter {
  webinarId?: number;
  folderId?: number;
  page: number;
  pageSize: number;
}

// The account's target groups and their members, as read by the REST API, exports and mailings
// (who is a member: TargetGroupMembersRepository). The standard groups are created by
// TargetGroupCreationService.
@Injectable()
export class TargetGroupsService {
  constructor(
    @InjectRepository(TargetGroup) private readonly groups: Repository<TargetGroup>,
    private readonly memberQueries: TargetGroupMembersRepository,
  ) {}

  async list(accountId: number, filter: TargetGroupFilter): Promise<Page<TargetGroupView>> {
    const where: FindOptionsWhere<TargetGroup> = { accountId };
    if (filter.webinarId !== undefined) where.webinarId = filter.webinarId;
    if (filter.folderId !== undefined) where.folderId = filter.folderId;
    const [rows, total] = await this.groups.findAndCount({
      where,
      order: { id: 'ASC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    const counts = await this.memberQueries.countByGroup(
      accountId,
      rows.map((g) => g.id),
    );
    return {
      items: rows.map((g) => toView(g, counts.get(g.id) ?? 0)),
      page: filter.page,
      pageSize: filter.pageSize,
      total,
    };
  }

  /** One group of the account with its member count; 404 for another account's group. */
  async get(accountId: number, id: number): Promise<TargetGroupView> {
    const group = await this.requireGroup(accountId, id);
    const counts = await this.memberQueries.countByGroup(accountId, [group.id]);
    return toView(group, counts.get(group.id) ?? 0);
  }

  /** The account's groups among `ids`, without member counts (cheap); unknown and foreign ids are left out. */
  async findByIds(
    accountId: number,
    ids: number[],
  ): Promise<Omit<TargetGroupView, 'memberCount'>[]> {
    const valid = [...new Set(ids.filter(Number.isSafeInteger))];
    if (!valid.length) return [];
    const rows = await this.groups.find({
      where: { accountId, id: In(valid) },
      order: { id: 'ASC' },
    });
    return rows.map(({ id, name, kind, engagementMinutes, webinarId, folderId, createdAt }) => ({
      id,
      name,
      kind,
      engagementMinutes,
      webinarId,
      folderId,
      createdAt,
    }));
  }

  /** A page of the group's current members (subscriber id, email, names); 404 for another account's group. */
  async members(
    accountId: number,
    groupId: number,
    page: number,
    pageSize: number,
  ): Promise<Page<MemberRow>> {
    const group = await this.requireGroup(accountId, groupId);
    const [items, counts] = await Promise.all([
      this.memberQueries.page(accountId, group.id, (page - 1) * pageSize, pageSize),
      this.memberQueries.countByGroup(accountId, [group.id]),
    ]);
    return { items, page, pageSize, total: counts.get(group.id) ?? 0 };
  }

  /**
   * Every current member of the account's group in batches (keyset on the subscriber id), for
   * streaming. The group is checked first (404 before anything is sent).
   */
  async memberBatches(
    accountId: number,
    groupId: number,
    batchSize = 2000,
  ): Promise<{ group: TargetGroup; batches: AsyncGenerator<MemberRow[]> }> {
    const group = await this.requireGroup(accountId, groupId);
    const members = this.memberQueries;
    const batches = (async function* () {
      for (let afterId = 0; ;) {
        const rows = await members.pageAfter(accountId, group.id, afterId, batchSize);
        if (rows.length) yield rows;
        if (rows.length < batchSize) return;
        afterId = rows[rows.length - 1].id;
      }
    })();
    return { group, batches };
  }

  /**
   * Distinct subscriber ids across the given groups of the account, ascending, from one SQL statement
   * (how a mailing resolves its recipients). 404 if any id is not a group of the account.
   * With `limit`, returns one keyset page after `afterId`; see `iterateMemberSubscriberIds` for batches.
   */
  async memberSubscriberIds(
    accountId: number,
    groupIds: number[],
    options: { afterId?: number; limit?: number } = {},
  ): Promise<number[]> {
    const ids = await this.requireGroupIds(accountId, groupIds);
    return this.memberQueries.distinctSubscriberIds(
      accountId,
      ids,
      options.afterId ?? 0,
      options.limit,
    );
  }

  /** The same ids in ascending batches of `batchSize`, without holding them all in memory. */
  async *iterateMemberSubscriberIds(
    accountId: number,
    groupIds: number[],
    batchSize = 5000,
  ): AsyncGenerator<number[]> {
    const ids = await this.requireGroupIds(accountId, groupIds);
    let afterId = 0;
    for (;;) {
      const batch = await this.memberQueries.distinctSubscriberIds(
        accountId,
        ids,
        afterId,
        batchSize,
      );
      if (batch.length) yield batch;
      if (batch.length < batchSize) return;
      afterId = batch[batch.length - 1];
    }
  }

  private async requireGroup(accountId: number, id: number): Promise<TargetGroup> {
    const group = Number.isSafeInteger(id) ? await this.groups.findOneBy({ accountId, id }) : null;
    if (!group) throw notFound('Target group', id);
    return group;
  }

  private async requireGroupIds(accountId: number, groupIds: number[]): Promise<number[]> {
    const ids = [...new Set(groupIds)];
    if (!ids.length) return [];
    const found = await this.groups.find({
      select: { id: true },
      where: { accountId, id: In(ids.filter(Number.isSafeInteger)) },
    });
    const foundIds = new Set(found.map((g) => g.id));
    const missing = ids.filter((id) => !foundIds.has(id));
    if (missing.length)
      throw notFound(missing.length > 1 ? 'Target groups' : 'Target group', missing.join(', '));
    return ids;
  }
}

function toView(g: TargetGroup, memberCount: number): TargetGroupView {
  return {
    id: g.id,
    name: g.name,
    kind: g.kind,
    engagementMinutes: g.engagementMinutes,
    webinarId: g.webinarId,
    folderId: g.folderId,
    memberCount,
    createdAt: g.createdAt,
  };
}
