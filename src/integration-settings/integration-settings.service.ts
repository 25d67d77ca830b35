import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { fieldError } from '../common/errors/domain-error';
import { isUniqueViolation } from '../database/db-errors';
import { TargetGroupFoldersService } from '../target-group-folders/target-group-folders.service';
import {
  ENGAGEMENT_MINUTES_MAX,
  ENGAGEMENT_MINUTES_MIN,
  isIanaZone,
  IntegrationSettingsView,
} from './integration-settings.dto';
import {
  DEFAULT_DISPLAYED_TIME_ZONE,
  WebinarIntegrationSettings,
} from './webinar-integration-settings.entity';

export interface IntegrationSettingsPatch {
  active?: boolean;
  targetGroupFolderId?: number;
  displayedTimeZone?: string;
  realTimeUpdates?: boolean;
  engagementMinutes?: number | null;
}

/**
 * Told after a settings change is stored: which settings it touched, and the view before and after
 * (webhooks follow `active` and `realTimeUpdates`; target groups add engaged groups when switched on).
 */
export type SettingsChangeListener = (
  accountId: number,
  changed: string[],
  before: IntegrationSettingsView,
  after: IntegrationSettingsView,
) => void | Promise<void>;

// Admin > Setup > Webinar Integrations, per account. A fresh account gets defaults on first read:
// active, America/New_York, and the account's default folder ("Webinars").
@Injectable()
export class IntegrationSettingsService {
  private readonly logger = new Logger(IntegrationSettingsService.name);
  private readonly listeners = new Set<SettingsChangeListener>();

  constructor(
    @InjectRepository(WebinarIntegrationSettings)
    private readonly settings: Repository<WebinarIntegrationSettings>,
    private readonly folders: TargetGroupFoldersService,
  ) {}

  async get(accountId: number): Promise<IntegrationSettingsView> {
    return view(await this.load(accountId));
  }

  /** Modules that depend on settings react to changes without settings importing them. */
  onChange(listener: SettingsChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether the account wants GoTo webhooks (a fresh account does). */
  async realTimeUpdates(accountId: number): Promise<boolean> {
    const row = await this.settings.findOne({
      select: { accountId: true, realTimeUpdates: true },
      where: { accountId },
    });
    return row ? Boolean(row.realTimeUpdates) : true;
  }

  /** Whether the account syncs at all: one read on every sync job, nothing created (a fresh account is active). */
  async isActive(accountId: number): Promise<boolean> {
    const row = await this.settings.findOne({
      select: { accountId: true, active: true },
      where: { accountId },
    });
    return row ? Boolean(row.active) : true;
  }

  /** Of these accounts, the ones whose integration is inactive (one query for many; no row = active). */
  async inactiveAccounts(accountIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < accountIds.length; i += 1000) {
      const rows = await this.settings.find({
        select: { accountId: true },
        where: { accountId: In(accountIds.slice(i, i + 1000)), active: false },
      });
      for (const r of rows) out.add(Number(r.accountId));
    }
    return out;
  }

  /** Partial update; 422 naming `targetGroupFolderId` for a folder of another account, 400 for a bad zone. */
  async update(
    accountId: number,
    patch: IntegrationSettingsPatch,
  ): Promise<IntegrationSettingsView> {
    const row = await this.load(accountId);
    const changes: Partial<WebinarIntegrationSettings> = {};
    if (patch.active !== undefined) {
      if (typeof patch.active !== 'boolean')
        throw fieldError('bad_request', 'active', 'active must be a boolean value');
      changes.active = patch.active;
    }
    if (patch.realTimeUpdates !== undefined) {
      if (typeof patch.realTimeUpdates !== 'boolean')
        throw fieldError(
          'bad_request',
          'realTimeUpdates',
          'realTimeUpdates must be a boolean value',
        );
      changes.realTimeUpdates = patch.realTimeUpdates;
    }
    if (patch.displayedTimeZone !== undefined) {
      if (!isIanaZone(patch.displayedTimeZone)) {
        throw fieldError(
          'bad_request',
          'displayedTimeZone',
          'displayedTimeZone must be an IANA time zone name such as America/New_York',
        );
      }
      changes.displayedTimeZone = patch.displayedTimeZone;
    }
    if (patch.targetGroupFolderId !== undefined) {
      const folder = await this.folders.findForAccount(accountId, patch.targetGroupFolderId);
      if (!folder) {
        throw fieldError(
          'unprocessable',
          'targetGroupFolderId',
          `target group folder ${patch.targetGroupFolderId} does not exist in this account`,
        );
      }
      changes.targetGroupFolderId = folder.id;
    }
    if (patch.engagementMinutes !== undefined) {
      const n = patch.engagementMinutes;
      if (
        n !== null &&
        (!Number.isInteger(n) || n < ENGAGEMENT_MINUTES_MIN || n > ENGAGEMENT_MINUTES_MAX)
      ) {
        throw fieldError(
          'bad_request',
          'engagementMinutes',
          `engagementMinutes must be null or an integer from ${ENGAGEMENT_MINUTES_MIN} to ${ENGAGEMENT_MINUTES_MAX}`,
        );
      }
      changes.engagementMinutes = n;
    }
    if (Object.keys(changes).length === 0) return view(row);
    await this.settings.update({ accountId }, changes);
    const changed = Object.keys(changes);
    this.logger.log({ accountId, changed }, 'integration settings changed');
    const before = view(row);
    const after = view({ ...row, ...changes } as WebinarIntegrationSettings & {
      targetGroupFolderId: number;
    });
    // Listeners finish before the answer (e.g. the webhook subscriptions' jobs are queued, engaged
    // groups created); their failures are logged, never the caller's.
    await Promise.all(
      [...this.listeners].map((l) =>
        Promise.resolve()
          .then(() => l(accountId, changed, before, after))
          .catch((err: unknown) =>
            this.logger.error(
              { accountId, err: (err as Error)?.message ?? err },
              'settings listener failed',
            ),
          ),
      ),
    );
    return after;
  }

  /** The row, created with defaults on first read; a missing or vanished folder falls back to the default one. */
  private async load(
    accountId: number,
  ): Promise<WebinarIntegrationSettings & { targetGroupFolderId: number }> {
    let row = await this.settings.findOneBy({ accountId });
    if (!row) {
      const folder = await this.folders.ensureDefault(accountId);
      try {
        row = await this.settings.save(
          this.settings.create({
            accountId,
            active: true,
            targetGroupFolderId: folder.id,
            displayedTimeZone: DEFAULT_DISPLAYED_TIME_ZONE,
            realTimeUpdates: true,
          }),
        );
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        row = await this.settings.findOneByOrFail({ accountId });
      }
    }
    if (
      row.targetGroupFolderId === null ||
      !(await this.folders.findForAccount(accountId, row.targetGroupFolderId))
    ) {
      const folder = await this.folders.ensureDefault(accountId);
      await this.settings.update({ accountId }, { targetGroupFolderId: folder.id });
      row.targetGroupFolderId = folder.id;
    }
    return row as WebinarIntegrationSettings & { targetGroupFolderId: number };
  }
}

function view(
  row: WebinarIntegrationSettings & { targetGroupFolderId: number },
): IntegrationSettingsView {
  return {
    active: Boolean(row.active),
    targetGroupFolderId: row.targetGroupFolderId,
    displayedTimeZone: row.displayedTimeZone,
    realTimeUpdates: row.realTimeUpdates === undefined ? true : Boolean(row.realTimeUpdates),
    engagementMinutes: row.engagementMinutes ?? null,
  };
}
