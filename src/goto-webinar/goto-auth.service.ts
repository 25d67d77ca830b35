import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { GotoHttpRequest, GotoHttpService, TokenSource } from './goto-http.service';
import { GotoWebinarError } from './goto-webinar.errors';
import { mapTokenResponse } from './goto-auth-payloads';
import { mapPayload } from './goto-payloads';
import { GotoTokenSet, OrganizerAuth } from './goto-webinar.types';
import { AMBIGUOUS_CLIENT_HINT, GotoGrantType } from './parse-goto-error';

const TOKEN_ENDPOINT = 'POST /oauth/token';

interface CachedToken {
  tokens: GotoTokenSet;
  /** Use the token until this instant (shortly before expires_in runs out). */
  refreshAtMs: number;
  /** Fingerprints of the credentials this entry belongs to (oauth: the stored and the rotated refresh token). */
  fingerprints: Set<string>;
  /** The newest refresh token GoTo gave us for this organizer (oauth: rotated one, if any). */
  refreshToken?: string;
}

interface InFlight {
  fingerprints: Set<string>;
  promise: Promise<GotoTokenSet>;
}

/**
 * Access tokens per organizer (`auth.cacheKey`): fetched by the organizer's grant, cached until
 * shortly before expiry, renewed at most once at a time per organizer (concurrent callers share
 * one token request). Tokens never leave this class except as the bearer of a request.
 */
