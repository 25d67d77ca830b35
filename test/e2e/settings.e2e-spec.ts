import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

describeEachDialect('webinar integration settings and target group folders', (dialect) => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ds = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());

  const settings = (auth: { Authorization: string }) =>
    t.http().get('/api/v1/webinar-integration/settings').set(auth);
  const put = (auth: { Authorization: string }, body: unknown) =>
    t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(auth)
      .send(body as object);
  const folders = (auth: { Authorization: string }) =>
    t.http().get('/api/v1/target-group-folders').set(auth);
  const newFolder = (auth: { Authorization: string }, name: unknown) =>
    t.http().post('/api/v1/target-group-folders').set(auth).send({ name });

  describe('GET/PUT /webinar-integration/settings', () => {
    it('a fresh account gets defaults on first read: active, America/New_York, the default "Webinars" folder', async () => {
      const a = await t.createAccount();
      const res = await settings(a.auth).expect(200);
      expect(res.body).toEqual({
        active: true,
        targetGroupFolderId: expect.any(Number),
        displayedTimeZone: 'America/New_York',
        realTimeUpdates: true,
        engagementMinutes: null,
      });
      const list = await folders(a.auth).expect(200);
      expect(list.body).toMatchObject({ page: 1, pageSize: 50, total: 1 });
      expect(list.body.items[0]).toMatchObject({
        id: res.body.targetGroupFolderId,
        name: 'Webinars',
        isDefault: true,
      });
      // Reading again changes nothing.
      expect((await settings(a.auth).expect(200)).body).toEqual(res.body);
      const rows = await ds.query(
        'SELECT COUNT(*) AS n FROM target_group_folder WHERE account_id = ?',
        [a.id],
      );
      expect(Number(rows[0].n)).toBe(1);
    });

    it('concurrent first reads create one settings row and one default folder', async () => {
      const a = await t.createAccount();
      const all = await Promise.all(Array.from({ length: 5 }, () => settings(a.auth)));
      expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(all.map((r) => r.body.targetGroupFolderId)).size).toBe(1);
      const n = async (table: string) =>
        Number(
          (await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ?`, [a.id]))[0].n,
        );
      expect(await n('webinar_integration_settings')).toBe(1);
      expect(await n('target_group_folder')).toBe(1);
    });

    it('PUT is a partial update', async () => {
      const a = await t.createAccount();
      const before = (await settings(a.auth)).body;
      const zone = await put(a.auth, { displayedTimeZone: 'Europe/Berlin' }).expect(200);
      expect(zone.body).toEqual({ ...before, displayedTimeZone: 'Europe/Berlin' });
      const off = await put(a.auth, { active: false }).expect(200);
      expect(off.body).toEqual({ ...before, displayedTimeZone: 'Europe/Berlin', active: false });
      const folder = (await newFolder(a.auth, 'Customer webinars').expect(201)).body;
      const moved = await put(a.auth, { targetGroupFolderId: folder.id }).expect(200);
      expect(moved.body).toEqual({
        active: false,
        targetGroupFolderId: folder.id,
        displayedTimeZone: 'Europe/Berlin',
        realTimeUpdates: true,
        engagementMinutes: null,
      });
      expect((await settings(a.auth)).body).toEqual(moved.body);
      expect((await put(a.auth, {}).expect(200)).body).toEqual(moved.body);
    });

    it('a folder of another account (or none) → 422 naming targetGroupFolderId, nothing changed', async () => {
      const a = await t.createAccount();
      const b = await t.createAccount();
      const before = (await settings(a.auth)).body;
      const foreign = (await newFolder(b.auth, 'Theirs').expect(201)).body;
      for (const id of [foreign.id, 987654]) {
        const res = await put(a.auth, {
          targetGroupFolderId: id,
          displayedTimeZone: 'Asia/Tokyo',
        }).expect(422);
        expect(res.body.errors).toEqual([
          expect.objectContaining({ field: 'targetGroupFolderId' }),
        ]);
      }
      expect((await settings(a.auth)).body).toEqual(before);
    });

    it.each([
      [{ displayedTimeZone: 'Mars/Olympus_Mons' }, 'displayedTimeZone'],
      [{ displayedTimeZone: 'UTC+2' }, 'displayedTimeZone'],
      [{ displayedTimeZone: '' }, 'displayedTimeZone'],
      [{ displayedTimeZone: null }, 'displayedTimeZone'],
      [{ active: 'yes' }, 'active'],
      [{ active: null }, 'active'],
      [{ targetGroupFolderId: 'abc' }, 'targetGroupFolderId'],
      [{ targetGroupFolderId: 1.5 }, 'targetGroupFolderId'],
      [{ timezone: 'Europe/Berlin' }, 'timezone'],
    ])('validation: %j → 400 naming %s', async (body, field) => {
      const a = await t.createAccount();
      const res = await put(a.auth, body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('accepts any IANA zone (e.g. America/Argentina/Buenos_Aires, UTC)', async () => {
      const a = await t.createAccount();
      for (const zone of [
        'America/Argentina/Buenos_Aires',
        'UTC',
        'Etc/GMT+5',
        'Australia/Lord_Howe',
      ]) {
        expect(
          (await put(a.auth, { displayedTimeZone: zone }).expect(200)).body.displayedTimeZone,
        ).toBe(zone);
      }
    });

    it('needs an API key; each account sees its own settings', async () => {
      await t.http().get('/api/v1/webinar-integration/settings').expect(401);
      const a = await t.createAccount();
      const b = await t.createAccount();
      await put(a.auth, { active: false }).expect(200);
      expect((await settings(b.auth)).body.active).toBe(true);
    });
  });

  describe('GET/POST /target-group-folders', () => {
    it('creates a folder; the account lists it with the default one, other accounts do not', async () => {
      const a = await t.createAccount();
      const b = await t.createAccount();
      const created = await newFolder(a.auth, '  Partner events  ').expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(Number),
        name: 'Partner events',
        isDefault: false,
      });
      const names = (await folders(a.auth)).body.items.map((f: { name: string }) => f.name);
      expect(names).toEqual(['Partner events', 'Webinars']);
      expect((await folders(b.auth)).body.items.map((f: { name: string }) => f.name)).toEqual([
        'Webinars',
      ]);
    });

    it('a duplicate name (any case) → 409', async () => {
      const a = await t.createAccount();
      await newFolder(a.auth, 'Events').expect(201);
      const dup = await newFolder(a.auth, 'events').expect(409);
      expect(dup.body.code).toBe('FOLDER_EXISTS');
      await newFolder(a.auth, 'Webinars').expect(409);
      // Another account may use the same name.
      const b = await t.createAccount();
      await newFolder(b.auth, 'Events').expect(201);
    });

    it.each([[''], ['   '], [null], [42], ['x'.repeat(201)]])(
      'a bad name (%j) → 400 naming name',
      async (name) => {
        const a = await t.createAccount();
        const res = await newFolder(a.auth, name).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('name');
      },
    );

    it('an unknown property → 400 naming it; pageSize out of range → 400', async () => {
      const a = await t.createAccount();
      const res = await t
        .http()
        .post('/api/v1/target-group-folders')
        .set(a.auth)
        .send({ name: 'A', parentId: 1 })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('parentId');
      const page = await t
        .http()
        .get('/api/v1/target-group-folders?pageSize=0')
        .set(a.auth)
        .expect(400);
      expect(page.body.errors[0].field).toBe('pageSize');
    });
  });
});
