import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { mapIdentity } from './goto-auth-payloads';
import { GotoAuthService } from './goto-auth.service';
import { GOTO_ENDPOINTS } from './goto-endpoints';
import { GotoHttpService } from './goto-http.service';
import { mapPayload } from './goto-payloads';
import { GotoWebinarError } from './goto-webinar.errors';
import { GotoIdentity, GotoTokenSet, OrganizerAuth } from './goto-webinar.types';

// Signing an organizer in and telling who the token belongs to (linking, Test Connection, OAuth
// callback). Reached through GotoWebinarClient, the module's one facade.
@Injectable()
export class GotoSignInService {
  constructor(
    private readonly http: GotoHttpService,
    private readonly auth: GotoAuthService,
    private readonly config: AppConfig,
  ) {}

  async exchangeAuthorizationCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<GotoTokenSet> {
    const tokens = await this.auth.exchangeAuthorizationCode(code, redirectUri, codeVerifier);
    if (!tokens.refreshToken) {
      throw new GotoWebinarError(
        'INVALID_RESPONSE',
        'GoTo issued no refresh token for the authorization code',
        {
          path: 'refresh_token',
          endpoint: 'POST /oauth/token',
        },
      );
    }
    return tokens;
  }

  async signIn(auth: OrganizerAuth): Promise<GotoIdentity> {
    this.auth.forget(auth.cacheKey);
    await this.auth.tokenSet(auth);
    return this.getIdentity(auth);
  }

  async getIdentity(auth: OrganizerAuth): Promise<GotoIdentity> {
    const source = this.auth.tokenSource(auth);
    const endpoint = GOTO_ENDPOINTS.identity;
    try {
      return await this.http.request(
        {
          method: 'GET',
          url: `${this.config.goto.apiUrl}/identity/v1/Users/me`,
          endpoint,
          kind: 'identity',
        },
        (json) =>
          mapPayload(endpoint, json, (j) =>
            mapIdentity(j, this.auth.cached(auth.cacheKey)?.organizerKey),
          ),
        source,
      );
    } catch (e) {
      // A token without the identity scope: an old-style token response may still name the organizer.
      const fromToken = this.auth.cached(auth.cacheKey);
      if (e instanceof GotoWebinarError && e.code === 'FORBIDDEN' && fromToken?.organizerKey) {
        return {
          organizerKey: fromToken.organizerKey,
          ...(fromToken.accountKey ? { accountKey: fromToken.accountKey } : {}),
        };
      }
      throw e;
    }
  }
}
