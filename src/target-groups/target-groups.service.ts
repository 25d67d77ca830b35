import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, In, MoreThan, Repository } from 'typeorm';
import { chunks } from '../common/chunks';
import { notFound } from '../common/errors/domain-error';
import { Page } from '../common/pagination';
import { isLockConflict } from '../database/db-errors';
import { IntegrationSettingsService } from '../integration-settings/integration-settings.service';
import { DEFAULT_DISPLAYED_TIME_ZONE } from '../integration-settings/webinar-integration-settings.entity';
import { Webinar } from '../webinars/webinar.entity';
import {
  buildTargetGroupName,
  firstSessionStart,
  isValidTimeZone,
  kindsFor,
} from './build-target-group-name';
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

// How many " (n)" ordinals to try for one webinar before giving up (name clashes in one folder).
const MAX_ORDINAL = 100;
const LOCK_CONFLICT_RETRIES = 3;
// Webinars per multi-row INSERT (3 rows each, a handful of parameters per row).
const INSERT_CHUNK = 200;
// IN lists of a bounded size (an organizer can have thousands of webinars in the sync window).
const IN_LIST = 500;

@Injectable()
export class TargetGroupsService implements OnModuleInit {
  private readonly logger = new Logger(TargetGroupsService.name);

  constructor(
    @InjectRepository(TargetGroup) private readonly groups: Repository<TargetGroup>,
    private readonly memberQueries: TargetGroupMembersRepository,
    private readonly settings: IntegrationSettingsService,
    private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    // Switching engagement groups on (or to another N) gives every existing webinar the group it
    // lacks; groups that exist keep their name and frozen threshold.
    this.settings.onChange(async (accountId, _changed, before, after) => {
      if (after.engagementMinutes !== null && after.engagementMinutes !== before.engagementMinutes)
        await this.ensureForAccount(accountId);
    });
  }

  /** `ensureForWebinars` over every webinar of the account, in keyset batches. */
  async ensureForAccount(accountId: number): Promise<{ created: number }> {
    let created = 0;
    for (let afterId = 0; ;) {
      const batch = await this.ds.getRepository(Webinar).find({
        select: { id: true },
        where: { accountId, id: MoreThan(afterId) },
        order: { id: 'ASC' },
        take: 2000,
      });
      if (!batch.length) return { created };
      created += (
        await this.ensureForWebinars(
          accountId,
          batch.map((w) => w.id),
        )
      ).created;
      afterId = batch[batch.length - 1].id;
    }
  }

