import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, MoreThan, Repository } from 'typeorm';
import { chunks } from '../common/chunks';
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
import { TargetGroup, TargetGroupKind } from './target-group.entity';

// How many " (n)" ordinals to try for one webinar before giving up (name clashes in one folder).
const MAX_ORDINAL = 100;
const LOCK_CONFLICT_RETRIES = 3;
// Webinars per multi-row INSERT (3 rows each, a handful of parameters per row).
const INSERT_CHUNK = 200;
// IN lists of a bounded size (an organizer can have thousands of webinars in the sync window).
const IN_LIST = 500;

// Creates each webinar's standard groups (Registered, Attended, Not Attended, and Engaged while the
// account sets engagement minutes), named from the account's settings at creation. Reading the
// groups and their members is TargetGroupsService's.
@Injectable()
export class TargetGroupCreationService implements OnModuleInit {
  private readonly logger = new Logger(TargetGroupCreationService.name);

  constructor(
    @InjectRepository(TargetGroup) private readonly groups: Repository<TargetGroup>,
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
