import type { ExecuteValues, PoolConnection } from 'mysql2';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { isLockConflict } from '../database/db-errors';

export type SqlFlavor = 'mysql' | 'sqlite';

// SQLite: one query runner for the whole process, so two transactions of concurrent jobs would
// interleave as savepoints of one another. Ours take turns (MySQL uses a pool: no need).
const sqliteTurns = new WeakMap<DataSource, Promise<unknown>>();

/** `(?,?,…)`: `n` placeholders. */
export const placeholders = (n: number): string => `(${Array.from({ length: n }, () => '?')})`;

/**
 * The multi-row insert of `rowCount` rows of `columns` into `table`; on a conflict of `keys`,
 * `update` takes the new values (none: keep the stored row).
 * MariaDB keep-the-row is INSERT IGNORE, not `ON DUPLICATE KEY UPDATE id = id`: assigning the
 * AUTO_INCREMENT column in the update moves the statement's next id past the conflicting row, so a
 * row of ours could be "updated" into a concurrent job's row instead of being inserted (docs/sync.md,
 * Writes). No update clause may assign `id`. The values are validated and clipped before they get
 * here, so IGNORE has no bad data to turn into warnings.
 */
export function upsertStatement(
  flavor: SqlFlavor,
  table: string,
  columns: readonly string[],
  rowCount: number,
  keys: readonly string[],
  update: readonly string[],
): string {
  const tuple = placeholders(columns.length);
  const values = Array.from({ length: rowCount }, () => tuple).join(',');
  const head = `INSERT${flavor === 'mysql' && !update.length ? ' IGNORE' : ''} INTO ${table} (${columns.join(', ')}) VALUES ${values}`;
  if (flavor === 'sqlite')
    return `${head} ON CONFLICT (${keys.join(', ')}) DO ${update.length ? `UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'NOTHING'}`;
  return update.length
    ? `${head} ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`
    : head;
}

/**
 * How many items each statement of a bulk write or IN-list lookup takes: chunks of `chunkSize`,
 * then the rest in power-of-two parts (e.g. 1000 + 128 + 64 + 4 for 1196). Every statement is
 * prepared once per connection and reused (MariaDB: server-side prepared statements; SQLite:
 * better-sqlite3's statements, cached by TypeORM): fixed sizes keep that to about a dozen shapes
 * per statement instead of one per row count, each of which holds memory on the server or in
 * SQLite's native heap.
 */
export function partSizes(total: number, chunkSize: number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0;) {
    const size = left >= chunkSize ? chunkSize : 2 ** Math.floor(Math.log2(left));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * The dialect differences of the participant and subscriber SQL (MariaDB/MySQL vs SQLite):
 * multi-row upserts, DATETIME parameters, statement sizes and transactions. Every value is a bound
 * parameter: MariaDB runs these statements as server-side prepared statements (mysql2 `execute`),
 * SQLite binds through better-sqlite3. Hand-built rather than TypeORM's insert builder, which costs
 * more CPU than the database for 1000-row statements (docs/sync.md, What was measured).
 */
export class ParticipantSqlDialect {
  readonly chunkSize: number;
  readonly flavor: SqlFlavor;

  constructor(readonly ds: DataSource) {
    this.flavor = ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    // SQLite: ≤ 500 rows per statement (expression depth); MariaDB takes a whole webinar at once.
    this.chunkSize = this.flavor === 'sqlite' ? 500 : 1000;
  }

  /**
   * `rows` written with upsertStatement, statement by statement (statementParts). Returns the rows
   * the database reports affected (MariaDB: 1 per insert, 2 per changed update; SQLite: changes).
   */
  async upsert(
    m: EntityManager,
    table: string,
    columns: string[],
    rows: unknown[][],
    keys: string[],
    update: string[],
  ): Promise<number> {
    let affected = 0;
    for (const part of this.statementParts(rows)) {
      const sql = upsertStatement(this.flavor, table, columns, part.length, keys, update);
      const params = part.flat();
      if (this.flavor === 'sqlite') {
        const res = await m.queryRunner!.query(sql, params, true);
        affected += res.affected ?? part.length;
      } else {
        const res = await this.execute<{ affectedRows?: number }>(m, sql, params);
        affected += res.affectedRows ?? part.length;
      }
    }
    return affected;
  }

  /** A statement with `?` parameters: rows of a SELECT, or the driver's result of a write. */
  query<T = unknown>(m: EntityManager | DataSource, sql: string, params: unknown[]): Promise<T> {
    return this.flavor === 'sqlite' ? m.query(sql, params) : this.execute<T>(m, sql, params);
  }

  /** A DATETIME parameter: a Date for mysql2 (connection timezone Z), TypeORM's UTC text for SQLite. */
  dt(d: Date | null): Date | string | null {
    if (d === null) return null;
    return this.flavor === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
  }

  /** `items` cut into the statements' parts (partSizes). */
  statementParts<T>(items: T[]): T[][] {
    const parts: T[][] = [];
    let i = 0;
    for (const size of partSizes(items.length, this.chunkSize)) {
      parts.push(items.slice(i, i + size));
      i += size;
    }
    return parts;
  }

  async inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    // READ COMMITTED: after INSERT IGNORE waited for a concurrent job's subscribers, the re-select
    // must see them (REPEATABLE READ would keep the snapshot of the first SELECT). Every attempt
    // starts from scratch (`work` keeps its state in its own scope).
    if (this.flavor === 'mysql') {
      // Two jobs of one account inserting overlapping subscribers can deadlock: InnoDB rolls one
      // back, which simply runs again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.ds.transaction('READ COMMITTED', work);
        } catch (err) {
          if (attempt >= 5 || !isLockConflict(err)) throw err;
          await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
        }
      }
    }
    const prev = sqliteTurns.get(this.ds) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.ds.transaction(work));
    sqliteTurns.set(this.ds, run);
    return run;
  }

  /**
   * MariaDB/MySQL: `sql` as a server-side prepared statement on the connection of `m`'s transaction
   * (or a pooled one). mysql2 prepares each SQL text once per connection and keeps it; the values
   * travel in the binary protocol, never through escaping. A failure is a QueryFailedError like
   * TypeORM's (so lock conflicts are recognised), without the parameters.
   */
  private async execute<T>(
    m: EntityManager | DataSource,
    sql: string,
    params: unknown[],
  ): Promise<T> {
    const own: QueryRunner | undefined =
      m instanceof DataSource || !m.queryRunner ? this.ds.createQueryRunner() : undefined;
    const runner = own ?? (m as EntityManager).queryRunner!;
    try {
      const conn = (await runner.connect()) as PoolConnection;
      return await new Promise<T>((resolve, reject) =>
        conn.execute(sql, params as ExecuteValues, (err, result) =>
          err ? reject(new QueryFailedError(sql, undefined, err)) : resolve(result as T),
        ),
      );
    } finally {
      if (own) await own.release();
    }
  }
}
