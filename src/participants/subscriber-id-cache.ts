import { LRUCache } from 'lru-cache';

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

type Entries = LRUCache<string, CachedSubscriber>;

/**
 * (account, normalized email) → subscriber id of this process, so a webinar whose people are
 * already subscribers of the account skips the subscriber lookup by email (docs/sync.md,
 * Subscribers). Beyond `capacity` entries, the least recently used entry of the least recently
 * used account goes first: an LRU of emails per account, in an LRU of accounts. The caller adds
 * only ids of committed transactions, and keys by the email the sync asked for (MariaDB's
 * collation may have answered with an accent-folded address's subscriber).
 */
export class SubscriberIdCache {
  private readonly accounts: LRUCache<number, Entries>;
  private count = 0;

  constructor(readonly capacity = SUBSCRIBER_ID_CACHE_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1: ${capacity}`);
    // Never full by itself: this class evicts (one over, as `set` adds before it evicts).
    this.accounts = lru(capacity + 1);
  }

  get size(): number {
    return this.count;
  }

  /** The cached subscriber (it and its account marked recently used), or undefined. */
  get(accountId: number, email: string): CachedSubscriber | undefined {
    return this.accounts.get(accountId)?.get(email);
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
    let entries = this.accounts.get(accountId);
    if (!entries) {
      entries = lru(this.capacity + 1);
      this.accounts.set(accountId, entries);
    }
    if (!entries.has(email)) this.count++;
    entries.set(email, { id: s.id, hasFirstName: s.hasFirstName, hasLastName: s.hasLastName });
    if (this.count > this.capacity) this.evictOne();
  }

  /** Forgets every entry of the account (a cached subscriber is gone); returns how many. */
  evictAccount(accountId: number): number {
    const n = this.accounts.peek(accountId)?.size ?? 0;
    this.accounts.delete(accountId);
    this.count -= n;
    return n;
  }

  private evictOne(): void {
    const accountId: number = this.accounts.rkeys().next().value!;
    const entries = this.accounts.peek(accountId)!;
    entries.pop();
    this.count--;
    if (entries.size === 0) this.accounts.delete(accountId);
  }
}

/**
 * An LRU of at most `entries` entries. Bounded by maxSize (one unit an entry) rather than `max`:
 * lru-cache allocates `max` slots up front, which per account would be the whole capacity.
 */
function lru<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(
  entries: number,
): LRUCache<K, V> {
  return new LRUCache<K, V>({ maxSize: entries, sizeCalculation: () => 1 });
}
