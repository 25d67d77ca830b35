import { GotoCallContext } from './goto-call-context';

/**
 * The waiting callers of one budget, in the order they get slots: highest priority first; within a
 * priority, accounts take turns (round robin); within an account, organizers take turns; within an
 * organizer, first come first served. Pure (no clock): the budget asks it who is next when a slot
 * comes up, so a mailing call that arrives late still takes the very next slot.
 */
export class FairQueue<T extends GotoCallContext> {
  // priority -> account -> organizer -> FIFO. Map order is the turn order: a served account
  // (organizer) is moved to the back by deleting and re-inserting it.
  private readonly levels = new Map<number, Map<string, Map<string, T[]>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The highest priority waiting, or undefined when nobody waits. */
  highestPriority(): number | undefined {
    let best: number | undefined;
    for (const p of this.levels.keys()) if (best === undefined || p > best) best = p;
    return best;
  }

  push(item: T): void {
    const accounts = getOrAdd(this.levels, item.priority, () => new Map());
    const organizers = getOrAdd(accounts, keyOf(item.accountId), () => new Map());
    getOrAdd(organizers, keyOf(item.organizerId), (): T[] => []).push(item);
    this.count += 1;
  }

  /** Takes `item` out (an aborted caller); false if it was not waiting. */
  remove(item: T): boolean {
    const accounts = this.levels.get(item.priority);
    const organizers = accounts?.get(keyOf(item.accountId));
    const fifo = organizers?.get(keyOf(item.organizerId));
    const i = fifo ? fifo.indexOf(item) : -1;
    if (i < 0) return false;
    fifo!.splice(i, 1);
    this.count -= 1;
    this.prune(item.priority, keyOf(item.accountId), keyOf(item.organizerId));
    return true;
  }

  /** The next caller to serve (taken out of the queue), or undefined when nobody waits. */
  shift(): T | undefined {
    const priority = this.highestPriority();
    if (priority === undefined) return undefined;
    const accounts = this.levels.get(priority)!;
    const [accountKey, organizers] = accounts.entries().next().value!;
    const [organizerKey, fifo] = organizers.entries().next().value!;
    const item = fifo.shift()!;
    this.count -= 1;
    // Their turn is used: both go to the back of their line (if they still wait).
    organizers.delete(organizerKey);
    if (fifo.length > 0) organizers.set(organizerKey, fifo);
    accounts.delete(accountKey);
    if (organizers.size > 0) accounts.set(accountKey, organizers);
    if (accounts.size === 0) this.levels.delete(priority);
    return item;
  }

  private prune(priority: number, accountKey: string, organizerKey: string): void {
    const accounts = this.levels.get(priority)!;
    const organizers = accounts.get(accountKey)!;
    if (organizers.get(organizerKey)!.length === 0) organizers.delete(organizerKey);
    if (organizers.size === 0) accounts.delete(accountKey);
    if (accounts.size === 0) this.levels.delete(priority);
  }
}

const keyOf = (id: number | null): string => (id === null ? '-' : String(id));

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
