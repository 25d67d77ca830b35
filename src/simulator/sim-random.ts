// Deterministic hashing and random numbers: every generated value derives from the seed plus indexes,
// so a registrant or attendee can be rebuilt on demand instead of being held in memory.

export function mix(...parts: number[]): number {
  let h = 0x9e3779b9 ^ parts.length;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0) ^ Math.floor(p / 0x100000000), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, seedable generator. */
export class Rand {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const KEY_BASE = 1_000_000_000_000_000_000n;
const KEY_SPAN = 8_000_000_000_000_000_000n;

/** A 19-digit decimal key in [1e18, 9e18): above 2^53, inside int64. Kept as a string everywhere. */
export function makeKey(...parts: number[]): string {
  const hi = BigInt(mix(0x4b45, ...parts));
  const lo = BigInt(mix(0x594b, ...parts));
  return ((((hi << 32n) | lo) % KEY_SPAN) + KEY_BASE).toString();
}

/** A key of a given number of digits (webinarID, incident ids). */
export function makeDigits(digits: number, ...parts: number[]): string {
  let out = String((mix(1, ...parts) % 9) + 1);
  let i = 2;
  while (out.length < digits) out += String(mix(i++, ...parts)).padStart(10, '0');
  return out.slice(0, digits);
}
