// Readers of parsed GoTo JSON: each checks one value's shape and returns it as our type, or throws
// a PayloadError naming the JSON path (goto-payloads.ts turns it into INVALID_RESPONSE). Numbers
// arrive as JS numbers, or as decimal strings when they are integers of 16+ digits
// (parse-json-exact.ts); every reader takes both.

/** A schema violation at `path`; turned into INVALID_RESPONSE by `mapPayload`. */
export class PayloadError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

export type Json = unknown;
export type Obj = Record<string, Json>;

export const fieldPath = (path: string, field: string) => (path ? `${path}.${field}` : field);
export const itemPath = (path: string, i: number) => `${path}[${i}]`;
const where = (path: string) => path || '$';

/**
 * `mapper` over the items of the array at `base`, without building the field paths of valid
 * items: each is mapped at path '' (where `fieldPath('', f)` is just `f`), and only one that throws a
 * PayloadError is mapped again at its own path, for the error. Mappers are pure, so the second
 * run fails the same way. (Eager paths cost ~10 string concatenations per registrant.)
 */
export function mapItems<T>(list: Json[], base: string, mapper: (v: Json, path: string) => T): T[] {
  const out: T[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    try {
      out[i] = mapper(list[i], '');
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      out[i] = mapper(list[i], itemPath(base, i));
    }
  }
  return out;
}

export function describeValue(v: Json): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `a ${typeof v}`;
}

export function readObject(v: Json, path: string): Obj {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
  throw new PayloadError(where(path), `expected an object, got ${describeValue(v)}`);
}

export function readArray(v: Json, path: string): Json[] {
  if (Array.isArray(v)) return v;
  throw new PayloadError(where(path), `expected an array, got ${describeValue(v)}`);
}

export function optArr(v: Json, path: string): Json[] | undefined {
  return v === undefined || v === null ? undefined : readArray(v, path);
}

/** A GoTo key: JSON number or string of digits -> decimal string, exactly. */
export function key(v: Json, path: string): string {
  let s: string | undefined;
  if (typeof v === 'string') s = v.trim();
  else if (typeof v === 'number' && Number.isSafeInteger(v)) s = String(v);
  if (s !== undefined && /^\d{1,20}$/.test(s)) return s;
  throw new PayloadError(where(path), `expected a numeric key, got ${describeValue(v)}`);
}

export function optKey(v: Json, path: string): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : key(v, path);
}

export function readString(v: Json, path: string): string {
  if (typeof v === 'string') return v;
  throw new PayloadError(where(path), `expected a string, got ${describeValue(v)}`);
}

export function optStr(v: Json, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return String(v);
  return readString(v, path);
}

export function optNum(v: Json, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new PayloadError(where(path), `expected a number, got ${describeValue(v)}`);
}

export function optBool(v: Json, path: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new PayloadError(where(path), `expected a boolean, got ${describeValue(v)}`);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 (with or without milliseconds; no zone = UTC) or epoch milliseconds. */
export function date(v: Json, path: string): Date {
  if (typeof v === 'string') {
    // GoTo's usual form first (one cheap test), then every other accepted form.
    if (ISO_UTC.test(v)) {
      const d = new Date(v);
      if (!Number.isNaN(d.getTime())) return d;
    }
    const t = v.trim();
    if (ISO_DATE.test(t)) {
      const zoned = /T/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? `${t}Z` : t;
      const d = new Date(zoned);
      if (!Number.isNaN(d.getTime())) return d;
    }
  } else if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
    return new Date(v);
  }
  throw new PayloadError(where(path), `expected an ISO 8601 date-time, got ${describeValue(v)}`);
}

export function optDate(v: Json, path: string): Date | undefined {
  return v === undefined || v === null || v === '' ? undefined : date(v, path);
}

/**
 * `o` without its undefined fields, as a fresh object: `delete` would turn each mapped record
 * into a slow dictionary-mode object (measurable at a million registrants).
 */
export function dropUndefined<T extends object>(o: T): T {
  const out = {} as T;
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
