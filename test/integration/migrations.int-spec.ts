import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '../../src/database/data-source-options';
import { MIGRATIONS } from '../../src/database/migrations';
import { SubscriberEmailBinary1764600000000 } from '../../src/database/migrations/1764600000000-SubscriberEmailBinary';
import { runMigrations } from '../../src/database/run-migrations';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

describeEachDialect('migrations', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await new DataSource(await resolveDataSourceOptions(db.config)).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('migrate up leaves no drift between entities and schema', async () => {
    await runMigrations(ds);
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('seeds the participant statuses (1 Not Attended, 2 Attended)', async () => {
    const rows = await ds.query('SELECT id, name FROM webinar_participant_status ORDER BY id');
    expect(rows.map((r: { id: number | string; name: string }) => [Number(r.id), r.name])).toEqual([
      [1, 'Not Attended'],
      [2, 'Attended'],
    ]);
  });

  it('is idempotent and reverts cleanly down and up again', async () => {
    expect(await ds.showMigrations()).toBe(false);
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration();
    const tables = await ds.createQueryRunner().getTables(['webinar', 'sync_job']);
    expect(tables).toHaveLength(0);
    await runMigrations(ds);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toHaveLength(0);
  });

  it('detects drift when an entity changes without a migration', async () => {
    const meta = ds.getMetadata('webinar');
    const col = meta.findColumnWithPropertyName('subject')!;
    const before = col.length;
    col.length = '777';
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.length).toBeGreaterThan(0);
    } finally {
      col.length = before;
    }
  });

  it('subscriber emails turn binary with their rows kept: jöhn@ and john@ become two', async () => {
    const now = dialect === 'mysql' ? new Date() : '2026-12-01 10:00:00';
    const insert = (email: string) =>
      ds.query('INSERT INTO subscriber (account_id, email, created_at) VALUES (?, ?, ?)', [
        1,
        email,
        now,
      ]);
    // Back to before 1764600000000 (the later migrations are undone first).
    const undo = MIGRATIONS.length - MIGRATIONS.indexOf(SubscriberEmailBinary1764600000000);
    for (let i = 0; i < undo; i++) await ds.undoLastMigration({ transaction: 'each' });
    await insert('john@x.com');
    await insert('straße@x.com');
    if (dialect === 'mysql') {
      // The old collation merged them: the unique key refuses the second address.
      await expect(insert('jöhn@x.com')).rejects.toThrow(/Duplicate entry/);
      await expect(insert('strasse@x.com')).rejects.toThrow(/Duplicate entry/);
    }
    await runMigrations(ds);
    await insert('jöhn@x.com');
    await insert('strasse@x.com');
    const rows = await ds.query('SELECT email FROM subscriber WHERE account_id = 1');
    expect(rows.map((r: { email: string }) => r.email).sort()).toEqual([
      'john@x.com',
      'jöhn@x.com',
      'strasse@x.com',
      'straße@x.com',
    ]);
    expect(
      await ds.query('SELECT email FROM subscriber WHERE account_id = 1 AND email = ?', [
        'JOHN@x.com',
      ]),
    ).toEqual([]);
    if (dialect === 'mysql') {
      const [col] = await ds.query(
        `SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'subscriber' AND COLUMN_NAME = 'email'`,
      );
      expect(['utf8mb4_nopad_bin', 'utf8mb4_0900_bin']).toContain(col.c);
    }
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toHaveLength(0);
  });
});
