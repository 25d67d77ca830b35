// OAuth state: issued access/refresh tokens and authorization codes. Tokens are opaque to clients
// but look like GoTo's (long RS512 JWTs); the simulator only looks them up in its maps.
import { createHash } from 'node:crypto';

export const SCOPE = 'collab: identity:scim.me';
const REFRESH_TTL_S = 30 * 24 * 3600;
const CODE_TTL_S = 600;

export interface AccessToken {
  organizerKey: string;
  clientId: string;
  expiresAtMs: number;
}

interface RefreshToken {
  organizerKey: string;
  clientId: string;
  expiresAtMs: number;
}

interface AuthCode {
  organizerKey: string;
  clientId: string;
  redirectUri?: string;
  /** PKCE (RFC 7636, S256 only): the challenge the authorize request carried, if any. */
  codeChallenge?: string;
  expiresAtMs: number;
  used: boolean;
}

export class SimAuth {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();
  private serial = 0;
  /** Organizer that /oauth/authorize consents as when no login_hint is given. */
  authorizeAs: string | null = null;

  constructor(
    private readonly seed: number,
    private readonly nowMs: () => number,
  ) {}

  issueAccess(organizerKey: string, clientId: string, ttlSeconds: number, origin: string): string {
    const token = this.token('a', organizerKey, clientId, ttlSeconds, origin);
    this.access.set(token, {
      organizerKey,
      clientId,
      expiresAtMs: this.nowMs() + ttlSeconds * 1000,
    });
    return token;
  }

  issueRefresh(organizerKey: string, clientId: string, origin: string): string {
    const token = this.token('r', organizerKey, clientId, REFRESH_TTL_S, origin);
    this.refresh.set(token, {
      organizerKey,
      clientId,
      expiresAtMs: this.nowMs() + REFRESH_TTL_S * 1000,
    });
    return token;
  }

  issueCode(
    organizerKey: string,
    clientId: string,
    redirectUri?: string,
    codeChallenge?: string,
  ): string {
    const code = createHash('sha256')
      .update(`code:${this.seed}:${++this.serial}`)
      .digest('base64url')
      .slice(0, 22);
    this.codes.set(code, {
      organizerKey,
      clientId,
      redirectUri,
      codeChallenge,
      expiresAtMs: this.nowMs() + CODE_TTL_S * 1000,
      used: false,
    });
    return code;
  }

  /** A valid, unexpired access token, or undefined. */
  checkAccess(token: string): AccessToken | undefined {
    const t = this.access.get(token);
    return t && t.expiresAtMs > this.nowMs() ? t : undefined;
  }

  useRefresh(token: string, clientId: string): RefreshToken | undefined {
    const t = this.refresh.get(token);
    if (!t || t.clientId !== clientId || t.expiresAtMs <= this.nowMs()) return undefined;
    return t;
  }

  dropRefresh(token: string): void {
    this.refresh.delete(token);
  }

  /** Codes work once: a second use fails even if the first exchange failed later on. */
  useCode(
    code: string,
    clientId: string,
    redirectUri: string | undefined,
    codeVerifier?: string,
  ): AuthCode | 'mismatch' | 'pkce' | undefined {
    const c = this.codes.get(code);
    if (!c || c.used || c.clientId !== clientId || c.expiresAtMs <= this.nowMs()) return undefined;
    c.used = true;
    if (c.redirectUri !== undefined && c.redirectUri !== redirectUri) return 'mismatch';
    if (c.codeChallenge !== undefined) {
      const expected = codeVerifier
        ? createHash('sha256').update(codeVerifier, 'ascii').digest('base64url')
        : undefined;
      if (expected !== c.codeChallenge) return 'pkce';
    }
    return c;
  }

  /** Revoke every access and refresh token (and pending code) of an organizer. */
  revokeOrganizer(organizerKey: string): number {
    let n = 0;
    for (const map of [this.access, this.refresh, this.codes] as Map<
      string,
      { organizerKey: string }
    >[]) {
      for (const [k, v] of map) {
        if (v.organizerKey === organizerKey) {
          map.delete(k);
          n++;
        }
      }
    }
    return n;
  }

  /** Every access token issued so far now answers 403 InvalidToken (refresh tokens stay valid). */
  expireAll(): number {
    const now = this.nowMs();
    for (const t of this.access.values()) t.expiresAtMs = Math.min(t.expiresAtMs, now);
    return this.access.size;
  }

  private token(typ: 'a' | 'r', sub: string, aud: string, ttl: number, origin: string): string {
    const n = ++this.serial;
    const iat = Math.floor(this.nowMs() / 1000);
    const header = { kid: 'oauthv2.lmi.com.0219', alg: 'RS512' };
    const payload = {
      sc: SCOPE,
      ls: 'b1e4bd3e-2c4d-4b2c-9b0c-7a1d8f0e6c21',
      ogn: origin,
      aud,
      sub,
      typ,
      exp: iat + ttl,
      iat,
      jti: `${this.seed}-${n}`,
    };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    let sig = '';
    for (let i = 0; sig.length < 342; i++) {
      sig += createHash('sha512').update(`${this.seed}:${n}:${typ}:${i}`).digest('base64url');
    }
    return `${b64(header)}.${b64(payload)}.${sig.slice(0, 342)}`;
  }
}
