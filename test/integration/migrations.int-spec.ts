import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '../../src/database/data-source-options';
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
});
