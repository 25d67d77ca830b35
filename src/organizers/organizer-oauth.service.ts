import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, LessThan, Repository } from 'typeorm';
import { API_PREFIX } from '../app.setup';
import { Clock } from '../common/clock';
import { CredentialCipher } from '../common/credential-cipher';
import { fieldError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { floorToSecond } from '../database/datetime';
import { gotoHttpError } from '../goto-webinar/goto-http-errors';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { OAuthState } from './oauth-state.entity';
import { Organizer } from './organizer.entity';
import { oauthConsentDenied, oauthStateRefused } from './organizers.errors';
import { OrganizersService } from './organizers.service';

const STATE_TTL_MS = 10 * 60 * 1000;

interface StatePayload {
  n: string; // nonce: the oauth_state row
  a: number; // account id
  e: number; // expiry, epoch ms
}

// "Connect with GoTo" (authorization-code grant). The `state` is the AES-GCM envelope (authenticated,
// so it cannot be forged or altered) of {nonce, account, expiry}; the nonce's oauth_state row makes
// it single-use.
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

  /** GoTo's consent page for this account, with a fresh single-use state. */
  async authorize(accountId: number): Promise<{ url: string; expiresAt: Date }> {
    const now = this.clock.now();
    // The payload must agree with the stored row.
    const expiresAt = floorToSecond(new Date(now.getTime() + STATE_TTL_MS));
    const nonce = randomBytes(24).toString('base64url');
    await this.states.delete({ expiresAt: LessThan(new Date(now.getTime() - 24 * 3600 * 1000)) });
    await this.states.insert({ nonce, accountId, expiresAt, usedAt: null });
    const state = Buffer.from(
      this.cipher.encryptJson({
        n: nonce,
        a: accountId,
        e: expiresAt.getTime(),
      } satisfies StatePayload),
    ).toString('base64url');
    return { url: this.client.authorizeUrl(state, this.redirectUri), expiresAt };
  }

  /** Consumes the state, exchanges the code, and links (or reconnects) the organizer. */
  async callback(input: { code?: string; state?: string; error?: string }): Promise<{
    accountId: number;
    organizer: Organizer;
    created: boolean;
    syncJobId: number | null;
  }> {
    const accountId = await this.consumeState(input.state);
    if (input.error) throw oauthConsentDenied(input.error);
    if (!input.code) throw fieldError('bad_request', 'code', 'code is required');
    let refreshToken: string;
    try {
      refreshToken = (await this.client.exchangeAuthorizationCode(input.code, this.redirectUri))
        .refreshToken as string;
    } catch (e) {
      throw e instanceof GotoWebinarError ? gotoHttpError(e, { credentialField: 'code' }) : e;
    }
    const { identity, credentials } = await this.organizers.verify({
      method: 'oauth',
      refreshToken,
    });
    const stored = credentials.method === 'oauth' ? credentials.refreshToken : refreshToken;
    const linked = await this.organizers.linkOAuth(accountId, identity, stored);
    return { accountId, ...linked };
  }

  private async consumeState(state: string | undefined): Promise<number> {
    if (!state) throw oauthStateRefused('OAUTH_STATE_INVALID');
    let payload: StatePayload;
    try {
      payload = this.cipher.decryptJson<StatePayload>(
        Buffer.from(state, 'base64url').toString('utf8'),
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
    const now = this.clock.now();
    // Mark it used first, whatever follows: a state never works twice.
    const res = await this.states.update(
      { nonce: payload.n, accountId: payload.a, usedAt: IsNull() },
      { usedAt: now },
    );
    if (!res.affected) {
      const row = await this.states.findOneBy({ nonce: payload.n });
      this.logger.warn(`refused an OAuth callback: state ${row ? 'already used' : 'unknown'}`);
      throw oauthStateRefused(row ? 'OAUTH_STATE_USED' : 'OAUTH_STATE_INVALID');
    }
    if (payload.e <= now.getTime()) throw oauthStateRefused('OAUTH_STATE_EXPIRED');
    return payload.a;
  }
}
