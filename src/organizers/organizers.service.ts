import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { CredentialCipher } from '../common/credential-cipher';
import { DomainError, notFound } from '../common/errors/domain-error';
import { redactText } from '../logging/redact';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import {
  GotoIdentity,
  OrganizerAuth,
  OrganizerCredentials,
} from '../goto-webinar/goto-webinar.types';
import { SyncRequestsService } from '../sync/sync-requests.service';
import { credentialsContext } from './organizer-credentials';
import { OrganizerEvents } from './organizer-events';
import { Organizer, WebhookState } from './organizer.entity';
import { cacheKeyOf, OrganizerLinkingService } from './organizer-linking.service';
import { OrganizerSignInService, Verified } from './organizer-sign-in.service';

export { cacheKeyOf } from './organizer-linking.service';
export { USER_DEACTIVATED_REASON } from './organizer-activation';

const MAX_ERROR_LENGTH = 2000;

/** What the periodic planner needs of an organizer (its webhook columns: webhooks-health.ts). */
export type SyncableOrganizer = Pick<
  Organizer,
  'id' | 'accountId' | 'lastSyncedAt' | 'webhookState' | 'webhookCheckedAt' | 'webhookLastEventAt'
>;

export interface OrganizerForSync {
  organizer: Organizer;
  auth: OrganizerAuth;
  syncAllowed: boolean;
  reason?: string;
}

// GoTo organizer accounts linked to an account: the module's facade for other modules (queries,
// auth for the GoTo client, connection/sync bookkeeping) and Test Connection's outcome. Linking and
// credential changes are OrganizerLinkingService's (organizer-linking.service.ts).
@Injectable()
export class OrganizersService {
  private readonly logger = new Logger(OrganizersService.name);

  constructor(
    @InjectRepository(Organizer) private readonly organizers: Repository<Organizer>,
    private readonly cipher: CredentialCipher,
    private readonly client: GotoWebinarClient,
    private readonly syncRequests: SyncRequestsService,
    private readonly linking: OrganizerLinkingService,
    private readonly signIn: OrganizerSignInService,
    private readonly clock: Clock,
    private readonly events: OrganizerEvents,
  ) {}

  // ---- for other modules ------------------------------------------------------------------------

  /** How the GoTo client acts for this organizer; a rotated refresh token is stored (encrypted) at once. */
  authFor(organizer: Organizer): OrganizerAuth {
    const id = organizer.id;
    return {
      cacheKey: cacheKeyOf(id),
      credentials: this.cipher.decryptJson<OrganizerCredentials>(
        organizer.credentialsEncrypted,
        credentialsContext(organizer.accountId, organizer.organizerKey),
        { legacy: true },
      ),
      onRefreshTokenRotated: async (refreshToken: string) => {
        const credentialsEncrypted = this.cipher.encryptJson(
          { method: 'oauth', refreshToken } satisfies OrganizerCredentials,
          credentialsContext(organizer.accountId, organizer.organizerKey),
        );
        await this.organizers.update({ id, authMethod: 'oauth' }, { credentialsEncrypted });
        this.logger.log(
          { organizerId: id, accountId: organizer.accountId },
          'rotated refresh token stored',
        );
      },
    };
  }

  /** The organizer, its auth, and whether it may sync now (the skip rules of SyncRequestsService). */
  async getForSync(organizerId: number): Promise<OrganizerForSync> {
    const organizer = await this.organizers.findOneBy({ id: organizerId });
    if (!organizer) throw notFound('Organizer', organizerId);
    const auth = this.authFor(organizer);
    const skip = await this.syncRequests.skipFor(organizer);
    return skip
      ? { organizer, auth, syncAllowed: false, reason: skip.message }
      : { organizer, auth, syncAllowed: true };
  }

  /**
   * Every organizer that may sync now, of every account (for the periodic scheduler): active
   * organizers, less those the skip rules hold back, in one query each.
   */
  async listSyncable(): Promise<SyncableOrganizer[]> {
    const active = await this.organizers.find({
      select: {
        id: true,
        accountId: true,
        active: true,
        lastSyncedAt: true,
        // whether its webhooks flow (webhooks-health.ts): the schedule relaxes for it
        webhookState: true,
        webhookCheckedAt: true,
        webhookLastEventAt: true,
      },
      where: { active: true },
      order: { id: 'ASC' },
    });
    const skipped = await this.syncRequests.skipsFor(active);
    return active.filter((o) => !skipped.has(o.id));
  }

  /** POST /organizers/:id/sync: the full sync now (on-demand priority); 409 when it may not sync. */
  async requestSync(accountId: number, organizerId: number): Promise<{ jobId: number }> {
    const organizer = await this.getForAccount(accountId, organizerId);
    const outcome = await this.syncRequests.syncOrganizer(organizer, 'on_demand');
    if (outcome.queued) return { jobId: outcome.jobId };
    throw new DomainError(
      'conflict',
      outcome.skip.reason === 'organizer_inactive' ? 'ORGANIZER_INACTIVE' : 'INTEGRATION_INACTIVE',
      outcome.skip.reason === 'organizer_inactive'
        ? `Organizer ${organizerId} is deactivated; activate it to sync`
        : `The webinar integration of account ${accountId} is inactive; activate it to sync`,
    );
  }

