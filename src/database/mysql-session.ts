import { Logger } from '@nestjs/common';
import * as mysql2 from 'mysql2';
import type { Connection, Pool, PoolOptions } from 'mysql2';
import { DataSource } from 'typeorm';

/**
 * The sql_mode of every MySQL/MariaDB connection of this service, whatever the server's default.
 * TypeORM hands its `?` parameters to mysql2's `query`, which writes them into the SQL text with
 * backslash escapes; under NO_BACKSLASH_ESCAPES (which managed MySQL parameter groups can set)
 * that text means something else — broken JSON in `sync_job`, injection through a registrant's
 * name. ANSI_QUOTES would turn our double-quoted strings into identifiers, PIPES_AS_CONCAT or
 * ORACLE would change what our SQL means. So the session gets the modes the code is written and
 * tested for: strict (a bad value is an error, not a silently clipped one), and nothing else.
 * Valid on MySQL 8 and MariaDB 10.x alike.
 */
export const SESSION_SQL_MODE =
  'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** Server modes that change what this service's SQL means (all removed by SESSION_SQL_MODE). */
const HARMFUL_MODES = new Set([
  'NO_BACKSLASH_ESCAPES',
  'ANSI_QUOTES',
  'PIPES_AS_CONCAT',
  'ANSI',
  'ORACLE',
  'MSSQL',
  'DB2',
  'POSTGRESQL',
  'MAXDB',
  'EMPTY_STRING_IS_NULL',
  'SIMULTANEOUS_ASSIGNMENT',
]);

/** The server-default modes that SESSION_SQL_MODE overrides and that matter to this service. */
export function harmfulModes(sqlMode: string): string[] {
  return sqlMode
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => HARMFUL_MODES.has(m));
}

/** Sets SESSION_SQL_MODE on a new connection before anything else runs on it. */
function pinSession(conn: Connection): void {
  // Commands run in order on a connection, so this runs before whatever the pool hands it out for.
  conn.query(`SET SESSION sql_mode = '${SESSION_SQL_MODE}'`, (err) => {
    // Fail closed: a connection in the server's mode must not run our statements.
    if (err) conn.destroy();
  });
}

/**
 * mysql2 for TypeORM's `driver` option: the same module, except that every pooled connection gets
 * SESSION_SQL_MODE as soon as it is opened — every one, not just the first (TypeORM takes one at
 * start to check the credentials; the pool opens the others later, and reconnects).
 */
export const mysqlDriverWithPinnedSession = {
  ...mysql2,
  createPool(options: PoolOptions): Pool {
    const pool = mysql2.createPool(options);
    pool.on('connection', pinSession);
    return pool;
  },
};

const logger = new Logger('Database');

/** At start: says which of the server's default modes the sessions override (a warning, not an error). */
export async function reportServerSqlMode(conn: {
  query(sql: string): Promise<[unknown, unknown]>;
}): Promise<void> {
  const [rows] = await conn.query('SELECT @@GLOBAL.sql_mode AS mode');
  const mode = String((rows as Array<{ mode: unknown }>)[0]?.mode ?? '');
  const overridden = harmfulModes(mode);
  if (overridden.length > 0)
    logger.warn(
      { serverSqlMode: mode, overridden, sessionSqlMode: SESSION_SQL_MODE },
      'server sql_mode overridden per session',
    );
}

/** At start: the pool's connections really run in SESSION_SQL_MODE (throws otherwise). */
export async function assertSessionSqlMode(ds: DataSource): Promise<void> {
  if (ds.options.type !== 'mysql' && ds.options.type !== 'mariadb') return;
  const [row] = await ds.query('SELECT @@SESSION.sql_mode AS mode');
  const mode = String(row?.mode ?? '');
  const want = SESSION_SQL_MODE.split(',').sort().join(',');
  if (mode.split(',').sort().join(',') !== want)
    throw new Error(`MySQL session sql_mode is '${mode}', expected '${SESSION_SQL_MODE}'`);
}
