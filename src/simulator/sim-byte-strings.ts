// The big list responses as UTF-8 bytes, built through "byte strings": JS strings with one char per
// UTF-8 byte (U+0000-U+00FF), which V8 keeps one byte a char, concatenates natively and copies into
// a Buffer as is (latin1). Built as ordinary strings, one non-Latin name made a whole 1000-row list
// two bytes a char, and every response was flattened and UTF-8 encoded again; written byte by byte
// in JS, the per-character loop cost more than the rest of the response.

/** Printable ASCII but `"` and `\`: JSON.stringify writes such a string unchanged, one byte a char. */
const ASCII_PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7f]*$/;
/** What JSON.stringify writes as `"${s}"` unchanged: no control char, quote, backslash or surrogate. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\ud7ff\ue000-\uffff]*$/;

/** Byte strings of the short plain non-ASCII strings seen (mostly the word lists' names). */
const nonAsciiBytes = new Map<string, string>();

/** The UTF-8 bytes of `s` as a byte string. */
export function byteString(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/**
 * `s` as a byte string when JSON.stringify writes it as `"${s}"` unchanged (the caller adds the
 * quotes); undefined otherwise (not a string, or something JSON escapes), for the caller's fallback.
 */
export function plainBytes(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  if (ASCII_PLAIN.test(s)) return s;
  let bytes = nonAsciiBytes.get(s);
  if (bytes === undefined) {
    if (!PLAIN.test(s)) return undefined;
    bytes = byteString(s);
    if (s.length <= 100 && nonAsciiBytes.size < 10_000) nonAsciiBytes.set(s, bytes);
  }
  return bytes;
}

/** Rows serialized once, joined by commas; any run of them is a slice, not a copy per row. */
export class JoinedRows {
  private constructor(
    /** The rows, comma-separated. */
    private readonly bytes: Buffer,
    /** Where row i starts; starts[count] is one past the end (where a next row's comma would end). */
    private readonly starts: Uint32Array,
  ) {}

  /** `row(x)` is the byte string of one row. */
  static build<T>(rows: readonly T[], row: (x: T) => string): JoinedRows {
    const starts = new Uint32Array(rows.length + 1);
    let text = '';
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) text += ',';
      starts[i] = text.length;
      text += row(rows[i]);
    }
    starts[rows.length] = text.length + 1;
    return new JoinedRows(Buffer.from(text, 'latin1'), starts);
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Rows [from, to) as `row,row,…` (empty past the end). */
  slice(from: number, to: number): Buffer {
    const n = this.count;
    const a = Math.min(from, n);
    const b = Math.min(Math.max(to, a), n);
    if (a === b) return this.bytes.subarray(0, 0);
    return this.bytes.subarray(this.starts[a], this.starts[b] - 1);
  }

  /** `${head}${rows [from, to)}${tail}` in one buffer. */
  wrap(head: string, from: number, to: number, tail: string): Buffer {
    return Buffer.concat([Buffer.from(head), this.slice(from, to), Buffer.from(tail)]);
  }
}