  listActive(accountId: number): Promise<Organizer[]> {
    return this.organizers.find({ where: { accountId, active: true }, order: { id: 'ASC' } });
  }

  /** Active organizers of this GoTo organizer key, in every account that linked it (webhook events). */
  findActiveByKey(organizerKey: string): Promise<Organizer[]> {
    return this.organizers.find({ where: { organizerKey, active: true }, order: { id: 'ASC' } });
  }

  /** Every active organizer of every account (the webhook subscriptions' daily check). */
  listAllActive(): Promise<Organizer[]> {
    return this.organizers.find({ where: { active: true }, order: { id: 'ASC' } });
  }

  /** The webhook subscription's state as src/webhooks/ last found it. */
  async recordWebhookState(
    organizerId: number,
    state: WebhookState,
    reason: string | null,
    checkedAt: Date,
  ): Promise<void> {
    await this.organizers.update(
      { id: organizerId },
      {
        webhookState: state,
        webhookReason: reason === null ? null : clip(reason).slice(0, 500),
        webhookCheckedAt: checkedAt,
      },
    );
  }

  /** A webhook event about these organizers arrived (events are flowing). */
  async recordWebhookEvent(organizerIds: number[], at: Date): Promise<void> {
    if (organizerIds.length === 0) return;
    await this.organizers.update({ id: In(organizerIds) }, { webhookLastEventAt: at });
  }

  list(accountId: number): Promise<Organizer[]> {
    return this.organizers.find({ where: { accountId }, order: { id: 'ASC' } });
  }

  /** The organizer if it belongs to the account, else null. */
  findForAccount(accountId: number, id: number): Promise<Organizer | null> {
    if (!Number.isSafeInteger(id)) return Promise.resolve(null);
    return this.organizers.findOneBy({ accountId, id });
  }

  /** Email of each of these organizers of the account (one query; others' ids left out). */
  async emailsOf(accountId: number, ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.organizers.find({
      select: { id: true, email: true },
      where: { accountId, id: In(unique) },
    });
    return new Map(rows.map((o) => [o.id, o.email]));
  }

  /** Like findForAccount, but a 404 DomainError when missing (another account's id included). */
  async getForAccount(accountId: number, id: number): Promise<Organizer> {
    const found = await this.findForAccount(accountId, id);
    if (!found) throw notFound('Organizer', id);
    return found;
  }

  async recordSyncSuccess(organizerId: number, at: Date): Promise<void> {
    await this.organizers.update(
      { id: organizerId },
      { lastSyncedAt: at, connectionStatus: 'ok', lastError: null },
    );
  }

  /** Marks the connection as failing; never deactivates (only Test Connection does). */
  async recordSyncFailure(organizerId: number, message: string): Promise<void> {
    await this.organizers.update(
      { id: organizerId },
      { connectionStatus: 'error', lastError: clip(message) },
    );
  }

  // ---- for the OAuth callback (organizer-oauth.service.ts) ---------------------------------------

  /** See OrganizerLinkingService.linkOAuth. */
  linkOAuth(
    accountId: number,
    identity: GotoIdentity,
    refreshToken: string,
  ): Promise<{ organizer: Organizer; created: boolean; syncJobId: number | null }> {
    return this.linking.linkOAuth(accountId, identity, refreshToken);
  }

  /** See OrganizerSignInService.verify. */
  verify(credentials: OrganizerCredentials): Promise<Verified> {
    return this.signIn.verify(credentials);
  }

  // ---- Test Connection --------------------------------------------------------------------------

  /** Test Connection's outcome for one organizer. */
  async recordTest(
    organizer: Organizer,
    outcome: { ok: true } | { ok: false; deactivate: boolean; error: string },
  ): Promise<void> {
    const now = this.clock.now();
    if (outcome.ok) {
      await this.organizers.update(
        { id: organizer.id, accountId: organizer.accountId },
        { connectionStatus: 'ok', lastError: null, lastTestedAt: now },
      );
      await this.events.emit({
        change: 'tested',
        organizerId: organizer.id,
        accountId: organizer.accountId,
      });
      return;
    }
    const error = clip(outcome.error);
    const changes: Partial<Organizer> = {
      connectionStatus: 'error',
      lastError: error,
      lastTestedAt: now,
    };
    if (outcome.deactivate)
      Object.assign(changes, { active: false, deactivatedReason: error.slice(0, 500) });
    await this.organizers.update({ id: organizer.id, accountId: organizer.accountId }, changes);
    if (outcome.deactivate) {
      this.client.forget(cacheKeyOf(organizer.id));
      this.logger.warn(
        { organizerId: organizer.id, accountId: organizer.accountId, err: error },
        'organizer deactivated by Test Connection',
      );
      await this.events.emit({
        change: 'inactive',
        organizerId: organizer.id,
        accountId: organizer.accountId,
      });
    }
  }
}

/** A stored last_error: redacted like a log line (a GoTo error may echo a token), then bounded. */
function clip(raw: string): string {
  const message = redactText(raw);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}
