// Small LRU maps: the generated registrants of recent webinars, and what the routes build from a
// webinar (its serialized rows), kept until the dataset changes (`revision`) or the signature differs.
import { SimWebinar } from './sim-types';

/** A Map that keeps at most `size` entries, dropping the least recently used. */
export class Lru<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly size: number) {}

  /** The value for `key`, built (and stored) on a miss. */
  get(key: string, build: () => V): V {
    let value = this.map.get(key);
    if (value) {
      this.map.delete(key);
    } else {
      value = build();
      if (this.map.size >= this.size) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(key, value);
    return value;
  }
}

export class SimMemo {
  /** Bumped by every change (control endpoints, REST writes, the clock): memoized results expire. */
  private revision = 0;
  private readonly memo = new Map<string, { sig: string; value: unknown }>();

  constructor(private readonly size: number) {}

  memoize<T>(kind: string, w: SimWebinar, sig: string, build: () => T): T {
    const key = `${kind}:${w.webinarKey}`;
    const full = `${this.revision}|${w.status}|${JSON.stringify(w.times)}|${w.approvalType}|${w.generatedRegistrants}|${sig}`;
    const hit = this.memo.get(key);
    if (hit) {
      this.memo.delete(key);
      if (hit.sig === full) {
        this.memo.set(key, hit);
        return hit.value as T;
      }
    }
    const value = build();
    if (this.memo.size >= this.size) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, { sig: full, value });
    return value;
  }

  /** The dataset changed: forget everything. */
  invalidate(): void {
    this.revision++;
    this.memo.clear();
  }
}
