import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { mysqlDriverWithPinnedSession, reportServerSqlMode } from './mysql-session';

// One description of the database for the app, the migration CLI and the tests.
export function dataSourceOptions(
  db: DatabaseConfig,
  flavor: 'mysql' | 'mariadb' = 'mysql',
): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    // Off: TypeORM's logger prints a failed query with its parameters (personal data, ciphertexts).
    logging: false,
  };
  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      enableWAL: db.path !== ':memory:',
      // Writers wait for each other instead of failing with SQLITE_BUSY.
      prepareDatabase: (conn: { pragma(s: string): unknown }) => {
        conn.pragma('busy_timeout = 10000');
        conn.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: flavor,
    url: db.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    // mysql2, with every pooled connection's sql_mode pinned (mysql-session.ts).
    connectorPackage: 'mysql2',
    driver: mysqlDriverWithPinnedSession,
    // maxPreparedStatements: the participant sync's server-side prepared statements come in a few
    // fixed shapes (participant-sql-dialect.ts); the cap bounds them per connection all the same
    // (mysql2's default is 16,000, the server's max_prepared_stmt_count 16,382 for all clients).
    extra: { connectionLimit: 20, maxPreparedStatements: 200 },
  };
}

// TypeORM reads MariaDB's information_schema differently from MySQL's (e.g. DEFAULT NULL), so it must
// know which server a mysql:// URL points at; we ask the server rather than the user.
export async function resolveDataSourceOptions(db: DatabaseConfig): Promise<DataSourceOptions> {
  if (db.type === 'sqlite') return dataSourceOptions(db);
  const conn = await createConnection({ uri: db.url, connectTimeout: 10000 });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const version = String((rows as Array<{ v: string }>)[0].v);
    await reportServerSqlMode(conn);
    return dataSourceOptions(db, /mariadb/i.test(version) ? 'mariadb' : 'mysql');
  } finally {
    await conn.end();
  }
}
