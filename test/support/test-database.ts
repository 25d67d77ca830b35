import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { DatabaseConfig } from '../../src/config/app-config';
import { resolveDataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/run-migrations';

export const MYSQL_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REQUIRE_MYSQL = process.env.REQUIRE_MYSQL === '1';

export type Dialect = 'sqlite' | 'mysql';

let mysqlReachable: boolean | undefined;
export async function isMysqlAvailable(): Promise<boolean> {
  if (mysqlReachable !== undefined) return mysqlReachable;
  try {
    const c = await createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await c.end();
    mysqlReachable = true;
  } catch (err) {
    if (REQUIRE_MYSQL)
      throw new Error(`REQUIRE_MYSQL=1 but MySQL at ${MYSQL_URL} is unreachable: ${String(err)}`);
    mysqlReachable = false;
  }
  return mysqlReachable;
}

/** The dialects every integration suite runs on: SQLite always, MySQL when reachable (or required). */
export function dialects(): Dialect[] {
  const wanted = (process.env.TEST_DIALECTS ?? 'sqlite,mysql').split(',') as Dialect[];
  return wanted;
}

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

// A fresh, empty database per call: a temp SQLite file, or a new MySQL schema with a unique name,
// so test files (and engineers running suites at once) never share state.
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ws-test-'));
    return {
      config: { type: 'sqlite', path: join(dir, 'test.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `ws_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  return {
    config: { type: 'mysql', url: url.toString() },
    drop: async () => {
      const c = await createConnection({ uri: MYSQL_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** A DataSource on the test database with every migration applied (repository-level tests). */
export async function openMigratedDataSource(db: TestDatabase): Promise<DataSource> {
  const ds = await new DataSource(await resolveDataSourceOptions(db.config)).initialize();
  await runMigrations(ds);
  return ds;
}

/**
 * describe.each over the dialects; a MySQL suite is skipped (with a visible test) when MySQL is not
 * reachable, and fails when REQUIRE_MYSQL=1.
 */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of dialects()) {
    describe(`${name} [${dialect}]`, () => {
      if (dialect === 'mysql' && !REQUIRE_MYSQL && process.env.MYSQL_AVAILABLE === '0') {
        it.skip('MySQL not reachable', () => undefined);
        return;
      }
      fn(dialect);
    });
  }
}
