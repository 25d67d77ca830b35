import { bearerGet, organizerToken, requestToken, simFetch } from '../../src/simulator/sim-client';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';

const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';
const RANGE = 'fromTime=2020-01-01T00:00:00Z&toTime=2032-01-01T00:00:00Z';

describe('GoTo simulator: faults, counters, rate limit', () => {
  let sim: RunningSimulator;
  let token: string;
  let orgKey: string;
  const list = () => bearerGet(sim.url, `${V2}/organizers/${orgKey}/webinars?${RANGE}`, token);

  beforeEach(async () => {
    sim = await startSimulator({ now: NOW, organizers: 2, webinars: 5, registrants: 5 });
    const o = sim.store.listOrganizers()[0];
    orgKey = o.organizerKey;
    token = await organizerToken(sim);
  });
  afterEach(() => sim.close());

  it('429 burst with Retry-After, limited by count, then normal answers', async () => {
    sim.faults.inject({ type: 'status', status: 429, retryAfter: 2, count: 2, path: '/webinars$' });
    for (let i = 0; i < 2; i++) {
      const r = await list();
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('2');
    }
    expect((await list()).status).toBe(200);
    expect(sim.faults.list()).toEqual([]);
  });

  it('429 without Retry-After and 5xx by count; path regex targets only matching requests', async () => {
    sim.faults.inject({ type: 'status', status: 429, count: 1 });
    const r = await list();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    sim.faults.inject({ type: 'status', status: 503, count: 1, path: '/registrants' });
    expect((await list()).status).toBe(200);
    const w = sim.store.listWebinars(orgKey)[0];
    const reg = await bearerGet(
      sim.url,
      `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/registrants`,
      token,
    );
    expect(reg.status).toBe(503);
    expect(reg.body.errorCode).toBeDefined();
  });

  it('5xx at a rate: reproducible share of failures', async () => {
    sim.faults.inject({ type: 'status', status: 500, rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await list()).status);
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    sim.faults.clear();
    expect((await list()).status).toBe(200);
  });

  it('latency', async () => {
    sim.faults.inject({ type: 'latency', latencyMs: 150, count: 1 });
    const t0 = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('hanging request never answers; close() still ends it', async () => {
    sim.faults.inject({ type: 'hang', count: 1 });
    const aborted = bearerGet(sim.url, `${V2}/organizers/${orgKey}/webinars?${RANGE}`, token).catch(
      (e: Error) => e,
    );
    const result = await Promise.race([
      aborted,
      new Promise((r) => setTimeout(() => r('pending'), 300)),
    ]);
    expect(result).toBe('pending');
    await sim.close();
    expect(String(await aborted)).toMatch(/fetch failed|socket|terminated/i);
    sim = await startSimulator({ now: NOW, organizers: 1, webinars: 1 });
  });

  it('down: the connection is reset', async () => {
    sim.faults.inject({ type: 'down', count: 1 });
    await expect(list()).rejects.toThrow();
    expect((await list()).status).toBe(200);
  });

  it('malformed JSON (truncated) and schema-violating JSON (webinar without times)', async () => {
    sim.faults.inject({ type: 'malformed-json', count: 1 });
    const bad = await list();
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text)).toThrow();
    sim.faults.inject({ type: 'schema-violation', count: 1, path: '/webinars$' });
    const odd = await list();
    expect(odd.body._embedded.webinars[0].times).toBeUndefined();
    expect(odd.body._embedded.webinars[1].times).toBeDefined();
    const w = sim.store.listWebinars(orgKey)[0];
    sim.faults.inject({ type: 'schema-violation', count: 1 });
    const one = await bearerGet(
      sim.url,
      `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}`,
      token,
    );
    expect(one.body.times).toBeUndefined();
    expect(one.text).toContain(`"webinarKey":${w.webinarKey}`);
  });

  it('invalid-token fault and expired tokens answer 403 InvalidToken', async () => {
    sim.faults.inject({ type: 'invalid-token', count: 1 });
    expect((await list()).body).toEqual({
      int_err_code: 'InvalidToken',
      msg: 'Invalid token passed',
    });
    expect((await list()).status).toBe(200);
    await simFetch(`${sim.url}/_sim/tokens/expire`, { method: 'POST' });
    expect((await list()).status).toBe(403);
    token = await organizerToken(sim);
    expect((await list()).status).toBe(200);
    expect(sim.faults.inject({ type: 'expire-tokens' }).hits).toBeGreaterThan(0);
    expect(sim.faults.list()).toEqual([]);
    expect((await list()).status).toBe(403);
  });

  it('counters by endpoint and status; reset', async () => {
    sim.counters.reset();
    await list();
    await bearerGet(sim.url, `${V2}/organizers/${orgKey}/webinars`, token);
    await bearerGet(sim.url, '/nope', token);
    const c = (await simFetch(`${sim.url}/_sim/counters`)).body;
    expect(c.byEndpoint[`GET ${V2}/organizers/{organizerKey}/webinars`]).toEqual({
      '200': 1,
      '400': 1,
    });
    expect(c.byStatus['404']).toBe(1);
    expect(c.total).toBe(3);
    expect((await simFetch(`${sim.url}/_sim/counters/reset`, { method: 'POST' })).status).toBe(204);
    expect(sim.counters.read().total).toBe(0);
  });

  it('control endpoints over HTTP: faults', async () => {
    const post = await simFetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'status', status: 502, path: 'webinars' }),
    });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({ id: expect.any(Number), type: 'status', status: 502 });
    expect((await list()).status).toBe(502);
    expect((await simFetch(`${sim.url}/_sim/faults`)).body).toHaveLength(1);
    expect((await simFetch(`${sim.url}/_sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await list()).status).toBe(200);
    const bad = await simFetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'weird' }),
    });
    expect(bad.status).toBe(400);
  });

  it('rate limit: a token bucket per client answers 429 without Retry-After', async () => {
    sim.store.updateSettings({ rateLimitRps: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, () => list()));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0].headers.get('retry-after')).toBeNull();
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(5);
    // The token endpoint is not limited.
    const o = sim.store.listOrganizers()[1];
    expect(
      (
        await requestToken(sim.url, sim, {
          grant_type: 'personal_access_token',
          pat: o.personalAccessToken,
        })
      ).status,
    ).toBe(200);
  });
});

describe('GoTo simulator: control endpoints', () => {
  let sim: RunningSimulator;
  const ctl = (path: string, method = 'GET', body?: unknown) =>
    simFetch(`${sim.url}/_sim${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sim = await startSimulator({ now: NOW, organizers: 2, webinars: 6, registrants: 4 });
  });
  afterAll(() => sim.close());

  it('reads organizers (with credentials), webinars, registrants, sessions, attendees', async () => {
    const orgs = (await ctl('/organizers')).body;
    expect(orgs).toHaveLength(2);
    expect(orgs[0]).toMatchObject({
      email: 'organizer1@example.com',
      password: expect.any(String),
      personalAccessToken: expect.any(String),
      organizerKey: expect.stringMatching(/^\d{19}$/),
      accountKey: expect.stringMatching(/^\d{19}$/),
    });
    const webinars = (await ctl(`/organizers/${orgs[0].organizerKey}/webinars`)).body;
    expect(webinars).toEqual(sim.store.listWebinars(orgs[0].organizerKey));
    const w = webinars[0];
    expect((await ctl(`/webinars/${w.webinarKey}/registrants`)).body).toEqual(
      sim.store.listRegistrants(w.webinarKey),
    );
    expect((await ctl(`/webinars/${w.webinarKey}/sessions`)).body).toEqual(
      sim.store.listSessions(w.webinarKey),
    );
    expect((await ctl(`/webinars/${w.webinarKey}/attendees`)).body).toEqual(
      sim.store.listAttendees(w.webinarKey),
    );
    expect((await ctl('/webinars/1')).status).toBe(404);
  });

  it('changes data: registrants, attendance, reschedule, cancel, delete, add webinar', async () => {
    const org = sim.store.listOrganizers()[0].organizerKey;
    const added = await ctl(`/organizers/${org}/webinars`, 'POST', {
      subject: 'Fresh',
      times: [{ startTime: '2026-07-01T15:00:00Z', endTime: '2026-07-01T16:00:00Z' }],
    });
    expect(added.status).toBe(201);
    const wk = added.body.webinarKey;
    const reg = await ctl(`/webinars/${wk}/registrants`, 'POST', {
      firstName: 'Ada',
      lastName: 'L',
      email: 'ada@example.com',
    });
    expect(reg.status).toBe(201);
    expect(
      (
        await ctl(`/webinars/${wk}/registrants`, 'POST', {
          firstName: 'Ada',
          lastName: 'L',
          email: 'ADA@example.com',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await ctl(`/webinars/${wk}/registrants/${reg.body.registrantKey}`, 'PATCH', {
          status: 'DENIED',
        })
      ).body.status,
    ).toBe('DENIED');
    // Attendance on a future webinar creates its session.
    const att = await ctl(`/webinars/${wk}/attendees`, 'POST', {
      registrantKey: reg.body.registrantKey,
      attendanceTimeInSeconds: 1800,
    });
    expect(att.status).toBe(201);
    expect(sim.store.listSessions(wk)).toHaveLength(1);
    expect(sim.store.listAttendees(wk)).toEqual([att.body]);
    const walkIn = await ctl(`/webinars/${wk}/attendees`, 'POST', {
      email: 'walkin@example.com',
      firstName: 'W',
      lastName: 'I',
    });
    expect(sim.store.listRegistrants(wk).map((r) => r.registrantKey)).not.toContain(
      walkIn.body.registrantKey,
    );
    expect(
      (await ctl(`/webinars/${wk}/registrants/${reg.body.registrantKey}`, 'DELETE')).status,
    ).toBe(204);
    expect(sim.store.listRegistrants(wk)).toHaveLength(0);
    const moved = await ctl(`/webinars/${wk}/reschedule`, 'POST', {
      times: [{ startTime: '2026-08-01T15:00:00.000Z', endTime: '2026-08-01T16:30:00Z' }],
    });
    expect(moved.body.times).toEqual([
      { startTime: '2026-08-01T15:00:00Z', endTime: '2026-08-01T16:30:00Z' },
    ]);
    expect((await ctl(`/webinars/${wk}/cancel`, 'POST')).body.status).toBe('cancelled');
    expect(sim.store.listWebinars(org).map((w) => w.webinarKey)).not.toContain(wk);
    expect(
      sim.store.listWebinars(org, { includeCancelled: true }).map((w) => w.webinarKey),
    ).toContain(wk);
    const other = sim.store.listWebinars(org)[0].webinarKey;
    expect((await ctl(`/webinars/${other}`, 'DELETE')).body.status).toBe('deleted');
    expect((await ctl(`/webinars/${other}/reschedule`, 'POST', { times: [] })).status).toBe(400);
  });

  it('organizers: change credentials, revoke tokens, authorize-as, remove; clock and settings', async () => {
    const [o1, o2] = sim.store.listOrganizers();
    const t = await requestToken(sim.url, sim, {
      grant_type: 'personal_access_token',
      pat: o2.personalAccessToken,
    });
    expect(
      (await ctl(`/organizers/${o2.organizerKey}/revoke-tokens`, 'POST')).body.revoked,
    ).toBeGreaterThan(0);
    expect((await bearerGet(sim.url, '/identity/v1/Users/me', t.body.access_token)).status).toBe(
      403,
    );
    const patched = await ctl(`/organizers/${o1.organizerKey}`, 'PATCH', { password: 'changed' });
    expect(patched.body).toMatchObject({ organizerKey: o1.organizerKey, password: 'changed' });
    expect(
      (await ctl('/authorize-as', 'POST', { organizerKey: o2.organizerKey })).body.authorizeAs,
    ).toBe(o2.organizerKey);
    const removed = await ctl(`/organizers/${o2.organizerKey}`, 'DELETE');
    expect(removed.body.removed).toBe(true);
    const before = (await ctl('/clock')).body.now;
    expect(before).toBe(NOW.toISOString());
    expect((await ctl('/clock/advance', 'POST', { seconds: 60 })).body.now).toBe(
      '2026-06-15T12:01:00.000Z',
    );
    expect(
      (await ctl('/settings', 'PATCH', { passwordGrant: false, rateLimitRps: 10 })).body,
    ).toMatchObject({ passwordGrant: false, rateLimitRps: 10 });
    expect((await ctl('/nothing')).status).toBe(404);
  });
});
