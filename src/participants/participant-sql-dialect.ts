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
 * The number of rows (or IN-list values) a statement for `n` of them is written for: the next
 * power of two, at most `chunkSize` (1, 2, 4, … 512, then the chunk size). Each statement is prepared
 * once per connection and reused (MariaDB: server-side prepared statements; SQLite: better-sqlite3's
 * statements, cached by TypeORM), so a fixed set of sizes keeps that to about a dozen shapes per
 * statement instead of one per row count; each holds memory on the server or in SQLite's native
 * heap. The part is filled up to that size by repeating its last item (`padded`), which is one
 * statement instead of one per power of two in `n` (docs/sync.md, What was measured).
 */
export function statementSize(n: number, chunkSize: number): number {
  return n >= chunkSize
    ? chunkSize
    : Math.min(chunkSize, 2 ** Math.ceil(Math.log2(Math.max(1, n))));
}

/**
 * The statement sizes (statementSize's shapes) a write of `n ≤ chunkSize` rows takes: one statement
 * when padding adds at most an eighth or 16 rows, otherwise the largest power of two below `n` exactly and the
 * rest padded (190 rows: 128 + 64 with 2 copies instead of 256 with 66). A padded row is not free
 * on MariaDB: each copy is a duplicate-key insert that InnoDB undoes and turns into a no-op update,
 * and it encodes and sends a full row; a second statement costs one round trip (docs/sync.md).
 */
export function writeSizes(n: number, chunkSize: number): number[] {
  const one = statementSize(n, chunkSize);
  if (one - n <= Math.max(16, n / 8)) return [one];
  const whole = 2 ** Math.floor(Math.log2(n));
  return [whole, statementSize(n - whole, chunkSize)];
}

/**
 * `items` filled up to `size` with copies of the last one. Only for statements where a repeated
 * row or value changes nothing: IN lists, INSERT IGNORE / ON CONFLICT DO NOTHING (the copy is a
 * duplicate and ignored, so the inserted count stays exact) and upserts whose update writes the
 * copy's identical values onto the row its first instance wrote.
 */
export function padded<T>(items: readonly T[], size: number): T[] {
  const out = items.slice();
  while (out.length < size) out.push(items[items.length - 1]);
  return out;
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
  /** upsertStatement's text per shape (a few dozen: fixed sizes, fixed tables). */
  private readonly statements = new Map<string, string>();

  constructor(readonly ds: DataSource) {
    this.flavor = ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    // SQLite: ≤ 500 rows per statement (expression depth); MariaDB takes a whole webinar at once.
    this.chunkSize = this.flavor === 'sqlite' ? 500 : 1000;
  }

  /**
   * `rows` inserted, or on a conflict of `keys` the `update` columns set to the new values; one
   * statement per chunk. Counts nothing: padded rows (statementSize) would be counted as updates.
   */
  async upsert(
    m: EntityManager,
    table: string,
    columns: string[],
    rows: unknown[][],
    keys: string[],
    update: string[],
  ): Promise<void> {
    if (update.length === 0) throw new Error('upsert needs columns to update (insertMissing)');
    await this.write(m, table, columns, rows, keys, update);
  }

  /** `rows` inserted unless `keys` conflict (the stored row is kept). Returns the rows inserted. */
  insertMissing(
    m: EntityManager,
    table: string,
    columns: string[],
    rows: unknown[][],
    keys: string[],
  ): Promise<number> {
    return this.write(m, table, columns, rows, keys, []);
  }

  /** `SQL IN` list for `values`: `(?,…)` of their statementSize and the values padded to it. */
  inList<T>(values: readonly T[]): { list: string; params: T[] } {
    const size = statementSize(values.length, this.chunkSize);
    return { list: placeholders(size), params: padded(values, size) };
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

  /** `items` in parts of at most `chunkSize`, one statement each. */
  statementParts<T>(items: T[]): T[][] {
    const parts: T[][] = [];
    for (let i = 0; i < items.length; i += this.chunkSize)
      parts.push(items.slice(i, i + this.chunkSize));
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

  private async write(
    m: EntityManager,
    table: string,
    columns: string[],
    rows: unknown[][],
    keys: string[],
    update: string[],
  ): Promise<number> {
    let affected = 0;
    for (const chunk of this.statementParts(rows)) {
      let from = 0;
      for (const size of writeSizes(chunk.length, this.chunkSize)) {
        const part = chunk.slice(from, from + size);
        from += part.length;
        // The text of a shape is built once (a 1000-row statement is ~30 kB of placeholders).
        const key = `${table}|${columns}|${size}|${keys}|${update}`;
        let sql = this.statements.get(key);
        if (sql === undefined) {
          sql = upsertStatement(this.flavor, table, columns, size, keys, update);
          this.statements.set(key, sql);
        }
        const params = flatten(padded(part, size));
        if (this.flavor === 'sqlite')
          affected += (await m.queryRunner!.query(sql, params, true)).affected ?? 0;
        else
          affected += (await this.execute<{ affectedRows: number }>(m, sql, params)).affectedRows;
      }
    }
    return affected;
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

/** rows.flat() without its cost (V8's generic flat: ~1 ms per 1000 rows of 12 values). */
function flatten(rows: unknown[][]): unknown[] {
  const out: unknown[] = [];
  for (const row of rows) for (const v of row) out.push(v);
  return out;
}
