import { DataSource, EntityManager } from 'typeorm';
import { isLockConflict } from '../database/db-errors';

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
   * Multi-row insert; on a conflict of `keys`, `update` takes the new values (none: keep the row).
   * MariaDB keep-the-row is INSERT IGNORE, not `ON DUPLICATE KEY UPDATE id = id`: assigning the
   * AUTO_INCREMENT column in the update moves the statement's next id past the conflicting row, so
   * when that row was a concurrent job's (ids above ours) the next row took the id of that job's
   * next row, hit the PRIMARY KEY and was "updated" into it — silently not inserted (the
   * 20-round concurrency test of participants-repository.int-spec). No update clause may assign
   * `id`. The values are validated and clipped before they get here, so IGNORE has no bad data to
   * turn into warnings.
   */
  upsertSql(
    table: string,
    columns: string[],
    rows: number,
    keys: string[],
    update: string[],
  ): string {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(',')}`;
    if (this.sqlite) {
      const set = update.map((c) => `${c} = excluded.${c}`).join(', ');
      return `${head} ON CONFLICT (${keys.join(', ')}) DO ${update.length ? `UPDATE SET ${set}` : 'NOTHING'}`;
    }
    if (!update.length) return head.replace('INSERT INTO', 'INSERT IGNORE INTO');
    return `${head} ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`;
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
