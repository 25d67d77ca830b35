import { DataSource } from 'typeorm';
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import {
  linkOrganizer,
  SecretScanner,
  setUpOrganizerSuite,
} from '../support/factories/organizer.factory';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

describeEachDialect('Test Connection', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let orgs: OrganizerInfo[];
  const scanner = new SecretScanner();
  const rec = async <T extends { text?: string; headers?: Record<string, unknown> }>(
    p: PromiseLike<T>,
  ): Promise<T> => scanner.record(await p);
  const testConnection = (auth: { Authorization: string }) =>
    rec(t.http().post('/api/v1/webinar-integration/test-connection').set(auth));
  const get = async (auth: { Authorization: string }, id: number) =>
    (await rec(t.http().get(`/api/v1/organizers/${id}`).set(auth))).body;

  const suite = setUpOrganizerSuite(dialect, 10, scanner);
  beforeAll(() => ({ sim, t, ds, orgs } = suite));
  afterEach(() => sim.faults.clear());

  it('all fine: every active organizer ok, lastTestedAt set; inactive ones are not tested', async () => {
    const a = await t.createAccount();
    const one = (await rec(linkOrganizer(t, a, orgs[0]))).body;
    const two = (await rec(linkOrganizer(t, a, orgs[1], 'personal_access_token'))).body;
    const off = (await rec(linkOrganizer(t, a, orgs[2]))).body;
    await rec(t.http().patch(`/api/v1/organizers/${off.id}`).set(a.auth).send({ active: false }));
    await ds.query(
      'UPDATE organizer SET last_tested_at = NULL, connection_status = ? WHERE account_id = ?',
      ['unknown', a.id],
    );
    const res = await testConnection(a.auth);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { organizerId: one.id, email: orgs[0].email, ok: true, deactivated: false, error: null },
      { organizerId: two.id, email: orgs[1].email, ok: true, deactivated: false, error: null },
    ]);
    for (const id of [one.id, two.id]) {
      const o = await get(a.auth, id);
      expect(o).toMatchObject({ connectionStatus: 'ok', active: true });
      expect(o.lastTestedAt).not.toBeNull();
    }
    expect((await get(a.auth, off.id)).lastTestedAt).toBeNull();
  });

  it('one removed GoTo account, one bad password, one outage: deactivates exactly the first two', async () => {
    const a = await t.createAccount();
    const [removed, badPassword, outage] = [orgs[3], orgs[4], orgs[5]];
    const r = (await rec(linkOrganizer(t, a, removed, 'personal_access_token'))).body;
    const b = (await rec(linkOrganizer(t, a, badPassword))).body;
    const o = (await rec(linkOrganizer(t, a, outage))).body;

    sim.store.removeOrganizer(removed.organizerKey);
    sim.store.updateOrganizer(badPassword.organizerKey, { password: 'changed-in-goto-1' });
    // Only the organizer whose sign-in succeeds reaches Users/me: the outage hits it alone.
    sim.faults.inject({ type: 'down', path: '^/identity/' });

    const res = await testConnection(a.auth);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.results.map((x: { organizerId: number }) => [x.organizerId, x]));
    expect(res.body.results).toHaveLength(3);
    expect(byId.get(r.id)).toMatchObject({
      ok: false,
      deactivated: true,
      error: expect.stringMatching(/personal access token/),
    });
    expect(byId.get(b.id)).toMatchObject({
      ok: false,
      deactivated: true,
      error: expect.stringMatching(/email or password/),
    });
    expect(byId.get(o.id)).toMatchObject({
      ok: false,
      deactivated: false,
      error: expect.stringMatching(/reach|ECONNRESET|network/i),
    });

    const [rr, bb, oo] = [
      await get(a.auth, r.id),
      await get(a.auth, b.id),
      await get(a.auth, o.id),
    ];
    expect(rr).toMatchObject({
      active: false,
      connectionStatus: 'error',
      deactivatedReason: expect.stringMatching(/personal access token/),
    });
    expect(bb).toMatchObject({
      active: false,
      connectionStatus: 'error',
      deactivatedReason: expect.stringMatching(/email or password/),
    });
    expect(oo).toMatchObject({ active: true, connectionStatus: 'ok', deactivatedReason: null });

    // The outage is over: the third is fine; the deactivated ones are no longer tested.
    sim.faults.clear();
    const again = await testConnection(a.auth);
    expect(again.body.results).toEqual([expect.objectContaining({ organizerId: o.id, ok: true })]);

    // The password is updated here too: same GoTo organizer, active again, a full sync queued.
    const fixed = await rec(
      t
        .http()
        .patch(`/api/v1/organizers/${b.id}`)
        .set(a.auth)
        .send({ password: 'changed-in-goto-1' }),
    );
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      active: true,
      deactivatedReason: null,
      connectionStatus: 'ok',
      lastError: null,
    });
    expect(fixed.body.syncJobId).toEqual(expect.any(Number));
  });

  it('rate limited (429) or 5xx: reported, nobody deactivated', async () => {
    const a = await t.createAccount();
    const x = (await rec(linkOrganizer(t, a, orgs[6]))).body;
    const y = (await rec(linkOrganizer(t, a, orgs[7], 'personal_access_token'))).body;
    sim.faults.inject({ type: 'status', status: 429, path: '^/oauth/token$' });
    const limited = await testConnection(a.auth);
    expect(
      limited.body.results.map((r: { ok: boolean; deactivated: boolean }) => [r.ok, r.deactivated]),
    ).toEqual([
      [false, false],
      [false, false],
    ]);
    expect(limited.body.results[0].error).toMatch(/rate limit/);
    sim.faults.clear();
    sim.faults.inject({ type: 'status', status: 500 });
    const failing = await testConnection(a.auth);
    expect(failing.body.results.every((r: { deactivated: boolean }) => !r.deactivated)).toBe(true);
    for (const id of [x.id, y.id]) expect((await get(a.auth, id)).active).toBe(true);
  });

  it('an account without organizers gets an empty list; another account’s organizers are never tested', async () => {
    const a = await t.createAccount();
    const b = await t.createAccount();
    await rec(linkOrganizer(t, b, orgs[8]));
    const res = await testConnection(a.auth);
    expect(res.body).toEqual({ results: [] });
  });

  it('no password, token or key in any response or log line of this suite', () => {
    const secrets = [
      ...orgs.flatMap((o) => [o.password, o.personalAccessToken]),
      'changed-in-goto-1',
      t.config.credentialsKey!,
      sim.clientSecret,
    ];
    expect(scanner.find(secrets)).toEqual([]);
  });
});
