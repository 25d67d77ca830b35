// What the routes build from a webinar (its serialized rows), kept for the most recently used
// webinars until the dataset changes (`revision`) or the signature differs.
import { LRUCache } from 'lru-cache';
import { SimWebinar } from './sim-types';

interface Memoized {
  sig: string;
  value: unknown;
}

export class SimMemo {
  /** Bumped by every change (control endpoints, REST writes, the clock): memoized results expire. */
  private revision = 0;
  private readonly memo: LRUCache<string, Memoized>;

  constructor(size: number) {
    this.memo = new LRUCache({ max: size });
  }

  memoize<T>(kind: string, w: SimWebinar, sig: string, build: () => T): T {
    const key = `${kind}:${w.webinarKey}`;
    const full = `${this.revision}|${w.status}|${JSON.stringify(w.times)}|${w.approvalType}|${w.generatedRegistrants}|${sig}`;
    const hit = this.memo.get(key);
    if (hit?.sig === full) return hit.value as T;
    const value = build();
    this.memo.set(key, { sig: full, value });
    return value;
  }

  /** The dataset changed: forget everything. */
  invalidate(): void {
    this.revision++;
    this.memo.clear();
  }
}
