import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import { API_PREFIX } from '../common/api-prefix';
import { Clock } from '../common/clock';
import { CipherContext, CredentialCipher } from '../common/credential-cipher';
import { fieldError, notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { floorToSecond } from '../database/datetime';
import { gotoHttpError } from '../goto-webinar/goto-http-errors';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { GotoIdentity } from '../goto-webinar/goto-webinar.types';
import { OAuthState } from './oauth-state.entity';
import { Organizer } from './organizer.entity';
import { oauthConsentDenied, oauthStateRefused } from './organizers.errors';
import { OrganizersService } from './organizers.service';

const STATE_TTL_MS = 10 * 60 * 1000;
/** Time to look at the GoTo user shown and confirm, after coming back from GoTo. */
const CONFIRM_TTL_MS = 10 * 60 * 1000;
/** Expired rows deleted per authorize: the purge stays cheap however many piled up. */
const PURGE_BATCH = 100;
/** Kept this long after expiry, so a replayed state is told "already used", not "unknown". */
const PURGE_GRACE_MS = 60 * 60 * 1000;
const STATE_CONTEXT: CipherContext = { purpose: 'oauth-state' };
const BROWSER_ID = /^[\w-]{43}$/;

interface StatePayload {
  n: string; // nonce: the oauth_state row
  a: number; // account id
  e: number; // expiry, epoch ms
}

interface PendingLink {
  refreshToken: string;
  identity: GotoIdentity;
}

/** The GoTo user a completed consent would link: shown to the user before anything is stored. */
export interface PendingLinkView {
  link: string;
  email: string | null;
  displayName: string | null;
  organizerKey: string;
  /** The organizer of this account with the same GoTo user (it would be reconnected), or null. */
  existingOrganizerId: number | null;
  expiresAt: Date;
}

export const newBrowserId = () => randomBytes(32).toString('base64url');
export const isBrowserId = (v: unknown): v is string => typeof v === 'string' && BROWSER_ID.test(v);
const browserHash = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');
const pkceChallenge = (verifier: string) =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url');

// "Connect with GoTo" (authorization-code grant with PKCE S256), in three steps:
// 1. authorize: a single-use state (AES-GCM envelope of {nonce, account, expiry}; its row holds the
//    PKCE verifier and the hash of the starting browser's cookie);
// 2. callback: only from that browser; exchanges the code (with the verifier), asks GoTo who the
//    user is, and keeps the result as a pending link — nothing is linked yet;
// 3. confirm: the user saw the GoTo user's email and confirms (API key + same browser): linked.
// So a consent link sent to someone else cannot land their GoTo account in this account.
@Injectable()
export class OrganizerOAuthService {
  private readonly logger = new Logger(OrganizerOAuthService.name);

  constructor(
    @InjectRepository(OAuthState) private readonly states: Repository<OAuthState>,
    private readonly organizers: OrganizersService,
    private readonly client: GotoWebinarClient,
    private readonly cipher: CredentialCipher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}/${API_PREFIX}/organizers/oauth/callback`;
  }

  /** GoTo's consent page for this account and browser, with a fresh single-use state. */
  async authorize(accountId: number, browserId: string): Promise<{ url: string; expiresAt: Date }> {
    const now = this.clock.now();
    // The payload must agree with the stored row.
    const expiresAt = floorToSecond(new Date(now.getTime() + STATE_TTL_MS));
    const nonce = randomBytes(24).toString('base64url');
    const verifier = randomBytes(48).toString('base64url');
    await this.purgeExpired(now);
    await this.states.insert({
      nonce,
      accountId,
      expiresAt,
      usedAt: null,
      browserHash: browserHash(browserId),
      codeVerifier: this.cipher.encrypt(verifier, pendingContext(accountId, nonce)),
      pendingLink: null,
    });
    const state = Buffer.from(
      this.cipher.encryptJson(
        { n: nonce, a: accountId, e: expiresAt.getTime() } satisfies StatePayload,
        STATE_CONTEXT,
      ),
    ).toString('base64url');
    const url = this.client.authorizeUrl(state, this.redirectUri, pkceChallenge(verifier));
    return { url, expiresAt };
  }

  /** Consumes the state (same browser only), exchanges the code, and keeps the GoTo user pending. */
  async callback(
    input: { code?: string; state?: string; error?: string },
    browserId: string | undefined,
  ): Promise<PendingLinkView> {
    const row = await this.consumeState(input.state, browserId);
    const context = pendingContext(row.accountId, row.nonce);
    if (input.error) {
      await this.states.delete({ nonce: row.nonce });
      throw oauthConsentDenied(input.error);
    }
    if (!input.code) throw fieldError('bad_request', 'code', 'code is required');
    const verifier = row.codeVerifier ? this.cipher.decrypt(row.codeVerifier, context) : undefined;
    let refreshToken: string;
    try {
      const tokens = await this.client.exchangeAuthorizationCode(
        input.code,
        this.redirectUri,
        verifier,
      );
      refreshToken = tokens.refreshToken as string;
    } catch (e) {
      throw e instanceof GotoWebinarError ? gotoHttpError(e, { credentialField: 'code' }) : e;
    }
    const { identity, credentials } = await this.organizers.verify({
      method: 'oauth',
      refreshToken,
    });
    const pending: PendingLink = {
      refreshToken: credentials.method === 'oauth' ? credentials.refreshToken : refreshToken,
      identity,
    };
    const expiresAt = floorToSecond(new Date(this.clock.now().getTime() + CONFIRM_TTL_MS));
    await this.states.update(
      { nonce: row.nonce },
      { pendingLink: this.cipher.encryptJson(pending, context), codeVerifier: null, expiresAt },
    );
    return this.view(row.accountId, row.nonce, identity, expiresAt);
  }

  /** The GoTo user waiting to be linked (same account, same browser). */
  async pending(accountId: number, link: string, browserId: string | undefined) {
    const { row, pending } = await this.pendingRow(accountId, link, browserId);
    return this.view(accountId, row.nonce, pending.identity, row.expiresAt);
  }

  /** Links (or reconnects) the pending GoTo user and queues its sync; the link is used up. */
  async confirm(
    accountId: number,
    link: string,
    browserId: string | undefined,
  ): Promise<{ organizer: Organizer; created: boolean; syncJobId: number | null }> {
    const { row, pending } = await this.pendingRow(accountId, link, browserId);
    // Deleting the row is the claim: of two confirmations, one links.
    const res = await this.states.delete({
      nonce: row.nonce,
      accountId,
      browserHash: row.browserHash!,
    });
    if (!res.affected) throw notFound('Pending GoTo link', link);
    this.logger.log(
      { accountId, organizerKey: pending.identity.organizerKey },
      'GoTo link confirmed',
    );
    return this.organizers.linkOAuth(accountId, pending.identity, pending.refreshToken);
  }

  /** Drops a pending link without linking it. */
  async cancel(accountId: number, link: string, browserId: string | undefined): Promise<void> {
    const { row } = await this.pendingRow(accountId, link, browserId);
    await this.states.delete({ nonce: row.nonce, accountId });
  }

  private async pendingRow(accountId: number, link: string, browserId: string | undefined) {
    const row = await this.states.findOneBy({ nonce: link, accountId });
    if (!row || !row.pendingLink) throw notFound('Pending GoTo link', link);
    if (!isBrowserId(browserId) || row.browserHash !== browserHash(browserId))
      throw oauthStateRefused('OAUTH_BROWSER_MISMATCH');
    if (row.expiresAt.getTime() <= this.clock.now().getTime())
      throw oauthStateRefused('OAUTH_STATE_EXPIRED');
    const pending = this.cipher.decryptJson<PendingLink>(
      row.pendingLink,
      pendingContext(accountId, row.nonce),
    );
    return { row, pending };
  }

  private async view(
    accountId: number,
    link: string,
    identity: GotoIdentity,
    expiresAt: Date,
  ): Promise<PendingLinkView> {
    const existing = (await this.organizers.list(accountId)).find(
      (o) => o.organizerKey === identity.organizerKey,
    );
    return {
      link,
      email: identity.email ?? null,
      displayName: identity.displayName ?? null,
      organizerKey: identity.organizerKey,
      existingOrganizerId: existing?.id ?? null,
      expiresAt,
    };
  }

  private async consumeState(
    state: string | undefined,
    browserId: string | undefined,
  ): Promise<OAuthState> {
    if (!state) throw oauthStateRefused('OAUTH_STATE_INVALID');
    let payload: StatePayload;
    try {
      payload = this.cipher.decryptJson<StatePayload>(
        Buffer.from(state, 'base64url').toString('utf8'),
        STATE_CONTEXT,
      );
    } catch {
      throw oauthStateRefused('OAUTH_STATE_INVALID');
    }
    if (
      typeof payload?.n !== 'string' ||
      typeof payload.a !== 'number' ||
      typeof payload.e !== 'number'
    ) {
      throw oauthStateRefused('OAUTH_STATE_INVALID');
    }
    // Another browser (the person a consent link was sent to) is refused without using the state.
    const hash = isBrowserId(browserId) ? browserHash(browserId) : undefined;
    if (!hash) throw oauthStateRefused('OAUTH_BROWSER_MISMATCH');
    const now = this.clock.now();
    // Mark it used first, whatever follows: a state never works twice.
    const res = await this.states.update(
      { nonce: payload.n, accountId: payload.a, usedAt: IsNull(), browserHash: hash },
      { usedAt: now },
    );
    if (!res.affected) {
      const row = await this.states.findOneBy({ nonce: payload.n });
      const code = !row
        ? 'OAUTH_STATE_INVALID'
        : row.browserHash !== hash
          ? 'OAUTH_BROWSER_MISMATCH'
          : 'OAUTH_STATE_USED';
      this.logger.warn({ accountId: payload.a, reason: code }, 'refused an OAuth callback');
      throw oauthStateRefused(code);
    }
    if (payload.e <= now.getTime()) throw oauthStateRefused('OAUTH_STATE_EXPIRED');
    return this.states.findOneByOrFail({ nonce: payload.n });
  }

  /** Deletes at most PURGE_BATCH long-expired states (indexed on expires_at). */
  private async purgeExpired(now: Date): Promise<void> {
    const old = await this.states.find({
      select: { nonce: true },
      where: { expiresAt: LessThan(new Date(now.getTime() - PURGE_GRACE_MS)) },
      order: { expiresAt: 'ASC' },
      take: PURGE_BATCH,
    });
    if (old.length > 0) await this.states.delete({ nonce: In(old.map((r) => r.nonce)) });
  }
}

function pendingContext(accountId: number, nonce: string): CipherContext {
  return { purpose: 'oauth-pending', accountId, nonce };
}
