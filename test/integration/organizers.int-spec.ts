import { DataSource } from 'typeorm';
import { credentialsContext } from '../../src/organizers/organizer-credentials';
import { CredentialCipher } from '../../src/common/credential-cipher';
import { GotoWebinarClient } from '../../src/goto-webinar/goto-webinar.client';
import { IntegrationSettingsService } from '../../src/integration-settings/integration-settings.service';
import { OrganizersService } from '../../src/organizers/organizers.service';
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import { TargetGroupFoldersService } from '../../src/target-group-folders/target-group-folders.service';
import {
  createOrganizerTestApp,
  linkOrganizer,
  startOrganizerSimulator,
} from '../support/factories/organizer.factory';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// The service API other modules (sync, webinars, target groups) build on, on the real database.
describeEachDialect(
  'OrganizersService / IntegrationSettingsService / TargetGroupFoldersService',
  (dialect) => {
    let sim: RunningSimulator;
    let t: TestApp;
    let ds: DataSource;
    let orgs: OrganizerInfo[];
    let organizers: OrganizersService;
    let settings: IntegrationSettingsService;
    let folders: TargetGroupFoldersService;

    beforeAll(async () => {
      sim = await startOrganizerSimulator(6);
      orgs = sim.store.listOrganizers();
      t = await createOrganizerTestApp(dialect, sim);
      ds = t.app.get(DataSource);
      organizers = t.app.get(OrganizersService);
      settings = t.app.get(IntegrationSettingsService);
      folders = t.app.get(TargetGroupFoldersService);
    });
    afterAll(async () => {
      await t?.close();
      await sim?.close();
    });

    async function linked(
      org: OrganizerInfo,
      method: 'password' | 'personal_access_token' = 'password',
    ) {
      const a = await t.createAccount();
      const res = await linkOrganizer(t, a, org, method);
      expect(res.status).toBe(201);
      return { account: a, organizer: (await organizers.findForAccount(a.id, res.body.id))! };
    }

    it('authFor decrypts the credentials, with the cache key organizer:<id>, and the client can act with it', async () => {
      const { organizer } = await linked(orgs[0]);
      const auth = organizers.authFor(organizer);
      expect(auth.cacheKey).toBe(`organizer:${organizer.id}`);
      expect(auth.credentials).toEqual({
        method: 'password',
        email: orgs[0].email,
        password: orgs[0].password,
      });
      const identity = await t.app.get(GotoWebinarClient).getIdentity(auth);
      expect(identity.organizerKey).toBe(orgs[0].organizerKey);
    });

    it('onRefreshTokenRotated stores the new refresh token, encrypted', async () => {
      const { organizer } = await linked(orgs[1]);
      await ds.query("UPDATE organizer SET auth_method = 'oauth' WHERE id = ?", [organizer.id]);
      const asOauth = (await organizers.findForAccount(organizer.accountId, organizer.id))!;
      await organizers.authFor(asOauth).onRefreshTokenRotated!('rotated-refresh-token-123');
      const raw = (
        await ds.query('SELECT credentials_encrypted FROM organizer WHERE id = ?', [organizer.id])
      )[0].credentials_encrypted;
      expect(raw).not.toContain('rotated-refresh-token-123');
      expect(
        t.app
          .get(CredentialCipher)
          .decryptJson(raw, credentialsContext(organizer.accountId, organizer.organizerKey)),
      ).toEqual({
        method: 'oauth',
        refreshToken: 'rotated-refresh-token-123',
      });
      const reread = (await organizers.findForAccount(organizer.accountId, organizer.id))!;
      expect(organizers.authFor(reread).credentials).toEqual({
        method: 'oauth',
        refreshToken: 'rotated-refresh-token-123',
      });
    });

    it('a credentials ciphertext copied to another organizer row does not decrypt there', async () => {
      const a = (await linked(orgs[0])).organizer;
      const b = (await linked(orgs[2])).organizer;
      const [{ credentials_encrypted: fromA }] = await ds.query(
        'SELECT credentials_encrypted FROM organizer WHERE id = ?',
        [a.id],
      );
      await ds.query('UPDATE organizer SET credentials_encrypted = ? WHERE id = ?', [fromA, b.id]);
      const moved = (await organizers.findForAccount(b.accountId, b.id))!;
      expect(() => organizers.authFor(moved)).toThrow();
      expect(
        organizers.authFor((await organizers.findForAccount(a.accountId, a.id))!),
      ).toBeTruthy();
    });

    it('last_error is redacted like a log line: a GoTo error echoing a token or password', async () => {
      const { organizer } = await linked(orgs[3]);
      await organizers.recordSyncFailure(
        organizer.id,
        'GoTo: invalid_grant {"refresh_token":"rt-LEAK-1"} for password=pw-LEAK-2',
      );
      const lastError = async () =>
        (await ds.query('SELECT last_error FROM organizer WHERE id = ?', [organizer.id]))[0]
          .last_error as string;
      expect(await lastError()).toMatch(/invalid_grant/);
      expect(await lastError()).not.toMatch(/LEAK/);
      await organizers.recordTest(organizer, {
        ok: false,
        deactivate: false,
        error: 'AUTH_INVALID: Bearer at-LEAK-3 refused',
      });
      const row = (
        await ds.query('SELECT last_error FROM organizer WHERE id = ?', [organizer.id])
      )[0];
      expect(row.last_error).toMatch(/AUTH_INVALID/);
      expect(row.last_error).not.toMatch(/LEAK/);
    });

    it('getForSync: allowed only while the organizer and the account’s integration are both active', async () => {
      const { account, organizer } = await linked(orgs[2], 'personal_access_token');
      let r = await organizers.getForSync(organizer.id);
      expect(r).toMatchObject({
        syncAllowed: true,
        organizer: { id: organizer.id, organizerKey: orgs[2].organizerKey },
      });
      expect(r.reason).toBeUndefined();
      expect(r.auth.credentials.method).toBe('personal_access_token');

      await settings.update(account.id, { active: false });
      r = await organizers.getForSync(organizer.id);
      expect(r).toMatchObject({ syncAllowed: false, reason: expect.stringMatching(/integration/) });

      await settings.update(account.id, { active: true });
      await t
        .http()
        .patch(`/api/v1/organizers/${organizer.id}`)
        .set(account.auth)
        .send({ active: false })
        .expect(200);
      r = await organizers.getForSync(organizer.id);
      expect(r).toMatchObject({ syncAllowed: false, reason: expect.stringMatching(/deactivated/) });

      await expect(organizers.getForSync(987654)).rejects.toMatchObject({ kind: 'not_found' });
    });

    it('listActive / findForAccount are scoped to the account', async () => {
      const { account, organizer } = await linked(orgs[3]);
      const other = await t.createAccount();
      expect((await organizers.listActive(account.id)).map((o) => o.id)).toEqual([organizer.id]);
      expect(await organizers.listActive(other.id)).toEqual([]);
      expect(await organizers.findForAccount(other.id, organizer.id)).toBeNull();
      await expect(organizers.getForAccount(other.id, organizer.id)).rejects.toMatchObject({
        kind: 'not_found',
      });
    });

    it('recordSyncSuccess / recordSyncFailure update the bookkeeping and never deactivate', async () => {
      const { account, organizer } = await linked(orgs[4]);
      await organizers.recordSyncFailure(organizer.id, 'GoTo Webinar failed with HTTP 500');
      let o = (await organizers.findForAccount(account.id, organizer.id))!;
      expect(o).toMatchObject({
        active: true,
        connectionStatus: 'error',
        lastError: 'GoTo Webinar failed with HTTP 500',
      });
      const at = new Date('2026-11-29T10:00:00Z');
      await organizers.recordSyncSuccess(organizer.id, at);
      o = (await organizers.findForAccount(account.id, organizer.id))!;
      expect(o).toMatchObject({ active: true, connectionStatus: 'ok', lastError: null });
      expect(o.lastSyncedAt!.getTime()).toBe(at.getTime());
      await organizers.recordSyncFailure(organizer.id, 'x'.repeat(5000));
      expect(
        (await organizers.findForAccount(account.id, organizer.id))!.lastError!.length,
      ).toBeLessThanOrEqual(2000);
    });

    it('IntegrationSettingsService.get creates defaults once; update validates folder and zone', async () => {
      const a = await t.createAccount();
      const b = await t.createAccount();
      const first = await settings.get(a.id);
      const def = await folders.ensureDefault(a.id);
      expect(first).toEqual({
        active: true,
        targetGroupFolderId: def.id,
        displayedTimeZone: 'America/New_York',
        realTimeUpdates: true,
        engagementMinutes: null,
      });
      expect(def.name).toBe('Webinars');
      const foreign = await folders.create(b.id, 'B folder');
      await expect(
        settings.update(a.id, { targetGroupFolderId: foreign.id }),
      ).rejects.toMatchObject({
        kind: 'unprocessable',
        errors: [expect.objectContaining({ field: 'targetGroupFolderId' })],
      });
      await expect(
        settings.update(a.id, { displayedTimeZone: 'Nowhere/Land' }),
      ).rejects.toMatchObject({ kind: 'bad_request' });
      const mine = await folders.create(a.id, 'Mine');
      expect(
        await settings.update(a.id, {
          targetGroupFolderId: mine.id,
          displayedTimeZone: 'Europe/Paris',
        }),
      ).toEqual({
        active: true,
        targetGroupFolderId: mine.id,
        displayedTimeZone: 'Europe/Paris',
        realTimeUpdates: true,
        engagementMinutes: null,
      });
    });

    it('a vanished folder falls back to the default one', async () => {
      const a = await t.createAccount();
      const mine = await folders.create(a.id, 'Temporary');
      await settings.update(a.id, { targetGroupFolderId: mine.id });
      await ds.query('DELETE FROM target_group_folder WHERE id = ?', [mine.id]);
      expect((await settings.get(a.id)).targetGroupFolderId).toBe(
        (await folders.ensureDefault(a.id)).id,
      );
    });

    it('TargetGroupFoldersService: concurrent ensureDefault makes one folder; create refuses duplicates; list includes the default', async () => {
      const a = await t.createAccount();
      const made = await Promise.all(Array.from({ length: 6 }, () => folders.ensureDefault(a.id)));
      expect(new Set(made.map((f) => f.id)).size).toBe(1);
      await folders.create(a.id, 'Alpha');
      await expect(folders.create(a.id, 'ALPHA')).rejects.toMatchObject({ kind: 'conflict' });
      await expect(folders.create(a.id, '  ')).rejects.toMatchObject({ kind: 'bad_request' });
      expect((await folders.list(a.id)).map((f) => f.name)).toEqual(['Alpha', 'Webinars']);
      expect(await folders.findForAccount(a.id, made[0].id)).toMatchObject({ id: made[0].id });
      expect(await folders.findForAccount((await t.createAccount()).id, made[0].id)).toBeNull();
    });
  },
);
