/**
 * Values that are pure functions of their key (a formatted date, a zone check), kept so each is
 * computed once. At most `max` entries: when full, it starts over (the keys a hot path repeats
 * come back at once; no per-hit bookkeeping as an LRU would need).
 */
export class BoundedMemo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K, compute: (key: K) => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute(key);
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
