import { basicAuth, bearerGet, requestToken, simFetch } from '../../src/simulator/sim-client';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';

const NOW = new Date('2026-06-15T12:00:00Z');

describe('GoTo simulator: OAuth and identity', () => {
  let sim: RunningSimulator;
  const client = () => ({ clientId: sim.clientId, clientSecret: sim.clientSecret });
  const org = () => sim.store.listOrganizers()[0];
  const me = (token: string) => bearerGet(sim.url, '/identity/v1/Users/me', token);

  beforeEach(async () => {
    sim = await startSimulator({ now: NOW });
  });
  afterEach(() => sim.close());

  it('password grant: GoTo token response without organizer_key; Users/me gives the keys', async () => {
    const res = await requestToken(sim.url, client(), {
      grant_type: 'password',
      username: org().email,
      password: org().password,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'principal',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      principal: org().email,
    });
    expect(res.body.access_token.length).toBeGreaterThan(400);
    expect(res.body.access_token.split('.')).toHaveLength(3);
    const who = await me(res.body.access_token);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ id: org().organizerKey, userName: org().email });
    expect(who.body.accounts[0].value).toBe(org().accountKey);
    expect(who.text).toContain(`"id":"${org().organizerKey}"`);
  });

  it('password grant: wrong password → 400 invalid_grant; disabled grant → 401 invalid_client', async () => {
    const bad = await requestToken(sim.url, client(), {
      grant_type: 'password',
      username: org().email,
      password: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
    sim.store.updateSettings({ passwordGrant: false });
    const off = await requestToken(sim.url, client(), {
      grant_type: 'password',
      username: org().email,
      password: org().password,
    });
    expect(off.status).toBe(401);
    expect(off.body.error).toBe('invalid_client');
    expect(off.body.error_description).toMatch(/password/i);
  });

  it('passwordGrant: false as a start option', async () => {
    const other = await startSimulator({
      now: NOW,
      passwordGrant: false,
      organizers: 1,
      webinars: 1,
    });
    try {
      const o = other.store.listOrganizers()[0];
      const res = await requestToken(other.url, other, {
        grant_type: 'password',
        username: o.email,
        password: o.password,
      });
      expect(res.status).toBe(401);
      const pat = await requestToken(other.url, other, {
        grant_type: 'personal_access_token',
        pat: o.personalAccessToken,
      });
      expect(pat.status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('client authentication: bad secret → 401 invalid_client; form content type required', async () => {
    const res = await requestToken(
      sim.url,
      { clientId: sim.clientId, clientSecret: 'x' },
      { grant_type: 'personal_access_token', pat: org().personalAccessToken },
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
    const json = await simFetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: basicAuth(sim.clientId, sim.clientSecret),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ grant_type: 'personal_access_token', pat: org().personalAccessToken }),
    });
    expect(json.status).toBe(400);
    const unknown = await requestToken(sim.url, client(), { grant_type: 'client_credentials' });
    expect(unknown.body.error).toBe('unsupported_grant_type');
  });

  it('personal access token grant', async () => {
    const res = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: org().personalAccessToken,
    });
    expect(res.status).toBe(200);
    expect((await me(res.body.access_token)).body.id).toBe(org().organizerKey);
    const bad = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: 'pat-nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
  });

  it('authorization code: redirect with code+state, redirect_uri must match, a code works once', async () => {
    const second = sim.store.listOrganizers()[1];
    const redirect = 'http://localhost:3000/callback';
    const authorize = (extra = '') =>
      simFetch(
        `${sim.url}/oauth/authorize?client_id=${sim.clientId}&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&state=xyz${extra}`,
      );
    const res = await authorize(`&login_hint=${encodeURIComponent(second.email)}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirect);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const ok = await requestToken(sim.url, client(), {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
    });
    expect(ok.status).toBe(200);
    expect((await me(ok.body.access_token)).body.id).toBe(second.organizerKey);
    const again = await requestToken(sim.url, client(), {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');

    const code2 = new URL((await authorize()).headers.get('location')!).searchParams.get('code')!;
    const mismatch = await requestToken(sim.url, client(), {
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: 'http://evil/cb',
    });
    expect(mismatch.body.error).toBe('invalid_grant');

    sim.store.setAuthorizeAs(second.organizerKey);
    const code3 = new URL((await authorize()).headers.get('location')!).searchParams.get('code')!;
    const t3 = await requestToken(sim.url, client(), {
      grant_type: 'authorization_code',
      code: code3,
      redirect_uri: redirect,
    });
    expect((await me(t3.body.access_token)).body.id).toBe(second.organizerKey);
  });

  it('refresh: refresh_token and token_type omitted by default; old refresh token keeps working', async () => {
    const first = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: org().personalAccessToken,
    });
    const refresh = first.body.refresh_token;
    for (let i = 0; i < 2; i++) {
      const r = await requestToken(sim.url, client(), {
        grant_type: 'refresh_token',
        refresh_token: refresh,
      });
      expect(r.status).toBe(200);
      expect(r.body.refresh_token).toBeUndefined();
      expect(r.body.access_token).not.toBe(first.body.access_token);
      expect((await me(r.body.access_token)).status).toBe(200);
    }
    const bad = await requestToken(sim.url, client(), {
      grant_type: 'refresh_token',
      refresh_token: 'garbage',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
  });

  it('refresh with rotation: a new refresh_token each time, the old one dies', async () => {
    sim.store.updateSettings({ rotateRefreshTokens: true });
    const first = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: org().personalAccessToken,
    });
    const r1 = await requestToken(sim.url, client(), {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
    });
    expect(r1.body.refresh_token).toBeDefined();
    expect(r1.body.refresh_token).not.toBe(first.body.refresh_token);
    const old = await requestToken(sim.url, client(), {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
    });
    expect(old.status).toBe(400);
  });

  it('expired, garbage and revoked access tokens → 403 InvalidToken', async () => {
    const invalid = { int_err_code: 'InvalidToken', msg: 'Invalid token passed' };
    const t = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: org().personalAccessToken,
    });
    expect((await me('garbage')).status).toBe(403);
    expect((await me('garbage')).body).toEqual(invalid);
    sim.store.advanceClock(3599);
    expect((await me(t.body.access_token)).status).toBe(200);
    sim.store.advanceClock(2);
    const expired = await me(t.body.access_token);
    expect(expired.status).toBe(403);
    expect(expired.body).toEqual(invalid);
    // The refresh token still works after the access token expired.
    const r = await requestToken(sim.url, client(), {
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token,
    });
    expect((await me(r.body.access_token)).status).toBe(200);
    sim.store.expireTokens();
    expect((await me(r.body.access_token)).status).toBe(403);
    const t2 = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: org().personalAccessToken,
    });
    expect(sim.store.revokeTokens(org().organizerKey)).toBeGreaterThan(0);
    expect((await me(t2.body.access_token)).body).toEqual(invalid);
    const rr = await requestToken(sim.url, client(), {
      grant_type: 'refresh_token',
      refresh_token: t2.body.refresh_token,
    });
    expect(rr.body.error).toBe('invalid_grant');
  });

  it('tokenTtlSeconds option', async () => {
    const other = await startSimulator({
      now: NOW,
      tokenTtlSeconds: 60,
      organizers: 1,
      webinars: 0,
    });
    try {
      const o = other.store.listOrganizers()[0];
      const t = await requestToken(other.url, other, {
        grant_type: 'personal_access_token',
        pat: o.personalAccessToken,
      });
      expect(t.body.expires_in).toBe(60);
      other.store.advanceClock(61);
      expect(
        (await bearerGet(other.url, '/identity/v1/Users/me', t.body.access_token)).status,
      ).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('removed organizer: grants fail with invalid_grant, Users/me 404, G2W 403', async () => {
    const o = org();
    const t = await requestToken(sim.url, client(), {
      grant_type: 'personal_access_token',
      pat: o.personalAccessToken,
    });
    sim.store.removeOrganizer(o.organizerKey);
    const forms: Record<string, string>[] = [
      { grant_type: 'password', username: o.email, password: o.password },
      { grant_type: 'personal_access_token', pat: o.personalAccessToken },
      { grant_type: 'refresh_token', refresh_token: t.body.refresh_token },
    ];
    for (const form of forms) {
      const r = await requestToken(sim.url, client(), form);
      expect([r.status, r.body.error]).toEqual([400, 'invalid_grant']);
    }
    expect((await me(t.body.access_token)).status).toBe(404);
    const list = await bearerGet(
      sim.url,
      `/G2W/rest/v2/organizers/${o.organizerKey}/webinars?fromTime=2026-01-01T00:00:00Z&toTime=2027-01-01T00:00:00Z`,
      t.body.access_token,
    );
    expect(list.status).toBe(403);
    expect(list.body.errorCode).toBeDefined();
  });

  it('changed email/password: same organizer key, old credentials fail', async () => {
    const o = org();
    sim.store.updateOrganizer(o.organizerKey, {
      email: 'renamed@example.com',
      password: 'new-pass',
    });
    const old = await requestToken(sim.url, client(), {
      grant_type: 'password',
      username: o.email,
      password: o.password,
    });
    expect(old.status).toBe(400);
    const t = await requestToken(sim.url, client(), {
      grant_type: 'password',
      username: 'Renamed@Example.com',
      password: 'new-pass',
    });
    expect(t.status).toBe(200);
    const who = await me(t.body.access_token);
    expect(who.body).toMatchObject({ id: o.organizerKey, userName: 'renamed@example.com' });
  });
});
