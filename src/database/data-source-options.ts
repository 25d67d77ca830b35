import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { formatUnlessInlined } from './mysql-literals';

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
    // formatUnlessInlined: mysql2's formatting, minus a scan of statements that carry no values.
    extra: { connectionLimit: 20, queryFormat: formatUnlessInlined },
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
    return dataSourceOptions(db, /mariadb/i.test(version) ? 'mariadb' : 'mysql');
  } finally {
    await conn.end();
  }
}
