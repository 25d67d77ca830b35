import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { CredentialCipher } from '../common/credential-cipher';
import { DomainError, fieldError } from '../common/errors/domain-error';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoIdentity, OrganizerCredentials } from '../goto-webinar/goto-webinar.types';
import { SyncRequestsService } from '../sync/sync-requests.service';
import { OrganizerSyncKind } from '../sync/sync-requests.types';
import { isUniqueViolation } from '../database/db-errors';
import {
  changedCredentials,
  credentialsContext,
  credentialsFromBody,
} from './organizer-credentials';
import { CreateOrganizerDto, UpdateOrganizerDto } from './organizer.dto';
import { OrganizerEvents } from './organizer-events';
import { Organizer, OrganizerAuthMethod } from './organizer.entity';
import { activeAfterNewCredentials, USER_DEACTIVATED_REASON } from './organizer-activation';
import { organizerExists, organizerMismatch } from './organizers.errors';
import { OrganizerSignInService } from './organizer-sign-in.service';

// Linking GoTo organizer accounts and changing their credentials (add, update, OAuth link).
// Every change of credentials is checked against GoTo (OrganizerSignInService) before anything is
// stored; a new link, new credentials or a reactivation queue the organizer's complete sync.
// Called by the module's own controller and OAuth service; other modules use OrganizersService.
@Injectable()
export class OrganizerLinkingService {
  private readonly logger = new Logger(OrganizerLinkingService.name);

  constructor(
    @InjectRepository(Organizer) private readonly organizers: Repository<Organizer>,
    private readonly cipher: CredentialCipher,
    private readonly client: GotoWebinarClient,
    private readonly signIn: OrganizerSignInService,
    private readonly syncRequests: SyncRequestsService,
    private readonly clock: Clock,
    private readonly events: OrganizerEvents,
  ) {}

  /** Signs in to GoTo, stores the organizer active with encrypted credentials, queues its complete sync. */
  async add(
    accountId: number,
    dto: CreateOrganizerDto,
  ): Promise<{ organizer: Organizer; initialSyncJobId: number | null }> {
    const credentials = credentialsFromBody(dto.email, dto);
    if (!credentials) {
      throw new DomainError(
        'bad_request',
        'VALIDATION_FAILED',
        'password or personalAccessToken: one of them is required',
        [{ field: 'password', message: 'password or personalAccessToken is required' }],
      );
    }
    const { identity, credentials: verified } = await this.signIn.verify(credentials);
    const existing = await this.organizers.findOneBy({
      accountId,
      organizerKey: identity.organizerKey,
    });
    if (existing) throw organizerExists(existing.id, existing.active);
    const organizer = await this.insert(accountId, dto.email, verified, identity);
    this.logger.log(
      { organizerId: organizer.id, accountId, authMethod: organizer.authMethod },
      'organizer linked',
    );
    const initialSyncJobId = await this.queueFullSync(organizer, 'initial');
    await this.events.emit({ change: 'active', organizerId: organizer.id, accountId });
    return { organizer, initialSyncJobId };
  }

  /**
   * Credentials (checked against GoTo; must be the same organizer key, else 409) and/or activation
   * (`activeAfterNewCredentials`). A credential change or a reactivation queues a full sync.
   */
  async update(
    organizer: Organizer,
    dto: UpdateOrganizerDto,
  ): Promise<{ organizer: Organizer; syncJobId: number | null }> {
    const { id, accountId } = organizer;
    if (dto.password !== undefined && dto.personalAccessToken !== undefined) {
      throw fieldError(
        'bad_request',
        'personalAccessToken',
        'send either password or personalAccessToken, not both',
      );
    }
    const changes: Partial<Organizer> = {};
    let credentialsChanged = false;
    const newCredentials = changedCredentials(this.cipher, organizer, dto);
    if (newCredentials) {
      const { identity, credentials } = await this.signIn.verify(newCredentials);
      if (identity.organizerKey !== organizer.organizerKey) throw organizerMismatch(organizer.id);
      Object.assign(changes, {
        authMethod: credentials.method,
        credentialsEncrypted: this.cipher.encryptJson(
          credentials,
          credentialsContext(accountId, organizer.organizerKey),
        ),
        connectionStatus: 'ok',
        lastError: null,
        lastTestedAt: this.clock.now(),
        ...(identity.accountKey ? { gotoAccountKey: identity.accountKey } : {}),
      } satisfies Partial<Organizer>);
      credentialsChanged = true;
    }
    if (dto.email !== undefined) changes.email = dto.email;

    const wantActive = credentialsChanged
      ? activeAfterNewCredentials(organizer, dto.active)
      : (dto.active ?? Boolean(organizer.active));
    const reactivated = wantActive && !organizer.active;
    if (wantActive !== organizer.active) {
      Object.assign(
        changes,
        wantActive
          ? { active: true, deactivatedReason: null }
          : { active: false, deactivatedReason: USER_DEACTIVATED_REASON },
      );
    }
    if (Object.keys(changes).length > 0) await this.organizers.update({ id, accountId }, changes);
    if (credentialsChanged || !wantActive) this.client.forget(cacheKeyOf(id));
    if (credentialsChanged)
      this.logger.log(
        { organizerId: id, accountId, authMethod: changes.authMethod },
        'organizer credentials changed',
      );
    if (changes.active !== undefined)
      this.logger.log(
        { organizerId: id, accountId },
        wantActive ? 'organizer reactivated by a user' : 'organizer deactivated by a user',
      );

    const updated = await this.organizers.findOneByOrFail({ id, accountId });
    const syncJobId =
      wantActive && (credentialsChanged || reactivated)
        ? await this.queueFullSync(updated, reactivated ? 'on_demand' : 'initial')
        : null;
    if (changes.active !== undefined || credentialsChanged)
      await this.events.emit({
        change: wantActive ? 'active' : 'inactive',
        organizerId: id,
        accountId,
      });
    return { organizer: updated, syncJobId };
  }