  /**
   * Creates the missing standard groups (Registered, Attended, Not Attended, and Engaged while
   * `engagementMinutes` is set) of the account's webinars, in the configured folder, named in the
   * current displayed time zone. Idempotent and safe under concurrent callers: (webinar_id, kind)
   * is unique and rows go in with insert-or-ignore. Existing groups are never renamed or moved.
   * Ids of other accounts' webinars are ignored.
   */
  async ensureForWebinars(accountId: number, webinarIds: number[]): Promise<{ created: number }> {
    const ids = [...new Set(webinarIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
    if (!ids.length) return { created: 0 };
    const settings = await this.settings.get(accountId);
    const kinds = kindsFor(settings.engagementMinutes);
    const have = new Set<string>();
    for (const chunk of chunks(ids, IN_LIST)) await this.addPresent(accountId, have, chunk);
    const needy = ids.filter((id) => kinds.some((k) => !have.has(`${id}:${k}`)));
    if (!needy.length) return { created: 0 };

    const webinars: Webinar[] = [];
    for (const chunk of chunks(needy, IN_LIST)) {
      webinars.push(
        ...(await this.ds.getRepository(Webinar).find({
          select: { id: true, subject: true, startsAt: true, sessions: true },
          where: { accountId, id: In(chunk) },
        })),
      );
    }
    // Oldest first, so the webinar that keeps the plain name (vs " (2)") does not depend on call order.
    webinars.sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime() || x.id - y.id);
    if (!webinars.length) return { created: 0 };
    const naming: Naming = {
      accountId,
      folderId: settings.targetGroupFolderId,
      zone: this.usableZone(accountId, settings.displayedTimeZone),
      engagementMinutes: settings.engagementMinutes,
    };

    // The missing kinds (all of them for every new webinar of a sync; `engaged` alone when it is
    // switched on) go in a few hundred webinars per statement at ordinal 1, oldest first. The
    // database skips a row whose name is taken in the folder (or that a concurrent caller
    // inserted); what is still missing then takes the per-webinar ordinal search.
    let created = 0;
    const missingOf = (w: Webinar) => kinds.filter((k) => !have.has(`${w.id}:${k}`));
    for (const chunk of chunks(webinars, INSERT_CHUNK)) {
      created += await this.insertOrIgnore(
        chunk.flatMap((w) => groupRows(naming, w, missingOf(w), 1)),
      );
      await this.addPresent(
        accountId,
        have,
        chunk.map((w) => w.id),
      );
    }
    for (const webinar of webinars) {
      const missing = missingOf(webinar);
      if (missing.length) created += await this.ensureOne(naming, webinar, missing);
    }
    if (created)
      this.logger.log(
        { accountId, folderId: naming.folderId, zone: naming.zone, created },
        'created target groups',
      );
    return { created };
  }

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

  private usableZone(accountId: number, zone: string): string {
    if (isValidTimeZone(zone)) return zone;
    this.logger.warn(
      { accountId, zone, fallback: DEFAULT_DISPLAYED_TIME_ZONE },
      'unknown displayed time zone; naming in the default zone',
    );
    return DEFAULT_DISPLAYED_TIME_ZONE;
  }

  // Inserts the missing kinds of one webinar. The name is unique per folder, so a clash with another
  // webinar's group (same subject and start, or names equal under MySQL's collation) moves on to the
  // next ordinal " (2)", " (3)"…; a clash on (webinar, kind) means a concurrent caller already did it.
  private async ensureOne(
    naming: Naming,
    webinar: Webinar,
    kinds: readonly TargetGroupKind[],
  ): Promise<number> {
    const { accountId, folderId } = naming;
    let missing = kinds;
    let created = 0;
    for (let ordinal = 1; missing.length && ordinal <= MAX_ORDINAL; ordinal++) {
      const rows = groupRows(naming, webinar, missing, ordinal);
      const taken = await this.groups.count({
        where: { accountId, folderId, name: In(rows.map((r) => r.name)) },
      });
      if (taken) continue;
      created += await this.insertOrIgnore(rows);
      const present = await this.groups.find({
        select: { kind: true },
        where: { accountId, webinarId: webinar.id },
      });
      missing = missing.filter((k) => !present.some((g) => g.kind === k));
    }
    if (missing.length)
      throw new Error(`No free target group name for webinar ${webinar.id} in folder ${folderId}`);
    return created;
  }

  /** Adds "webinarId:kind" of the groups that exist for these webinars (one IN list) to `have`. */
  private async addPresent(
    accountId: number,
    have: Set<string>,
    webinarIds: number[],
  ): Promise<void> {
    const rows = await this.groups.find({
      select: { webinarId: true, kind: true },
      where: { accountId, webinarId: In(webinarIds) },
    });
    for (const g of rows) have.add(`${g.webinarId}:${g.kind}`);
  }

  private async insertOrIgnore(rows: Partial<TargetGroup>[]): Promise<number> {
    const [sql, params] = this.groups
      .createQueryBuilder()
      .insert()
      .into(TargetGroup)
      .values(rows)
      .orIgnore()
      .getQueryAndParameters();
    for (let attempt = 1; ; attempt++) {
      const runner = this.ds.createQueryRunner();
      try {
        const result = await runner.query(sql, params, true);
        return Number(result.affected ?? 0);
      } catch (e) {
        // Concurrent INSERT IGNOREs on the same unique keys can deadlock on MySQL; the retry is safe.
        if (attempt >= LOCK_CONFLICT_RETRIES || !isLockConflict(e)) throw e;
      } finally {
        await runner.release();
      }
    }
  }
}

/** What a new group's name and threshold come from: the account's settings at creation. */
interface Naming {
  accountId: number;
  folderId: number;
  zone: string;
  engagementMinutes: number | null;
}

function groupRows(
  naming: Naming,
  webinar: Webinar,
  kinds: readonly TargetGroupKind[],
  ordinal: number,
): Partial<TargetGroup>[] {
  const startsAt = firstSessionStart(webinar);
  return kinds.map((kind) => {
    const engagementMinutes = kind === 'engaged' ? naming.engagementMinutes : null;
    return {
      accountId: naming.accountId,
      folderId: naming.folderId,
      webinarId: webinar.id,
      kind,
      engagementMinutes,
      name: buildTargetGroupName({
        subject: webinar.subject,
        startsAt,
        timeZone: naming.zone,
        kind,
        engagementMinutes,
        ordinal,
      }),
    };
  });
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
