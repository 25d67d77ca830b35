// Writes the big list responses straight into UTF-8 bytes. Built as strings, a 1000-row list was
// 1000 row strings (two-byte ones, as soon as one name is non-Latin), a join flattening them, then
// a UTF-8 encoding of the whole text per response: most of the simulator's CPU and garbage. Here a
// row goes into one reused scratch buffer, character by character, and the list is copied out once.

/** Grown as needed and kept (a list of 10,000 rows is a few MB): one build at a time (synchronous). */
let scratch = Buffer.allocUnsafeSlow(1 << 20);

export class ByteWriter {
  private buf = scratch;
  pos = 0;

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    scratch = bigger;
  }

  /** Text known to be ASCII without anything JSON escapes (the templates' constant parts). */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /**
   * `s` as JSON.stringify writes it when that is `"${s}"` unchanged: a string without a quote,
   * backslash, control character or surrogate (the check is the encoding loop, no extra scan).
   * False otherwise, with unusable bytes written: the caller rewinds (`pos = mark`) and falls back.
   */
  str(s: unknown): boolean {
    if (typeof s !== 'string') return false;
    const n = s.length;
    this.reserve(n * 3 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
        b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) return false;
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    b[p++] = 0x22;
    this.pos = p;
    return true;
  }

  /** An int64 key (/^-?\d+$/) as the bare number `num` makes of it; false if it is not one. */
  int(s: unknown): boolean {
    if (typeof s !== 'string') return false;
    const n = s.length;
    const start = n > 0 && s.charCodeAt(0) === 0x2d ? 1 : 0;
    if (start === n) return false;
    this.reserve(n);
    const b = this.buf;
    let p = this.pos;
    if (start === 1) b[p++] = 0x2d;
    for (let i = start; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
      b[p++] = c;
    }
    this.pos = p;
    return true;
  }

  /** Any text, encoded as Buffer does (the fallback rows: JSON.stringify output, well-formed). */
  utf8(s: string): void {
    this.reserve(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** The bytes written, copied out of the scratch buffer. */
  finish(): Buffer {
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}

/** Rows serialized once, joined by commas; any run of them is a slice, not a copy per row. */
export class JoinedRows {
  private constructor(
    /** The rows, comma-separated. */
    private readonly bytes: Buffer,
    /** Where row i starts; starts[count] is one past the end (where a next row's comma would end). */
    private readonly starts: Uint32Array,
  ) {}

  static build<T>(rows: readonly T[], write: (out: ByteWriter, row: T) => void): JoinedRows {
    const out = new ByteWriter();
    const starts = new Uint32Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) out.ascii(',');
      starts[i] = out.pos;
      write(out, rows[i]);
    }
    starts[rows.length] = out.pos + 1;
    return new JoinedRows(out.finish(), starts);
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
