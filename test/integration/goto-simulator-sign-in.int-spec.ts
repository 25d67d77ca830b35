// Contract tests: GotoWebinarClient against the in-process GoTo simulator over HTTP: sign-in with
// every grant, and the token cache (single-flight, renewal on InvalidToken, forget).
import { OrganizerAuth } from '../../src/goto-webinar/goto-webinar.types';
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import {
  TOKEN,
  WEBINAR,
  failure,
  nextCacheKey,
  simulatorContract,
} from '../support/goto/simulator-contract';

let sim: RunningSimulator;
let org: OrganizerInfo;
let other: OrganizerInfo;
const { make, pat, password, served, firstWebinar } = simulatorContract((s, first, second) => {
  sim = s;
  org = first;
  other = second;
});

describe('GoTo client against the simulator: sign-in and tokens', () => {
  describe('sign-in, every grant', () => {
    it('password (Direct Login) -> identity from Users/me', async () => {
      const { client } = await make();
      const id = await client.signIn(password());
      expect(id).toEqual({
        organizerKey: org.organizerKey,
        accountKey: org.accountKey,
        email: org.email,
        displayName: `${org.firstName} ${org.lastName}`,
      });
      expect(served(TOKEN)).toBe(1);
    });

    it('personal access token', async () => {
      const { client } = await make();
      await expect(client.signIn(pat(other))).resolves.toMatchObject({
        organizerKey: other.organizerKey,
      });
    });

    it('authorization code -> refresh token -> refresh grant', async () => {
      const { client } = await make();
      const redirect = 'http://localhost:3000/api/v1/organizers/oauth/callback';
      sim.store.setAuthorizeAs(other.organizerKey);
      const url = client.authorizeUrl('state-123', redirect);
      expect(url.startsWith(`${sim.url}/oauth/authorize?`)).toBe(true);
      const q = new URL(url).searchParams;
      expect(Object.fromEntries(q)).toEqual({
        client_id: sim.clientId,
        response_type: 'code',
        redirect_uri: redirect,
        state: 'state-123',
      });
      const consent = await fetch(url, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location') ?? '');
      expect(back.searchParams.get('state')).toBe('state-123');
      const code = back.searchParams.get('code') ?? '';
      const tokens = await client.exchangeAuthorizationCode(code, redirect);
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const id = await client.signIn({
        cacheKey: nextCacheKey(),
        credentials: { method: 'oauth', refreshToken: tokens.refreshToken! },
      });
      expect(id.organizerKey).toBe(other.organizerKey);
      // A code works once.
      expect((await failure(client.exchangeAuthorizationCode(code, redirect))).code).toBe(
        'AUTH_INVALID',
      );
      sim.store.setAuthorizeAs(null);
    });

    it('a rotated refresh token reaches onRefreshTokenRotated', async () => {
      sim.store.updateSettings({ rotateRefreshTokens: true });
      const { client } = await make();
      const redirect = 'http://localhost/cb';
      sim.store.setAuthorizeAs(org.organizerKey);
      const consent = await fetch(client.authorizeUrl('s', redirect), { redirect: 'manual' });
      const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const { refreshToken } = await client.exchangeAuthorizationCode(code, redirect);
      const rotated: string[] = [];
      const auth: OrganizerAuth = {
        cacheKey: nextCacheKey(),
        credentials: { method: 'oauth', refreshToken: refreshToken! },
        onRefreshTokenRotated: async (t) => {
          rotated.push(t);
        },
      };
      await client.getIdentity(auth);
      expect(rotated).toHaveLength(1);
      expect(rotated[0]).not.toBe(refreshToken);
      // The old refresh token is dead now; renewing must use the rotated one.
      sim.store.expireTokens();
      await expect(client.getIdentity(auth)).resolves.toMatchObject({
        organizerKey: org.organizerKey,
      });
      expect(rotated).toHaveLength(2);
      sim.store.setAuthorizeAs(null);
    });

    it('password grant switched off -> GRANT_NOT_ALLOWED with a plain message', async () => {
      sim.store.updateSettings({ passwordGrant: false });
      const { client } = await make();
      const e = await failure(client.signIn(password()));
      expect(e.code).toBe('GRANT_NOT_ALLOWED');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/may not use email \+ password/);
      expect(e.message).toMatch(/personal access token or "Connect with GoTo"/);
      expect(e.message).not.toContain(org.password);
      expect(served(TOKEN)).toBe(1);
    });

    it('wrong password / PAT -> AUTH_INVALID, never retried', async () => {
      const { client } = await make();
      expect((await failure(client.signIn(password(org, 'wrong-password')))).code).toBe(
        'AUTH_INVALID',
      );
      const badPat: OrganizerAuth = {
        cacheKey: nextCacheKey(),
        credentials: {
          method: 'personal_access_token',
          email: org.email,
          personalAccessToken: 'nope',
        },
      };
      expect((await failure(client.signIn(badPat))).code).toBe('AUTH_INVALID');
      expect(served(TOKEN)).toBe(2);
    });

    it.each([
      ['PAT', () => pat()],
      ['password', () => password()],
    ])(
      'wrong client secret (%s) -> AUTH_INVALID naming the client, not the secret',
      async (_n, auth) => {
        const { client } = await make({ clientSecret: 'not-the-secret' });
        const e = await failure(client.signIn(auth()));
        expect(e.code).toBe('AUTH_INVALID');
        expect(e.message).toContain(sim.clientId);
        expect(e.message).not.toContain('not-the-secret');
      },
    );

    it('removed GoTo user: sign-in refused; a live token gets ACCOUNT_NOT_FOUND from Users/me', async () => {
      const { client } = await make();
      const victim = sim.store.listOrganizers()[2];
      const auth = pat(victim);
      await client.signIn(auth);
      sim.store.removeOrganizer(victim.organizerKey);
      expect((await failure(client.getIdentity(auth))).code).toBe('ACCOUNT_NOT_FOUND');
      expect((await failure(client.signIn(auth))).code).toBe('AUTH_INVALID');
    });
  });

  describe('tokens', () => {
    it('20 concurrent calls share one token request; after expiry one renewal for all', async () => {
      const { client } = await make();
      const w = firstWebinar();
      const auth = pat();
      const calls = () =>
        Promise.all(
          Array.from({ length: 20 }, () => client.getWebinar(auth, org.organizerKey, w.webinarKey)),
        );
      await calls();
      expect(served(TOKEN)).toBe(1);
      expect(served(WEBINAR, 200)).toBe(20);
      sim.store.expireTokens();
      sim.counters.reset();
      const again = await calls();
      expect(again.every((x) => x.webinarKey === w.webinarKey)).toBe(true);
      expect(served(TOKEN)).toBe(1);
      expect(served(WEBINAR, 403)).toBe(20);
      expect(served(WEBINAR, 200)).toBe(20);
    });

    it('403 InvalidToken: one renewal, one retry', async () => {
      const { client } = await make();
      const w = firstWebinar();
      const auth = pat();
      await client.getWebinar(auth, org.organizerKey, w.webinarKey);
      sim.counters.reset();
      sim.faults.inject({ type: 'invalid-token', path: '/webinars/\\d+$', count: 1 });
      await expect(client.getWebinar(auth, org.organizerKey, w.webinarKey)).resolves.toMatchObject({
        webinarKey: w.webinarKey,
      });
      expect(served(WEBINAR, 403)).toBe(1);
      expect(served(WEBINAR, 200)).toBe(1);
      expect(served(TOKEN)).toBe(1);
    });

    it('403 InvalidToken that persists -> AUTH_EXPIRED after exactly one renewal', async () => {
      const { client } = await make();
      const w = firstWebinar();
      sim.faults.inject({ type: 'invalid-token', path: '/webinars/\\d+$' });
      const e = await failure(client.getWebinar(pat(), org.organizerKey, w.webinarKey));
      expect(e.code).toBe('AUTH_EXPIRED');
      expect(served(WEBINAR)).toBe(2);
      expect(served(TOKEN)).toBe(2);
    });

    it('forget() drops the cached token', async () => {
      const { client } = await make();
      const auth = pat();
      await client.getIdentity(auth);
      await client.getIdentity(auth);
      expect(served(TOKEN)).toBe(1);
      client.forget(auth.cacheKey);
      await client.getIdentity(auth);
      expect(served(TOKEN)).toBe(2);
    });
  });
});