  /**
   * After "Connect with GoTo": stores the refresh token of a new organizer, or of the existing one
   * with the same organizer key (active per `activeAfterNewCredentials`: a user's deactivation
   * stays), and queues its complete sync when it is active.
   */
  async linkOAuth(
    accountId: number,
    identity: GotoIdentity,
    refreshToken: string,
  ): Promise<{ organizer: Organizer; created: boolean; syncJobId: number | null }> {
    const credentials: OrganizerCredentials = { method: 'oauth', refreshToken };
    const existing = await this.organizers.findOneBy({
      accountId,
      organizerKey: identity.organizerKey,
    });
    let organizer: Organizer;
    if (existing) {
      const active = activeAfterNewCredentials(existing);
      await this.organizers.update(
        { id: existing.id, accountId },
        {
          authMethod: 'oauth',
          credentialsEncrypted: this.cipher.encryptJson(
            credentials,
            credentialsContext(accountId, existing.organizerKey),
          ),
          ...(active ? { active: true, deactivatedReason: null } : {}),
          connectionStatus: 'ok',
          lastError: null,
          lastTestedAt: this.clock.now(),
        },
      );
      this.client.forget(cacheKeyOf(existing.id));
      organizer = await this.organizers.findOneByOrFail({ id: existing.id, accountId });
      this.logger.log(
        { organizerId: organizer.id, accountId, authMethod: 'oauth', active },
        active
          ? 'organizer reconnected with GoTo'
          : 'organizer reconnected with GoTo; stays deactivated (by a user)',
      );
    } else {
      const email =
        identity.email ?? identity.displayName ?? `GoTo organizer ${identity.organizerKey}`;
      organizer = await this.insert(accountId, email, credentials, identity);
      this.logger.log(
        { organizerId: organizer.id, accountId, authMethod: 'oauth' },
        'organizer linked',
      );
    }
    const syncJobId = organizer.active
      ? await this.queueFullSync(organizer, existing ? 'on_demand' : 'initial')
      : null;
    await this.events.emit({
      change: organizer.active ? 'active' : 'inactive',
      organizerId: organizer.id,
      accountId,
    });
    return { organizer, created: !existing, syncJobId };
  }

  private async insert(
    accountId: number,
    email: string,
    credentials: OrganizerCredentials,
    identity: GotoIdentity,
  ): Promise<Organizer> {
    try {
      return await this.organizers.save(
        this.organizers.create({
          accountId,
          email,
          authMethod: credentials.method as OrganizerAuthMethod,
          credentialsEncrypted: this.cipher.encryptJson(
            credentials,
            credentialsContext(accountId, identity.organizerKey),
          ),
          organizerKey: identity.organizerKey,
          gotoAccountKey: identity.accountKey ?? null,
          active: true,
          deactivatedReason: null,
          connectionStatus: 'ok',
          lastError: null,
          lastTestedAt: this.clock.now(),
          lastSyncedAt: null,
        }),
      );
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Linked concurrently by another request.
      const existing = await this.organizers.findOneBy({
        accountId,
        organizerKey: identity.organizerKey,
      });
      throw existing ? organizerExists(existing.id, existing.active) : e;
    }
  }

  /**
   * Asks for the organizer's complete sync (null when the skip rules hold it back, e.g. the
   * account's integration is inactive); the organizer is stored either way, so a queue failure is
   * logged, not thrown.
   */
  private async queueFullSync(
    organizer: Organizer,
    kind: OrganizerSyncKind,
  ): Promise<number | null> {
    try {
      const outcome = await this.syncRequests.syncOrganizer(organizer, kind);
      return outcome.queued ? outcome.jobId : null;
    } catch (e) {
      this.logger.error(
        { organizerId: organizer.id, err: (e as Error).message },
        'could not queue the organizer sync',
      );
      return null;
    }
  }
}

export const cacheKeyOf = (organizerId: number) => `organizer:${organizerId}`;
