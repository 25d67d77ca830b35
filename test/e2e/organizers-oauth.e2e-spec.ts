import { DataSource } from 'typeorm';
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

  /** authorize (JSON) → the simulator's consent page (auto-consent) → the callback path and query. */
  async function consent(auth: { Authorization: string }, as: OrganizerInfo): Promise<string> {
    const start = await rec(
      t.http().get('/api/v1/organizers/oauth/authorize?format=json').set(auth),
    );
    expect(start.status).toBe(200);
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
    const res = await rec(t.http().get(callback).set('Accept', 'application/json'));
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
    expect(row.credentials_encrypted).toMatch(/^v1:/);
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
  });

  it('a browser (no JSON) is sent back to /admin with a success or failure flag', async () => {
    const a = await t.createAccount();
    const callback = await consent(a.auth, orgs[1]);
    const ok = await rec(t.http().get(callback));
    expect(ok.status).toBe(302);
    expect(ok.headers.location).toMatch(/^\/admin\?oauth=connected&organizerId=\d+$/);
    const replay = await rec(t.http().get(callback));
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
    const res = await rec(
      t
        .http()
        .get(await consent(a.auth, org))
        .set('Accept', 'application/json'),
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
    const res = await rec(
      t
        .http()
        .get(await consent(a.auth, org))
        .set('Accept', 'application/json'),
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
    expect((await rec(t.http().get(callback).set('Accept', 'application/json'))).status).toBe(201);
    const again = await rec(t.http().get(callback).set('Accept', 'application/json'));
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
        .set('Accept', 'application/json'),
    );
    expect(missing.status).toBe(400);
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
  });

  it('an expired state is refused (400)', async () => {
    const a = await t.createAccount();
    const callback = await consent(a.auth, orgs[4]);
    clock.advance(11 * 60 * 1000);
    const res = await rec(t.http().get(callback).set('Accept', 'application/json'));
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
        .set('Accept', 'application/json'),
    );
    expect(res.status).toBe(422);
    expect((await rec(t.http().get('/api/v1/organizers').set(a.auth))).body.total).toBe(0);
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
