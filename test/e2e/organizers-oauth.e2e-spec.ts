import { DataSource, Like } from 'typeorm';
import { OAuthState } from '../../src/organizers/oauth-state.entity';
import { Clock, FakeClock } from '../../src/common/clock';
import { OrganizersService } from '../../src/organizers/organizers.service';
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import {
  createOrganizerTestApp,
  linkOrganizer,
  SecretScanner,
  startOrganizerSimulator,
} from '../support/factories/organizer.factory';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

describeEachDialect('organizers: Connect with GoTo (OAuth)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let orgs: OrganizerInfo[];
  const clock = new FakeClock(new Date());
  const changedPassword = 'changed-in-goto-oauth-5';
  const scanner = new SecretScanner();
  const rec = async <T extends { text?: string; headers?: Record<string, unknown> }>(
    p: PromiseLike<T>,
  ): Promise<T> => scanner.record(await p);

  beforeAll(async () => {
    scanner.captureLogs();
    // Refresh tokens rotate on every use: the one stored must be the newest.
    sim = await startOrganizerSimulator(6);
    sim.store.updateSettings({ rotateRefreshTokens: true });
    orgs = sim.store.listOrganizers();
    t = await createOrganizerTestApp(dialect, sim, {
      override: (b) => b.overrideProvider(Clock).useValue(clock),
    });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    scanner.restore();
    await t?.close();
    await sim?.close();
  });

  /** The browser cookie /oauth/authorize sets (name=value), as a Cookie header value. */
  const cookieOf = (res: { headers: Record<string, unknown> }): string => {
    const set = res.headers['set-cookie'] as string[] | undefined;
    const c = set?.find((x) => x.startsWith('ws_oauth_browser='));
    expect(c).toBeDefined();
    return c!.split(';')[0];
  };
  let browser = '';

  /**
   * authorize (JSON) → the simulator's consent page (auto-consent) → the callback path and query.
   * The browser cookie it set is left in `browser`.
   */
  async function consent(auth: { Authorization: string }, as: OrganizerInfo): Promise<string> {
    const start = await rec(
      t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(auth),
    );
    expect(start.status).toBe(200);
    browser = cookieOf(start);
    sim.store.setAuthorizeAs(as.organizerKey);
    const goto = await fetch(start.body.url, { redirect: 'manual' });
    expect(goto.status).toBe(302);
    const back = new URL(goto.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(
      'http://localhost:3999/api/v1/organizers/oauth/callback',
    );
    expect(back.searchParams.get('code')).toBeTruthy();
    return `${back.pathname}${back.search}`;
  }

  it('authorize redirects (302) to GoTo’s consent page with a state, and needs the API key', async () => {
    const a = await t.createAccount();
    const res = await rec(t.http().get('/api/v1/organizers/oauth/authorize').set(a.auth));
    expect(res.status).toBe(302);
    const url = new URL(res.headers.location);
    expect(`${url.origin}${url.pathname}`).toBe(`${sim.url}/oauth/authorize`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(sim.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(
      'http://localhost:3999/api/v1/organizers/oauth/callback',
    );
    expect(url.searchParams.get('state')!.length).toBeGreaterThan(40);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/^ws_oauth_browser=[\w-]{43}; /);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/api\/v1\/organizers\/oauth/);
    expect(cookie).not.toMatch(/; Secure/); // PUBLIC_URL is http here (loopback test)
    const json = await rec(
      t
        .http()
        .get('/api/v1/organizers/oauth/authorize')
        .set(a.auth)
        .set('Accept', 'application/json'),
    );
    expect(json.status).toBe(200);
    expect(json.body.url).toContain('/oauth/authorize?');
    expect((await rec(t.http().get('/api/v1/organizers/oauth/authorize'))).status).toBe(401);
  });

  it('round trip: the callback stores the refresh token encrypted, creates the organizer and queues its sync', async () => {
    const a = await t.createAccount();
    const org = orgs[0];
    const callback = await consent(a.auth, org);
    const back = await rec(
      t.http().get(callback).set('Cookie', browser).set('Accept', 'application/json'),
    );
    // Nothing is linked yet: the GoTo user is shown for confirmation.
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({
      link: expect.any(String),
      email: org.email,
      organizerKey: org.organizerKey,
      existingOrganizerId: null,
    });
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
    const shown = await rec(
      t
        .http()
        .get(`/api/v1/organizers/oauth/links/${back.body.link}`)
        .set(a.auth)
        .set('Cookie', browser),
    );
    expect(shown.status).toBe(200);
    expect(shown.body.email).toBe(org.email);
    const res = await rec(
      t
        .http()
        .post(`/api/v1/organizers/oauth/links/${back.body.link}/confirm`)
        .set(a.auth)
        .set('Cookie', browser),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      authMethod: 'oauth',
      active: true,
      email: org.email,
      organizerKey: org.organizerKey,
      created: true,
    });
    expect(res.body.syncJobId).toEqual(expect.any(Number));
    const job = (await ds.query('SELECT * FROM sync_job WHERE id = ?', [res.body.syncJobId]))[0];
    expect(job).toMatchObject({ type: 'organizer_full_sync', status: 'queued' });
    const row = (
      await ds.query('SELECT credentials_encrypted, account_id FROM organizer WHERE id = ?', [
        res.body.id,
      ])
    )[0];
    expect(Number(row.account_id)).toBe(a.id);
    expect(row.credentials_encrypted).toMatch(/^v2:/);
    expect(row.credentials_encrypted).not.toMatch(/eyJ/);
    // The stored (rotated) refresh token works: Test Connection signs in with it, twice.
    for (let i = 0; i < 2; i++) {
      const test = await rec(
        t.http().post('/api/v1/webinar-integration/test-connection').set(a.auth),
      );
      expect(test.body.results).toEqual([
        expect.objectContaining({ organizerId: res.body.id, ok: true, deactivated: false }),
      ]);
    }
    const svc = t.app.get(OrganizersService);
    const organizer = await svc.getForAccount(a.id, res.body.id);
    expect(svc.authFor(organizer).credentials.method).toBe('oauth');
    // The link is used up.
    const again = await rec(
      t
        .http()
        .post(`/api/v1/organizers/oauth/links/${back.body.link}/confirm`)
        .set(a.auth)
        .set('Cookie', browser),
    );
    expect(again.status).toBe(404);
  });

  it('a browser (no JSON) is sent back to /admin with a success or failure flag', async () => {
    const a = await t.createAccount();
    const callback = await consent(a.auth, orgs[1]);
    const ok = await rec(t.http().get(callback).set('Cookie', browser));
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toMatch(/^\/admin\?oauth=confirm&link=[\w-]+$/);
    const replay = await rec(t.http().get(callback).set('Cookie', browser));
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toBe('/admin?oauth=failed&error=OAUTH_STATE_USED');
  });

  it('reconnecting an organizer a user deactivated stores the new credentials but keeps it deactivated (no sync), like PATCH', async () => {
    const a = await t.createAccount();
    const org = orgs[2];
    const linked = await rec(linkOrganizer(t, a, org));
    await rec(
      t.http().patch(`/api/v1/organizers/${linked.body.id}`).set(a.auth).send({ active: false }),
    );
    const back = await rec(
      t
        .http()
        .get(await consent(a.auth, org))
        .set('Cookie', browser)
        .set('Accept', 'application/json'),
    );
    expect(back.body.existingOrganizerId).toBe(linked.body.id);
    const res = await rec(
      t
        .http()
        .post(`/api/v1/organizers/oauth/links/${back.body.link}/confirm`)
        .set(a.auth)
        .set('Cookie', browser),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: linked.body.id,
      authMethod: 'oauth',
      active: false,
      deactivatedReason: 'Deactivated by a user',
      connectionStatus: 'ok',
      created: false,
      syncJobId: null,
    });
    const list = await rec(t.http().get('/api/v1/organizers').set(a.auth));
    expect(list.body.total).toBe(1);
    // The other path follows the same rule: new credentials through PATCH leave it deactivated.
    const patched = await rec(
      t
        .http()
        .patch(`/api/v1/organizers/${linked.body.id}`)
        .set(a.auth)
        .send({ personalAccessToken: org.personalAccessToken }),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      authMethod: 'personal_access_token',
      active: false,
      deactivatedReason: 'Deactivated by a user',
      syncJobId: null,
    });
    // Only the user's own decision reactivates it.
    const on = await rec(
      t.http().patch(`/api/v1/organizers/${linked.body.id}`).set(a.auth).send({ active: true }),
    );
    expect(on.body).toMatchObject({ active: true, syncJobId: expect.any(Number) });
  });

  it('reconnecting an organizer Test Connection deactivated reactivates it and queues a sync', async () => {
    const a = await t.createAccount();
    const org = orgs[5];
    const linked = await rec(linkOrganizer(t, a, org));
    sim.store.updateOrganizer(org.organizerKey, { password: changedPassword });
    const tested = await rec(
      t.http().post('/api/v1/webinar-integration/test-connection').set(a.auth),
    );
    expect(tested.body.results).toEqual([
      expect.objectContaining({ organizerId: linked.body.id, deactivated: true }),
    ]);
    const back = await rec(
      t
        .http()
        .get(await consent(a.auth, org))
        .set('Cookie', browser)
        .set('Accept', 'application/json'),
    );
    expect(back.body.existingOrganizerId).toBe(linked.body.id);
    const res = await rec(
      t
        .http()
        .post(`/api/v1/organizers/oauth/links/${back.body.link}/confirm`)
        .set(a.auth)
        .set('Cookie', browser),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: linked.body.id,
      authMethod: 'oauth',
      active: true,
      deactivatedReason: null,
      created: false,
      syncJobId: expect.any(Number),
    });
  });

  it('a replayed state is refused (400) and stores nothing more', async () => {
    const a = await t.createAccount();
    const callback = await consent(a.auth, orgs[3]);
    const json = () =>
      t.http().get(callback).set('Cookie', browser).set('Accept', 'application/json');
    expect((await rec(json())).status).toBe(200);
    const again = await rec(json());
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('OAUTH_STATE_USED');
    expect(again.body.errors[0].field).toBe('state');
  });

  it('a forged, altered or missing state is refused (400)', async () => {
    const a = await t.createAccount();
    const callback = new URL(await consent(a.auth, orgs[3]), 'http://x');
    const state = callback.searchParams.get('state')!;
    const code = callback.searchParams.get('code')!;
    const tampered = state.slice(0, 20) + (state[20] === 'A' ? 'B' : 'A') + state.slice(21);
    for (const s of [tampered, 'not-a-state', Buffer.from('v1:a:b:c').toString('base64url')]) {
      const res = await rec(
        t
          .http()
          .get('/api/v1/organizers/oauth/callback')
          .query({ code, state: s })
          .set('Cookie', browser)
          .set('Accept', 'application/json'),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('OAUTH_STATE_INVALID');
    }
    const missing = await rec(
      t
        .http()
        .get('/api/v1/organizers/oauth/callback')
        .query({ code })
        .set('Cookie', browser)
        .set('Accept', 'application/json'),
    );
    expect(missing.status).toBe(400);
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
  });

  it('an expired state is refused (400)', async () => {
    const a = await t.createAccount();
    const callback = await consent(a.auth, orgs[4]);
    clock.advance(11 * 60 * 1000);
    const res = await rec(
      t.http().get(callback).set('Cookie', browser).set('Accept', 'application/json'),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('OAUTH_STATE_EXPIRED');
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
  });

  it('consent refused at GoTo → 422, nothing stored', async () => {
    const a = await t.createAccount();
    const start = await rec(
      t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(a.auth),
    );
    const state = new URL(start.body.url).searchParams.get('state')!;
    const res = await rec(
      t
        .http()
        .get('/api/v1/organizers/oauth/callback')
        .query({ state, error: 'access_denied' })
        .set('Cookie', cookieOf(start))
        .set('Accept', 'application/json'),
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('OAUTH_DENIED');
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
  });

  it('an invalid code → 422 (GoTo rejects it), nothing stored', async () => {
    const a = await t.createAccount();
    const start = await rec(
      t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(a.auth),
    );
    const state = new URL(start.body.url).searchParams.get('state')!;
    const res = await rec(
      t
        .http()
        .get('/api/v1/organizers/oauth/callback')
        .query({ state, code: 'bogus' })
        .set('Cookie', cookieOf(start))
        .set('Accept', 'application/json'),
    );
    expect(res.status).toBe(422);
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
  });

  it('a callback without the starting browser’s cookie is refused (400) and stores nothing; that browser can still finish', async () => {
    const a = await t.createAccount();
    const callback = await consent(a.auth, orgs[5]);
    const mine = browser;
    const other = await rec(
      t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(a.auth),
    );
    const json = (cookie?: string) => {
      const r = t.http().get(callback).set('Accept', 'application/json');
      return rec(cookie ? r.set('Cookie', cookie) : r);
    };
    for (const res of [
      await json(),
      await json(cookieOf(other)),
      await json(`ws_oauth_browser=${'x'.repeat(43)}`),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('OAUTH_BROWSER_MISMATCH');
    }
    const browserRes = await rec(t.http().get(callback));
    expect(browserRes.headers.location).toBe('/admin?oauth=failed&error=OAUTH_BROWSER_MISMATCH');
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
    const pending = await json(mine);
    expect(pending.status).toBe(200);
    // The pending link is the starting browser's and account's only.
    const link = `/api/v1/organizers/oauth/links/${pending.body.link}/confirm`;
    const stranger = await t.createAccount();
    expect((await rec(t.http().post(link).set(stranger.auth).set('Cookie', mine))).status).toBe(
      404,
    );
    const elsewhere = await rec(t.http().post(link).set(a.auth).set('Cookie', cookieOf(other)));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.code).toBe('OAUTH_BROWSER_MISMATCH');
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
    const cancel = `/api/v1/organizers/oauth/links/${pending.body.link}`;
    expect((await rec(t.http().delete(cancel).set(a.auth).set('Cookie', mine))).status).toBe(204);
    expect((await rec(t.http().post(link).set(a.auth).set('Cookie', mine))).status).toBe(404);
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
  });

  it('PKCE: the simulator exchanges the code only with the verifier of the challenge', async () => {
    const { createHash } = await import('node:crypto');
    const verifier = 'v'.repeat(30) + 'erifier-0123456789-abcdefghij';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://localhost:3999/cb';
    const code = async () => {
      sim.store.setAuthorizeAs(orgs[0].organizerKey);
      const q = new URLSearchParams({
        client_id: sim.clientId,
        response_type: 'code',
        redirect_uri: redirect,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const r = await fetch(`${sim.url}/oauth/authorize?${q}`, { redirect: 'manual' });
      return new URL(r.headers.get('location')!).searchParams.get('code')!;
    };
    const exchange = async (c: string, codeVerifier?: string) =>
      fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: c,
          redirect_uri: redirect,
          ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
        }),
      });
    const wrong = await exchange(await code(), `${verifier}x`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(await code())).status).toBe(400);
    expect((await exchange(await code(), verifier)).status).toBe(200);
    const plain = await fetch(
      `${sim.url}/oauth/authorize?client_id=${sim.clientId}&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&code_challenge=${challenge}&code_challenge_method=plain`,
      { redirect: 'manual' },
    );
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  it('authorize purges long-expired states in bounded batches (not all at once)', async () => {
    const a = await t.createAccount();
    const old = new Date(clock.now().getTime() - 2 * 24 * 3600 * 1000);
    const repo = ds.getRepository(OAuthState);
    await repo.insert(
      Array.from({ length: 250 }, (_, i) => ({
        nonce: `purge-${dialect}-${i}`,
        accountId: a.id,
        expiresAt: old,
        usedAt: null,
      })),
    );
    const left = () => repo.countBy({ accountId: a.id, nonce: Like('purge-%') });
    await rec(t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(a.auth));
    expect(await left()).toBe(150);
    await rec(t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(a.auth));
    await rec(t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(a.auth));
    expect(await left()).toBe(0);
  });

  it('no code, token or secret in any response or log line of this suite', () => {
    const secrets = [
      ...orgs.flatMap((o) => [o.password, o.personalAccessToken]),
      changedPassword,
      t.config.credentialsKey!,
      sim.clientSecret,
    ];
    expect(scanner.find(secrets)).toEqual([]);
  });
});