@Injectable()
export class GotoAuthService {
  private readonly logger = new Logger(GotoAuthService.name);
  private readonly cache = new Map<string, CachedToken>();
  /**
   * A fetch fills the cache only while its own entry is still here: forget() removes it, so a
   * fetch started before forget() never caches afterwards, and nothing per key outlives forget().
   */
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly http: GotoHttpService,
    private readonly config: AppConfig,
  ) {}

  /** GoTo's consent page; with a PKCE S256 challenge when `codeChallenge` is given. */
  authorizeUrl(state: string, redirectUri: string, codeChallenge?: string): string {
    // encodeURIComponent, not URLSearchParams: a space must be %20, never "+".
    const q = [
      ['client_id', this.config.goto.clientId],
      ['response_type', 'code'],
      ['redirect_uri', redirectUri],
      ['state', state],
      ...(codeChallenge
        ? [
            ['code_challenge', codeChallenge],
            ['code_challenge_method', 'S256'],
          ]
        : []),
    ]
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return `${this.config.goto.authUrl}/oauth/authorize?${q}`;
  }

  /** Authorization-code grant (Connect with GoTo). Not cached: the caller stores the refresh token. */
  async exchangeAuthorizationCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<GotoTokenSet> {
    return this.requestToken('authorization_code', {
      code,
      redirect_uri: redirectUri,
      ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
    });
  }

  /** A TokenSource for one organizer, used by GotoHttpService for bearer + renewal. */
  tokenSource(auth: OrganizerAuth): TokenSource {
    return {
      current: async () => (await this.tokenSet(auth)).accessToken,
      renew: async (stale: string) => {
        const cached = this.cache.get(auth.cacheKey);
        // Expire (not delete) the entry: it still holds the newest refresh token.
        if (cached && cached.tokens.accessToken === stale) cached.refreshAtMs = 0;
        return (await this.tokenSet(auth)).accessToken;
      },
    };
  }

  /** The cached token set (if any): used for the old-style organizer_key fallback. */
  cached(cacheKey: string): GotoTokenSet | undefined {
    return this.cache.get(cacheKey)?.tokens;
  }

  forget(cacheKey: string): void {
    this.cache.delete(cacheKey);
    this.inFlight.delete(cacheKey);
  }

  /** A valid token set for the organizer: cached, or fetched once for all concurrent callers. */
  async tokenSet(auth: OrganizerAuth): Promise<GotoTokenSet> {
    const fingerprint = fingerprintOf(auth);
    const cached = this.cache.get(auth.cacheKey);
    if (cached && cached.fingerprints.has(fingerprint) && this.http.now() < cached.refreshAtMs)
      return cached.tokens;
    if (cached && !cached.fingerprints.has(fingerprint)) this.forget(auth.cacheKey);

    const running = this.inFlight.get(auth.cacheKey);
    if (running && running.fingerprints.has(fingerprint)) return running.promise;
    if (running) this.forget(auth.cacheKey);

    const previous = this.cache.get(auth.cacheKey);
    const promise = this.fetchFor(auth, previous)
      .then(async (tokens) => {
        if (this.inFlight.get(auth.cacheKey)?.promise === promise) {
          const lifetime = tokens.expiresAt.getTime() - this.http.now();
          const margin = Math.min(60_000, Math.max(0, lifetime) / 10);
          const fingerprints = new Set([fingerprint, ...(previous?.fingerprints ?? [])]);
          if (auth.credentials.method === 'oauth' && tokens.refreshToken)
            fingerprints.add(hash(`oauth\n${tokens.refreshToken}`));
          this.cache.set(auth.cacheKey, {
            tokens,
            refreshAtMs: tokens.expiresAt.getTime() - margin,
            fingerprints,
            refreshToken: tokens.refreshToken ?? previous?.refreshToken,
          });
        }
        return tokens;
      })
      .finally(() => {
        if (this.inFlight.get(auth.cacheKey)?.promise === promise)
          this.inFlight.delete(auth.cacheKey);
      });
    this.inFlight.set(auth.cacheKey, {
      fingerprints: new Set([fingerprint, ...(previous?.fingerprints ?? [])]),
      promise,
    });
    return promise;
  }

  private async fetchFor(
    auth: OrganizerAuth,
    previous: CachedToken | undefined,
  ): Promise<GotoTokenSet> {
    const c = auth.credentials;
    switch (c.method) {
      case 'password':
        return this.requestToken('password', { username: c.email, password: c.password });
      case 'personal_access_token':
        return this.requestToken('personal_access_token', { pat: c.personalAccessToken });
      case 'oauth': {
        const refreshToken = previous?.refreshToken ?? c.refreshToken;
        const tokens = await this.requestToken('refresh_token', { refresh_token: refreshToken });
        if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
          await this.announceRotation(auth, tokens.refreshToken);
          return tokens;
        }
        // GoTo omits refresh_token unless it issued a new one: keep using the old one.
        return { ...tokens, refreshToken };
      }
    }
  }

  private async announceRotation(auth: OrganizerAuth, refreshToken: string): Promise<void> {
    if (!auth.onRefreshTokenRotated) return;
    try {
      await auth.onRefreshTokenRotated(refreshToken);
    } catch (e) {
      // The new token is cached here; persisting it is retried on the next rotation.
      this.logger.error(
        { cacheKey: auth.cacheKey, err: (e as Error).message },
        'could not persist the rotated refresh token',
      );
    }
  }

  private async requestToken(
    grant: GotoGrantType,
    fields: Record<string, string>,
  ): Promise<GotoTokenSet> {
    const body = new URLSearchParams({ grant_type: grant, ...fields }).toString();
    try {
      return await this.http.request(this.tokenRequest(grant, body), (json) =>
        mapPayload(TOKEN_ENDPOINT, json, (j) => mapTokenResponse(j, this.http.now())),
      );
    } catch (e) {
      if (
        e instanceof GotoWebinarError &&
        grant === 'password' &&
        e.message.endsWith(AMBIGUOUS_CLIENT_HINT)
      ) {
        throw await this.disambiguateInvalidClient(e);
      }
      throw e;
    }
  }

  /**
   * A bare `invalid_client` on the password grant means either "Direct Login is not allowed for
   * this client" or "wrong client id/secret". One probe with a bogus refresh token tells them
   * apart: a client that authenticates gets `invalid_grant`.
   */
  private async disambiguateInvalidClient(original: GotoWebinarError): Promise<GotoWebinarError> {
    const probeBody = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'probe',
    }).toString();
    const error = await this.http
      .request(
        this.tokenRequest('refresh_token', probeBody),
        () => 'ok',
        undefined,
        (_status, json) => {
          const e = (json as { error?: unknown } | undefined)?.error;
          return typeof e === 'string' ? e : 'unknown';
        },
      )
      .catch(() => 'unknown');
    if (error === 'invalid_client') {
      return new GotoWebinarError(
        'AUTH_INVALID',
        `GoTo rejected OAuth client "${this.config.goto.clientId}" (client authentication failed): ` +
          'check GOTO_CLIENT_ID and GOTO_CLIENT_SECRET.',
        original.details,
      );
    }
    const message = original.message.slice(
      0,
      original.message.length - AMBIGUOUS_CLIENT_HINT.length,
    );
    return new GotoWebinarError(original.code, message, original.details);
  }

  private tokenRequest(grant: GotoGrantType, body: string): GotoHttpRequest {
    const basic = Buffer.from(
      `${this.config.goto.clientId}:${this.config.goto.clientSecret}`,
    ).toString('base64');
    return {
      method: 'POST',
      url: `${this.config.goto.authUrl}/oauth/token`,
      endpoint: TOKEN_ENDPOINT,
      kind: 'token',
      grant,
      data: body,
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    };
  }
}

/** Identifies the credentials behind a cache entry (in memory only), so changed credentials refetch. */
function fingerprintOf(auth: OrganizerAuth): string {
  const c = auth.credentials;
  const material =
    c.method === 'password'
      ? `password\n${c.email}\n${c.password}`
      : c.method === 'personal_access_token'
        ? `pat\n${c.personalAccessToken}`
        : `oauth\n${c.refreshToken}`;
  return hash(material);
}

function hash(material: string): string {
  return createHash('sha256').update(material).digest('hex');
}
