import { EntityManager } from 'typeorm';
import { MergedParticipant } from './merge-participants';
import { ParticipantSqlDialect } from './participant-sql-dialect';
import { CachedSubscriber } from './subscriber-id-cache';

interface SubscriberRow {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

/** Subscriber counts of one chunk's attempt (added to the sync's stats when it commits). */
export interface SubscriberWriteCounts {
  subscribersInserted: number;
  subscribersUpdated: number;
}

const SUBSCRIBER_INSERT_COLUMNS = ['account_id', 'email', 'first_name', 'last_name', 'created_at'];

/**
 * Subscribers by (account, email): found, created with insert-or-nothing (MariaDB `INSERT IGNORE`,
 * SQLite `ON CONFLICT DO NOTHING`) and re-read, so two jobs of one account never create a duplicate
 * nor lose one (docs/sync.md, Writes). Runs inside the caller's chunk transaction.
 */
export class SubscribersRepository {
  constructor(private readonly sql: ParticipantSqlDialect) {}

  /**
   * Subscriber id per email for these participants: found by (account, email), created when
   * missing. Names: the first sync that sees a person sets them; later syncs only fill in a name
   * that is still empty, never overwrite one (no flapping between webinars with other spellings).
   * Per email the subscriber as this transaction leaves it: id and whether its names are set.
   */
  async resolve(
    m: EntityManager,
    accountId: number,
    people: MergedParticipant[],
    stats: SubscriberWriteCounts,
    now: Date,
  ): Promise<Map<string, CachedSubscriber>> {
    const ids = new Map<string, CachedSubscriber>();
    if (people.length === 0) return ids;
    const byEmail = new Map(people.map((p) => [p.email, p]));
    // Sorted: concurrent inserts then take the unique-key locks in the same order.
    const emails = [...byEmail.keys()].sort();
    const found = await this.find(m, accountId, emails);
    const missing = emails.filter((e) => !found.has(e));
    if (missing.length > 0) {
      const rows = missing.map((email) => [
        accountId,
        email,
        byEmail.get(email)!.firstName,
        byEmail.get(email)!.lastName,
        this.sql.dt(now),
      ]);
      // Insert-or-nothing: a concurrent job of the same account may have created the address meanwhile
      // (it then waits for that job's commit; READ COMMITTED lets the re-select below see the row).
      // Structured result: rows really inserted (mysql2 affectedRows, better-sqlite3 changes).
      stats.subscribersInserted += await this.sql.insertMissing(
        m,
        'subscriber',
        SUBSCRIBER_INSERT_COLUMNS,
        rows,
        ['account_id', 'email'],
      );
      for (const [email, row] of await this.find(m, accountId, missing)) found.set(email, row);
      const unresolved = missing.filter((e) => !found.has(e));
      if (unresolved.length > 0)
        throw new Error(
          `Could not resolve ${unresolved.length} subscriber(s), e.g. ${unresolved[0]}`,
        );
    }
    const fill: SubscriberRow[] = [];
    for (const [email, row] of found) {
      const p = byEmail.get(email);
      const firstName = row.firstName ?? p?.firstName ?? null;
      const lastName = row.lastName ?? p?.lastName ?? null;
      ids.set(email, {
        id: row.id,
        hasFirstName: firstName !== null,
        hasLastName: lastName !== null,
      });
      if (!p) continue;
      if (firstName !== row.firstName || lastName !== row.lastName)
        fill.push({ ...row, firstName, lastName });
    }
    if (fill.length > 0) {
      const rows = fill.map((f) => [
        f.id,
        accountId,
        f.email,
        f.firstName,
        f.lastName,
        this.sql.dt(now),
      ]);
      await this.sql.upsert(
        m,
        'subscriber',
        ['id', ...SUBSCRIBER_INSERT_COLUMNS],
        rows,
        ['id'],
        ['first_name', 'last_name'],
      );
      stats.subscribersUpdated += fill.length;
    }
    return ids;
  }

  /**
   * Whether all these subscribers of the account still exist (ids from SubscriberIdCache: this
   * service never deletes a subscriber, the platform might). A lookup by id, about a third of the
   * cost of the lookup by email it replaces (MariaDB: ~3 ms of server CPU per 1000 ids, whether it
   * reads them by primary key or scans the account's index; docs/sync.md).
   */
  async allExist(m: EntityManager, accountId: number, ids: Set<number>): Promise<boolean> {
    let n = 0;
    for (const part of this.sql.statementParts([...ids])) {
      const { list, params } = this.sql.inList(part);
      const [row] = await this.sql.query<Array<{ n: unknown }>>(
        m,
        `SELECT COUNT(*) AS n FROM subscriber WHERE account_id = ? AND id IN ${list}`,
        [accountId, ...params],
      );
      n += Number(row.n);
    }
    return n === ids.size;
  }

  /**
   * The account's subscribers with these emails. Exact matches only: `subscriber.email` compares
   * binary on every database (migration 1764600000000), so `jöhn@` never finds `john@`.
   */
  private async find(
    m: EntityManager,
    accountId: number,
    emails: string[],
  ): Promise<Map<string, SubscriberRow>> {
    const out = new Map<string, SubscriberRow>();
    for (const part of this.sql.statementParts(emails)) {
      const { list, params } = this.sql.inList(part);
      const rows = await this.sql.query<Array<Record<string, unknown>>>(
        m,
        `SELECT id, email, first_name, last_name FROM subscriber WHERE account_id = ? AND email IN ${list}`,
        [accountId, ...params],
      );
      for (const r of rows) {
        const email = String(r.email);
        out.set(email, {
          id: Number(r.id),
          email,
          firstName: (r.first_name as string | null) ?? null,
          lastName: (r.last_name as string | null) ?? null,
        });
      }
    }
    return out;
  }
}
