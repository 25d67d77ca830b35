/** A subscriber as the participant sync last committed it: its id and whether its names are set. */
export interface CachedSubscriber {
  id: number;
  hasFirstName: boolean;
  hasLastName: boolean;
}

/** What the cache needs of a person: the normalized email and the names this sync brings. */
export interface CachePerson {
  email: string;
  firstName: string | null;
  lastName: string | null;
}

export const SUBSCRIBER_ID_CACHE_CAPACITY = 100_000;

/**
 * (account, normalized email) → subscriber id of this process, so a webinar whose people are
 * already subscribers of the account skips the subscriber lookup by email (docs/sync.md,
 * Subscribers). Beyond `capacity` entries, the least recently used entry of the least recently
 * used account goes first: a Map per account in use order, and the accounts in use order. Keyed
 * by the email string itself (no composite key to build and hash per lookup). The caller adds
 * only ids of committed transactions, and keys by the email the sync asked for (MariaDB's
 * collation may have answered with an accent-folded address's subscriber).
 */
export class SubscriberIdCache {
  // Value: id * 4 + 1 (first name set) + 2 (last name set); ids stay far below 2^51.
  private readonly accounts = new Map<number, Map<string, number>>();
  private count = 0;
  private lastAccount: number | undefined;

  constructor(readonly capacity = SUBSCRIBER_ID_CACHE_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1: ${capacity}`);
  }

  get size(): number {
    return this.count;
  }

  /** The cached subscriber (marked recently used), or undefined. */
  get(accountId: number, email: string): CachedSubscriber | undefined {
    const v = this.use(accountId, email);
    if (v === undefined) return undefined;
    const flags = v % 4;
    return { id: (v - flags) / 4, hasFirstName: flags % 2 === 1, hasLastName: flags >= 2 };
  }

  /**
   * The subscriber id to use for this person without asking the database: undefined when not
   * cached, or when the subscriber lacks a name the person brings (the database path fills it).
   */
  idFor(accountId: number, p: CachePerson): number | undefined {
    const v = this.use(accountId, p.email);
    if (v === undefined) return undefined;
    const flags = v % 4;
    if ((flags % 2 === 0 && p.firstName !== null) || (flags < 2 && p.lastName !== null))
      return undefined;
    return (v - flags) / 4;
  }

  set(accountId: number, email: string, s: CachedSubscriber): void {
    const entries = this.account(accountId, true)!;
    if (!entries.delete(email)) this.count++;
    entries.set(email, s.id * 4 + (s.hasFirstName ? 1 : 0) + (s.hasLastName ? 2 : 0));
    if (this.count > this.capacity) this.evictOne();
  }

  /** Forgets every entry of the account (a cached subscriber is gone); returns how many. */
  evictAccount(accountId: number): number {
    const n = this.accounts.get(accountId)?.size ?? 0;
    this.accounts.delete(accountId);
    this.count -= n;
    return n;
  }

  /** The entry's value, marked recently used (entry and account). */
  private use(accountId: number, email: string): number | undefined {
    const entries = this.account(accountId, false);
    const v = entries?.get(email);
    if (v === undefined) return undefined;
    entries!.delete(email);
    entries!.set(email, v);
    return v;
  }

  /** The account's entries, the account marked recently used (created if `create`). */
  private account(accountId: number, create: boolean): Map<string, number> | undefined {
    let entries = this.accounts.get(accountId);
    if (entries) {
      // Move the account to the end only when it is not there already (the usual case).
      if (this.lastAccount !== accountId) {
        this.accounts.delete(accountId);
        this.accounts.set(accountId, entries);
      }
    } else if (create) {
      entries = new Map();
      this.accounts.set(accountId, entries);
    }
    if (entries) this.lastAccount = accountId;
    return entries;
  }

  private evictOne(): void {
    const [accountId, entries] = this.accounts.entries().next().value!;
    entries.delete(entries.keys().next().value!);
    this.count--;
    if (entries.size === 0) this.accounts.delete(accountId);
  }
}
