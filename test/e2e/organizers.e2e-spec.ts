import { DataSource } from 'typeorm';
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import {
  linkOrganizer,
  SecretScanner,
  setUpOrganizerSuite,
} from '../support/factories/organizer.factory';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

describeEachDialect('organizers', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let orgs: OrganizerInfo[];
  const scanner = new SecretScanner();
  // Each test takes organizers nobody else changes in the simulator.
  let nextOrg = 0;
  const takeOrg = () => orgs[nextOrg++];
  const rec = async <T extends { text?: string; headers?: Record<string, unknown> }>(
    p: PromiseLike<T>,
  ): Promise<T> => scanner.record(await p);

  const suite = setUpOrganizerSuite(dialect, 16, scanner);
  beforeAll(() => ({ sim, t, ds, orgs } = suite));
  afterEach(() => {
    sim.faults.clear();
    sim.store.updateSettings({ passwordGrant: true });
  });

  const rawRow = async (id: number) =>
    (await ds.query('SELECT * FROM organizer WHERE id = ?', [id]))[0];
  const jobOf = async (id: number) =>
    (await ds.query('SELECT * FROM sync_job WHERE id = ?', [id]))[0];
  const countOrganizers = async (accountId: number) =>
    Number(
      (await ds.query('SELECT COUNT(*) AS n FROM organizer WHERE account_id = ?', [accountId]))[0]
        .n,
    );

  describe('POST /organizers', () => {
    it('links by email + password: stored active, credentials encrypted, complete sync queued', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const res = await rec(linkOrganizer(t, a, org, 'password'));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: org.email,
        authMethod: 'password',
        active: true,
        hasCredentials: true,
        organizerKey: org.organizerKey,
        connectionStatus: 'ok',
        deactivatedReason: null,
        lastSyncedAt: null,
        lastError: null,
      });
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'id',
          'email',
          'authMethod',
          'active',
          'hasCredentials',
          'organizerKey',
          'connectionStatus',
          'deactivatedReason',
          'lastTestedAt',
          'lastSyncedAt',
          'lastError',
          'realTimeUpdates',
          'createdAt',
          'initialSyncJobId',
        ].sort(),
      );
      const row = await rawRow(res.body.id);
      expect(row.credentials_encrypted).toMatch(/^v2:/);
      expect(row.credentials_encrypted).not.toContain(org.password);
      expect(row.credentials_encrypted).not.toContain(org.email);
      expect(row.organizer_key).toBe(org.organizerKey);
      expect(typeof res.body.initialSyncJobId).toBe('number');
      const job = await jobOf(res.body.initialSyncJobId);
      expect(job).toMatchObject({ type: 'organizer_full_sync', status: 'queued' });
      expect(Number(job.organizer_id)).toBe(res.body.id);
      expect(Number(job.account_id)).toBe(a.id);
    });

    it('links by personal access token', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const res = await rec(linkOrganizer(t, a, org, 'personal_access_token'));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        authMethod: 'personal_access_token',
        active: true,
        organizerKey: org.organizerKey,
      });
      const row = await rawRow(res.body.id);
      expect(row.credentials_encrypted).not.toContain(org.personalAccessToken);
      expect(await jobOf(res.body.initialSyncJobId)).toMatchObject({
        type: 'organizer_full_sync',
        status: 'queued',
      });
    });

    it('a fresh IV per value: the same credentials encrypt differently', async () => {
      const a = await t.createAccount();
      const b = await t.createAccount();
      const org = takeOrg();
      const r1 = await rec(linkOrganizer(t, a, org));
      const r2 = await rec(linkOrganizer(t, b, org));
      expect((await rawRow(r1.body.id)).credentials_encrypted).not.toBe(
        (await rawRow(r2.body.id)).credentials_encrypted,
      );
    });

    it('wrong password → 422 naming the field, nothing stored', async () => {
      const a = await t.createAccount();
      const org = orgs[0];
      const res = await rec(
        t
          .http()
          .post('/api/v1/organizers')
          .set(a.auth)
          .send({ email: org.email, password: 'not-the-password' }),
      );
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('GOTO_CREDENTIALS_REJECTED');
      expect(res.body.message).toMatch(/rejected the email or password/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
      expect(await countOrganizers(a.id)).toBe(0);
    });

    it('wrong personal access token → 422, nothing stored', async () => {
      const a = await t.createAccount();
      const res = await rec(
        t
          .http()
          .post('/api/v1/organizers')
          .set(a.auth)
          .send({ email: 'x@example.com', personalAccessToken: 'pat-nope' }),
      );
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('personalAccessToken');
      expect(await countOrganizers(a.id)).toBe(0);
    });

    it('GoTo down (5xx or connection reset) → 503, nothing stored', async () => {
      const a = await t.createAccount();
      const org = orgs[0];
      sim.faults.inject({ type: 'status', status: 503, path: '^/oauth/token$' });
      const r1 = await rec(linkOrganizer(t, a, org));
      expect(r1.status).toBe(503);
      expect(r1.body.message).toMatch(/could not be reached/);
      sim.faults.clear();
      sim.faults.inject({ type: 'down', path: '^/identity/' });
      const r2 = await rec(linkOrganizer(t, a, org));
      expect(r2.status).toBe(503);
      expect(await countOrganizers(a.id)).toBe(0);
    });

    it('GoTo answering garbage → 502, nothing stored', async () => {
      const a = await t.createAccount();
      sim.faults.inject({ type: 'malformed-json', path: '^/identity/' });
      const res = await rec(linkOrganizer(t, a, orgs[0]));
      expect(res.status).toBe(502);
      expect(await countOrganizers(a.id)).toBe(0);
    });

    it('password grant not enabled for the OAuth client → 422 with the plain message', async () => {
      const a = await t.createAccount();
      sim.store.updateSettings({ passwordGrant: false });
      const res = await rec(linkOrganizer(t, a, orgs[0]));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('GOTO_GRANT_NOT_ALLOWED');
      expect(res.body.message).toMatch(/may not use email \+ password/);
      expect(res.body.message).toMatch(/personal access token/);
      expect(await countOrganizers(a.id)).toBe(0);
      // A PAT still works with the password grant off.
      expect((await rec(linkOrganizer(t, a, orgs[0], 'personal_access_token'))).status).toBe(201);
    });

    it('the same GoTo organizer twice in one account → 409 naming the existing organizer', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const first = await rec(linkOrganizer(t, a, org, 'password'));
      const again = await rec(linkOrganizer(t, a, org, 'personal_access_token'));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ORGANIZER_EXISTS');
      expect(again.body.message).toContain(`organizer ${first.body.id}`);
      expect(await countOrganizers(a.id)).toBe(1);
    });

    it('the same GoTo organizer posted twice at once → one 201, one 409', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const both = await Promise.all([
        rec(linkOrganizer(t, a, org)),
        rec(linkOrganizer(t, a, org, 'personal_access_token')),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await countOrganizers(a.id)).toBe(1);
    });

    it('two accounts may link the same GoTo organizer', async () => {
      const org = takeOrg();
      const a = await t.createAccount();
      const b = await t.createAccount();
      const ra = await rec(linkOrganizer(t, a, org));
      const rb = await rec(linkOrganizer(t, b, org));
      expect([ra.status, rb.status]).toEqual([201, 201]);
      expect(ra.body.id).not.toBe(rb.body.id);
      expect(ra.body.organizerKey).toBe(rb.body.organizerKey);
    });

    it.each([
      [{ email: 'not-an-email', password: 'x' }, 'email'],
      [{ email: 'a@example.com', password: '' }, 'password'],
      [{ email: 'a@example.com', personalAccessToken: '' }, 'personalAccessToken'],
      [{ email: 'a@example.com' }, 'password'],
      [{ email: 'a@example.com', password: 'x', personalAccessToken: 'y' }, 'personalAccessToken'],
      [{ email: 'a@example.com', password: 'x', color: 'red' }, 'color'],
      [{ password: 'x' }, 'email'],
    ])('validation: %j → 400 naming %s', async (body, field) => {
      const a = await t.createAccount();
      const res = await rec(t.http().post('/api/v1/organizers').set(a.auth).send(body));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countOrganizers(a.id)).toBe(0);
    });
  });

  describe('GET /organizers', () => {
    it('lists the account’s organizers only, paginated, never a secret', async () => {
      const a = await t.createAccount();
      const b = await t.createAccount();
      const org = takeOrg();
      await rec(linkOrganizer(t, a, org));
      await rec(linkOrganizer(t, b, takeOrg()));
      const res = await rec(t.http().get('/api/v1/organizers').set(a.auth));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 1 });
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0].email).toBe(org.email);
      expect(res.text).not.toContain(org.password);
      expect(res.text).not.toMatch(
        /credentialsEncrypted|refreshToken|personalAccessToken|"password":/,
      );
      expect((await rec(t.http().get('/api/v1/organizers?pageSize=500').set(a.auth))).status).toBe(
        400,
      );
    });
  });

  describe('PATCH /organizers/:id', () => {
    it('email changed in GoTo, then here: same organizer key, stays active, full sync queued', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const created = await rec(linkOrganizer(t, a, org));
      const before = await rawRow(created.body.id);
      const newEmail = `renamed-${org.email}`;
      sim.store.updateOrganizer(org.organizerKey, { email: newEmail });
      const res = await rec(
        t
          .http()
          .patch(`/api/v1/organizers/${created.body.id}`)
          .set(a.auth)
          .send({ email: newEmail }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: created.body.id,
        email: newEmail,
        active: true,
        organizerKey: org.organizerKey,
        connectionStatus: 'ok',
      });
      expect(typeof res.body.syncJobId).toBe('number');
      expect(await jobOf(res.body.syncJobId)).toMatchObject({ type: 'organizer_full_sync' });
      expect((await rawRow(created.body.id)).credentials_encrypted).not.toBe(
        before.credentials_encrypted,
      );
    });

    it('new password of the same organizer: stays active, sync queued', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const created = await rec(linkOrganizer(t, a, org));
      sim.store.updateOrganizer(org.organizerKey, { password: 'brand-new-password-1' });
      const res = await rec(
        t
          .http()
          .patch(`/api/v1/organizers/${created.body.id}`)
          .set(a.auth)
          .send({ email: org.email, password: 'brand-new-password-1' }),
      );
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(true);
      expect(res.body.syncJobId).toEqual(expect.any(Number));
    });

    it('switching to a personal access token of the same organizer', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const created = await rec(linkOrganizer(t, a, org));
      const res = await rec(
        t
          .http()
          .patch(`/api/v1/organizers/${created.body.id}`)
          .set(a.auth)
          .send({ personalAccessToken: org.personalAccessToken }),
      );
      expect(res.status).toBe(200);
      expect(res.body.authMethod).toBe('personal_access_token');
    });

    it('credentials of a different GoTo organizer → 409, nothing changed', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const other = orgs[orgs.length - 1];
      const created = await rec(linkOrganizer(t, a, org));
      const before = await rawRow(created.body.id);
      const res = await rec(
        t
          .http()
          .patch(`/api/v1/organizers/${created.body.id}`)
          .set(a.auth)
          .send({ email: other.email, password: other.password }),
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ORGANIZER_MISMATCH');
      expect(res.body.message).toMatch(/add it as a new organizer/);
      const after = await rawRow(created.body.id);
      expect(after.credentials_encrypted).toBe(before.credentials_encrypted);
      expect(after.email).toBe(org.email);
    });

    it('rejected new credentials → 422, stored credentials untouched', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const created = await rec(linkOrganizer(t, a, org));
      const before = await rawRow(created.body.id);
      const res = await rec(
        t
          .http()
          .patch(`/api/v1/organizers/${created.body.id}`)
          .set(a.auth)
          .send({ password: 'wrong-one' }),
      );
      expect(res.status).toBe(422);
      expect((await rawRow(created.body.id)).credentials_encrypted).toBe(
        before.credentials_encrypted,
      );
    });

    it('deactivate keeps the organizer (no sync); reactivate queues a sync at once', async () => {
      const a = await t.createAccount();
      const org = takeOrg();
      const created = await rec(linkOrganizer(t, a, org));
      const off = await rec(
        t.http().patch(`/api/v1/organizers/${created.body.id}`).set(a.auth).send({ active: false }),
      );
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({
        active: false,
        deactivatedReason: 'Deactivated by a user',
        syncJobId: null,
      });
      const list = await rec(t.http().get('/api/v1/organizers').set(a.auth));
      expect(list.body.items.map((o: { id: number }) => o.id)).toContain(created.body.id);
      // The initial job may still be queued (dedupe returns it); finish it so the reactivation's job is new.
      await ds.query("UPDATE sync_job SET status = 'succeeded', active_key = NULL WHERE id = ?", [
        created.body.initialSyncJobId,
      ]);
      const on = await rec(
        t.http().patch(`/api/v1/organizers/${created.body.id}`).set(a.auth).send({ active: true }),
      );
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ active: true, deactivatedReason: null });
      expect(on.body.syncJobId).toEqual(expect.any(Number));
      expect(on.body.syncJobId).not.toBe(created.body.initialSyncJobId);
      const job = await jobOf(on.body.syncJobId);
      expect(job).toMatchObject({ type: 'organizer_full_sync', status: 'queued' });
      expect(Number(job.priority)).toBe(50);
    });

    it.each([
      [{ email: 'nope' }, 'email'],
      [{ password: '' }, 'password'],
      [{ active: 'yes' }, 'active'],
      [{ active: null }, 'active'],
      [{ organizerKey: '1' }, 'organizerKey'],
    ])('validation: %j → 400 naming %s', async (body, field) => {
      const a = await t.createAccount();
      const created = await rec(linkOrganizer(t, a, orgs[1]));
      const res = await rec(
        t.http().patch(`/api/v1/organizers/${created.body.id}`).set(a.auth).send(body),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('DELETE /organizers/:id', () => {
    it('405: organizers are deactivated, not deleted', async () => {
      const a = await t.createAccount();
      const created = await rec(linkOrganizer(t, a, orgs[1]));
      const res = await rec(t.http().delete(`/api/v1/organizers/${created.body.id}`).set(a.auth));
      expect(res.status).toBe(405);
      expect(res.body.message).toMatch(/deactivated, not deleted/);
      expect(await countOrganizers(a.id)).toBe(1);
    });
  });

  describe('another account’s organizer', () => {
    it('answers 404 on every route', async () => {
      const owner = await t.createAccount();
      const intruder = await t.createAccount();
      const created = await rec(linkOrganizer(t, owner, orgs[1]));
      const id = created.body.id;
      const calls = [
        t.http().get(`/api/v1/organizers/${id}`).set(intruder.auth),
        t.http().patch(`/api/v1/organizers/${id}`).set(intruder.auth).send({ active: false }),
        t
          .http()
          .patch(`/api/v1/organizers/${id}`)
          .set(intruder.auth)
          .send({ email: orgs[1].email, password: orgs[1].password }),
        t.http().delete(`/api/v1/organizers/${id}`).set(intruder.auth),
      ];
      for (const call of calls) {
        const res = await rec(call);
        expect(res.status).toBe(404);
      }
      expect((await rec(t.http().get('/api/v1/organizers/999999').set(owner.auth))).status).toBe(
        404,
      );
      expect((await rec(t.http().get('/api/v1/organizers/abc').set(owner.auth))).status).toBe(400);
      expect((await rawRow(id)).active).toBeTruthy();
    });

    it('needs an API key', async () => {
      expect((await rec(t.http().get('/api/v1/organizers'))).status).toBe(401);
      expect(
        (
          await rec(
            t.http().post('/api/v1/organizers').send({ email: 'a@example.com', password: 'x' }),
          )
        ).status,
      ).toBe(401);
    });
  });

  it('no password, token, key or credentials envelope in any response, log line or metric of this suite', async () => {
    const metrics = await rec(t.http().get('/metrics'));
    expect(metrics.text).toMatch(/goto_requests_total/);
    const secrets = [
      ...orgs.flatMap((o) => [o.password, o.personalAccessToken]),
      'brand-new-password-1',
      'not-the-password',
      'wrong-one',
      t.config.credentialsKey!,
      sim.clientSecret,
    ];
    expect(scanner.count).toBeGreaterThan(50);
    expect(scanner.find(secrets)).toEqual([]);
  });
});
