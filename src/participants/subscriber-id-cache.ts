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
 * Subscribers). Least recently used entries go first beyond `capacity` (one Map in use order).
 * The caller adds only ids of committed transactions, and keys by the email the sync asked for
 * (MariaDB's collation may have answered with an accent-folded address's subscriber).
 */
export class SubscriberIdCache {
  // Value: id * 4 + 1 (first name set) + 2 (last name set); ids stay far below 2^51.
  private readonly entries = new Map<string, number>();

  constructor(readonly capacity = SUBSCRIBER_ID_CACHE_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1: ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached subscriber (marked recently used), or undefined. */
  get(accountId: number, email: string): CachedSubscriber | undefined {
    const k = key(accountId, email);
    const v = this.entries.get(k);
    if (v === undefined) return undefined;
    this.entries.delete(k);
    this.entries.set(k, v);
    const flags = v % 4;
    return { id: (v - flags) / 4, hasFirstName: flags % 2 === 1, hasLastName: flags >= 2 };
  }

  /**
   * The subscriber id to use for this person without asking the database: undefined when not
   * cached, or when the subscriber lacks a name the person brings (the database path fills it).
   */
  idFor(accountId: number, p: CachePerson): number | undefined {
    const s = this.get(accountId, p.email);
    if (!s) return undefined;
    if ((!s.hasFirstName && p.firstName !== null) || (!s.hasLastName && p.lastName !== null))
      return undefined;
    return s.id;
  }

  set(accountId: number, email: string, s: CachedSubscriber): void {
    const k = key(accountId, email);
    this.entries.delete(k);
    this.entries.set(k, s.id * 4 + (s.hasFirstName ? 1 : 0) + (s.hasLastName ? 2 : 0));
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every entry of the account (a cached subscriber is gone); returns how many. */
  evictAccount(accountId: number): number {
    const prefix = key(accountId, '');
    let n = 0;
    for (const k of this.entries.keys()) {
      if (k.startsWith(prefix)) {
        this.entries.delete(k);
        n++;
      }
    }
    return n;
  }
}

// The NUL ends the account id: account 1's entries are not a prefix of account 12's.
const key = (accountId: number, email: string): string => `${accountId}\u0000${email}`;
