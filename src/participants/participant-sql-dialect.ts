import { DataSource, EntityManager } from 'typeorm';
import { isLockConflict } from '../database/db-errors';
import { inlineParams, mysqlTuples } from '../database/mysql-literals';

// SQLite: one query runner for the whole process, so two transactions of concurrent jobs would
// interleave as savepoints of one another. Ours take turns (MySQL uses a pool: no need).
const sqliteTurns = new WeakMap<DataSource, Promise<unknown>>();

/**
 * The dialect differences of the participant and subscriber SQL (MariaDB/MySQL vs SQLite):
 * multi-row upserts, DATETIME parameters, statement sizes and transactions. Hand-built: TypeORM's
 * query builder costs more CPU than the database for 1000-row statements.
 */
export class ParticipantSqlDialect {
  readonly chunkSize: number;
  readonly sqlite: boolean;

  constructor(readonly ds: DataSource) {
    this.sqlite = ds.options.type === 'better-sqlite3';
    // SQLite: ≤ 500 rows per statement (expression depth); MariaDB takes a whole webinar at once.
    this.chunkSize = this.sqlite ? 500 : 1000;
  }

  /**
   * Multi-row insert of `rows` (statement by statement); on a conflict of `keys`, `update` takes
   * the new values (none: keep the row). Returns the rows the database reports affected (MariaDB:
   * 1 per insert, 2 per changed update; SQLite: changes).
   * MariaDB keep-the-row is INSERT IGNORE, not `ON DUPLICATE KEY UPDATE id = id`: assigning the
   * AUTO_INCREMENT column in the update moves the statement's next id past the conflicting row, so
   * when that row was a concurrent job's (ids above ours) the next row took the id of that job's
   * next row, hit the PRIMARY KEY and was "updated" into it — silently not inserted (the
   * 20-round concurrency test of participants-repository.int-spec). No update clause may assign
   * `id`. The values are validated and clipped before they get here, so IGNORE has no bad data to
   * turn into warnings. On MariaDB the values are written into the text (mysql-literals.ts).
   */
  async upsert(
    m: EntityManager,
    table: string,
    columns: string[],
    rows: unknown[][],
    keys: string[],
    update: string[],
  ): Promise<number> {
    const insert = `INSERT${!this.sqlite && !update.length ? ' IGNORE' : ''} INTO ${table} (${columns.join(', ')}) VALUES `;
    const onConflict = this.sqlite
      ? ` ON CONFLICT (${keys.join(', ')}) DO ${update.length ? `UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'NOTHING'}`
      : update.length
        ? ` ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`
        : '';
    const tuple = `(${columns.map(() => '?').join(',')})`;
    let affected = 0;
    for (const part of this.statementParts(rows)) {
      const res = this.sqlite
        ? await m.queryRunner!.query(
            `${insert}${Array.from({ length: part.length }, () => tuple).join(',')}${onConflict}`,
            flatten(part),
            true,
          )
        : await m.queryRunner!.query(`${insert}${mysqlTuples(part)}${onConflict}`, undefined, true);
      affected += res.affected ?? part.length;
    }
    return affected;
  }

  /** A statement with `?` parameters (MariaDB: written into the text, mysql-literals.ts). */
  query<T = unknown>(m: EntityManager | DataSource, sql: string, params: unknown[]): Promise<T> {
    return this.sqlite ? m.query(sql, params) : m.query(inlineParams(sql, params));
  }

  /** A DATETIME parameter: a Date for mysql2 (connection timezone Z), TypeORM's UTC text for SQLite. */
  dt(d: Date | null): Date | string | null {
    if (d === null) return null;
    return this.sqlite ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
  }

  /**
   * The statements for `items`: chunks of `chunkSize` on MariaDB. better-sqlite3 prepares (and TypeORM
   * caches, up to 100) a statement per distinct SQL text, each holding native memory outside V8's
   * heap; splitting into a full chunk plus power-of-two tails keeps that to a dozen shapes per
   * query instead of one per row count (measured: 317 MB peak RSS at 1M participants before).
   */
  statementParts<T>(items: T[]): T[][] {
    const parts: T[][] = [];
    let i = 0;
    while (i < items.length) {
      const left = items.length - i;
      const size =
        left >= this.chunkSize || !this.sqlite
          ? Math.min(left, this.chunkSize)
          : 2 ** Math.floor(Math.log2(left));
      parts.push(items.slice(i, i + size));
      i += size;
    }
    return parts;
  }

  async inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    // READ COMMITTED: after INSERT IGNORE waited for a concurrent job's subscribers, the re-select
    // must see them (REPEATABLE READ would keep the snapshot of the first SELECT). Every attempt
    // starts from scratch (`work` keeps its state in its own scope).
    if (!this.sqlite) {
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
}

/** rows.flat() without its cost (V8's flat is about 1 ms per 1000 rows of 12 values). */
function flatten(rows: unknown[][]): unknown[] {
  const out: unknown[] = [];
  for (const row of rows) for (const v of row) out.push(v);
  return out;
}
