// GotoWebinarClient sign-in and tokens over real HTTP against a scripted GoTo: the token request,
// refresh-token rotation, one renewal on InvalidToken, a bare invalid_client, the token cache and
// the module's default wiring (authorize URL, PKCE).
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../../src/config/config.module';
import { GotoWebinarClient } from '../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../../src/goto-webinar/goto-webinar.errors';
import { GotoWebinarModule } from '../../src/goto-webinar/goto-webinar.module';
import { OrganizerAuth } from '../../src/goto-webinar/goto-webinar.types';
import {
  CLIENT_SECRET,
  Handler,
  nextCacheKey,
  ORG,
  pat,
  scriptedGoto,
  send,
  WEB,
} from '../support/goto/scripted-goto';
import { testConfig } from '../support/test-config';

const goto = scriptedGoto();

describe('GotoWebinarClient sign-in and tokens over HTTP', () => {
  it('token request: Basic client auth, form-encoded PAT grant', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token' ? goto.tokenEndpoint(req, res) : send(res, 200, { id: ORG });
    await client.getIdentity(pat());
    const [t] = goto.tokens();
    expect(t.auth).toBe(`Basic ${Buffer.from(`cid:${CLIENT_SECRET}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(t.body))).toEqual({
      grant_type: 'personal_access_token',
      pat: 'PAT-1',
    });
  });

  it('oauth: a rotated refresh token is reported and used next; an absent one keeps the old', async () => {
    const client = await goto.makeClient();
    const rotated: string[] = [];
    const auth: OrganizerAuth = {
      cacheKey: nextCacheKey(),
      credentials: { method: 'oauth', refreshToken: 'stored-refresh' },
      onRefreshTokenRotated: async (t) => {
        rotated.push(t);
      },
    };
    let refreshCalls = 0;
    goto.handler = (req, res) => {
      if (req.path === '/oauth/token') {
        refreshCalls += 1;
        // First refresh rotates, second omits refresh_token.
        return refreshCalls === 1
          ? send(res, 200, {
              access_token: 'a1',
              expires_in: 3600,
              refresh_token: 'rotated-refresh',
            })
          : send(res, 200, { access_token: 'a2', expires_in: 3600 });
      }
      if (req.auth === 'Bearer a1')
        return send(res, 403, { int_err_code: 'InvalidToken', msg: 'Invalid token passed' });
      send(res, 200, { id: ORG });
    };
    await expect(client.getIdentity(auth)).resolves.toMatchObject({ organizerKey: ORG });
    expect(rotated).toEqual(['rotated-refresh']);
    const forms = goto.tokens().map((t) => Object.fromEntries(new URLSearchParams(t.body)));
    expect(forms).toEqual([
      { grant_type: 'refresh_token', refresh_token: 'stored-refresh' },
      { grant_type: 'refresh_token', refresh_token: 'rotated-refresh' },
    ]);
    // The caller now passes the persisted rotated token: same cache entry, no new token request.
    await client.getIdentity({
      ...auth,
      credentials: { method: 'oauth', refreshToken: 'rotated-refresh' },
    });
    expect(goto.tokens()).toHaveLength(2);
  });

  it('403 InvalidToken twice -> AUTH_EXPIRED after one renewal', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token'
        ? goto.tokenEndpoint(req, res)
        : send(res, 403, { int_err_code: 'InvalidToken', msg: 'Invalid token passed' });
    const e = await client.getWebinar(pat(), ORG, WEB).catch((x) => x);
    expect(e).toBeInstanceOf(GotoWebinarError);
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(goto.api()).toHaveLength(2);
    expect(goto.tokens()).toHaveLength(2);
  });

  it('GotoWebinarModule imported plainly exports the client with default options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(testConfig({ goto: { apiUrl: goto.url, authUrl: goto.url } })),
        GotoWebinarModule,
      ],
    }).compile();
    const client = moduleRef.get(GotoWebinarClient);
    expect(client.authorizeUrl('s t', 'http://localhost/cb')).toBe(
      `${goto.url}/oauth/authorize?client_id=webinar-sync-demo&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=s%20t`,
    );
    expect(client.authorizeUrl('s', 'http://localhost/cb', 'ch-1')).toMatch(
      /&state=s&code_challenge=ch-1&code_challenge_method=S256$/,
    );
    // The code exchange carries the PKCE verifier.
    goto.handler = (req, res) => goto.tokenEndpoint(req, res);
    await client.exchangeAuthorizationCode('the-code', 'http://localhost/cb', 'verifier-1');
    expect(Object.fromEntries(new URLSearchParams(goto.tokens()[0].body))).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      code_verifier: 'verifier-1',
    });
    await moduleRef.close();
  });

  describe('password grant answered with a bare invalid_client', () => {
    const auth = (): OrganizerAuth => ({
      cacheKey: nextCacheKey(),
      credentials: { method: 'password', email: 'o@example.com', password: 'pw' },
    });
    const invalidClient = {
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    };

    it('client authenticates on another grant -> GRANT_NOT_ALLOWED (Direct Login off)', async () => {
      const client = await goto.makeClient();
      goto.handler = (req, res) => {
        const grant = new URLSearchParams(req.body).get('grant_type');
        if (grant === 'password') return send(res, 401, invalidClient);
        send(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token.' });
      };
      const e = await client.signIn(auth()).catch((x) => x);
      expect(e.code).toBe('GRANT_NOT_ALLOWED');
      expect(e.message).toMatch(/may not use email \+ password/);
      expect(e.message).not.toMatch(/GOTO_CLIENT_SECRET/);
      expect(goto.tokens()).toHaveLength(2);
    });

    it('client rejected on every grant -> AUTH_INVALID naming the client (wrong secret)', async () => {
      const client = await goto.makeClient();
      goto.handler = (req, res) => send(res, 401, invalidClient);
      const e = await client.signIn(auth()).catch((x) => x);
      expect(e.code).toBe('AUTH_INVALID');
      expect(e.message).toContain('OAuth client "cid"');
      expect(e.message).not.toContain(CLIENT_SECRET);
    });
  });

  describe('token cache', () => {
    /**
     * Token requests wait until `release()`; `arrived` resolves when the first one reaches the
     * server (so a test acts while a token fetch is certainly in flight).
     */
    function heldTokens(answer: Handler = goto.tokenEndpoint) {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let arrivedNow!: () => void;
      const arrived = new Promise<void>((r) => (arrivedNow = r));
      goto.handler = async (req, res) => {
        if (req.path !== '/oauth/token') return send(res, 200, { id: ORG });
        arrivedNow();
        await gate;
        return answer(req, res);
      };
      return { release, arrived };
    }
    /** getIdentity(auth), with forget() while its token fetch is held at the server. */
    async function forgetDuringTokenFetch(client: GotoWebinarClient, auth: OrganizerAuth) {
      const tokens = heldTokens();
      const running = client.getIdentity(auth);
      await tokens.arrived;
      client.forget(auth.cacheKey);
      tokens.release();
      await running;
    }
    const identityOnly: Handler = (req, res) =>
      req.path === '/oauth/token' ? goto.tokenEndpoint(req, res) : send(res, 200, { id: ORG });

    it('reuses the token until shortly before expires_in, then fetches a new one', async () => {
      const client = await goto.makeClient();
      goto.handler = identityOnly;
      const auth = pat();
      await client.getIdentity(auth);
      goto.time.advance(3_500_000); // 58 min 20 s: still valid (margin 60 s)
      await client.getIdentity(auth);
      expect(goto.tokens()).toHaveLength(1);
      goto.time.advance(60_000); // 59 min 20 s: inside the margin
      await client.getIdentity(auth);
      expect(goto.tokens()).toHaveLength(2);
    });

    it('changed credentials under the same cacheKey fetch a new token', async () => {
      const client = await goto.makeClient();
      goto.handler = identityOnly;
      const auth = pat();
      await client.getIdentity(auth);
      await client.getIdentity({
        ...auth,
        credentials: {
          method: 'personal_access_token',
          email: 'o@example.com',
          personalAccessToken: 'PAT-2',
        },
      });
      expect(goto.tokens().map((t) => new URLSearchParams(t.body).get('pat'))).toEqual([
        'PAT-1',
        'PAT-2',
      ]);
    });

    it('forget() during a token fetch: that token is not cached', async () => {
      const client = await goto.makeClient();
      const auth = pat();
      await forgetDuringTokenFetch(client, auth);
      await client.getIdentity(auth);
      expect(goto.tokens()).toHaveLength(2);
    });

    it('forget() leaves nothing behind per cache key (no map grows with each verification)', async () => {
      const client = await goto.makeClient();
      goto.handler = identityOnly;
      const auth = (client as unknown as { auth: object }).auth;
      const entries = () =>
        Object.values(auth)
          .filter((v): v is Map<unknown, unknown> => v instanceof Map)
          .reduce((sum, m) => sum + m.size, 0);
      for (let i = 0; i < 20; i++) {
        const a = pat();
        await client.getIdentity(a);
        client.forget(a.cacheKey);
      }
      await forgetDuringTokenFetch(client, pat());
      expect(entries()).toBe(0);
    });

    it('a failed token fetch is shared by concurrent callers and not cached', async () => {
      const client = await goto.makeClient();
      let fail = true;
      // Held until all five callers are waiting on the one fetch (it reached the server).
      const tokens = heldTokens((req, res) =>
        fail ? send(res, 400, { error: 'invalid_grant' }) : goto.tokenEndpoint(req, res),
      );
      const auth = pat();
      const calls = Array.from({ length: 5 }, () => client.getIdentity(auth));
      await tokens.arrived;
      tokens.release();
      const results = await Promise.allSettled(calls);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(goto.tokens()).toHaveLength(1);
      fail = false;
      await expect(client.getIdentity(auth)).resolves.toMatchObject({ organizerKey: ORG });
      expect(goto.tokens()).toHaveLength(2);
    });
  });
});
