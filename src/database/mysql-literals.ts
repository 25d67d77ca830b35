// SQL text with the values written in, for MySQL/MariaDB's big statements (the participant sync's
// 1000-row upserts and IN lists). mysql2 formats `?` parameters in JavaScript anyway (the text
// protocol); its general formatter costs about 3.5 ms per 1000 participant rows (12,000 values),
// this about a fifth of that. The output means what mysql2 sends: strings through mysql2's own
// escape, dates as UTC text (the connection's timezone is 'Z', data-source-options.ts) without
// a zero fraction.
import { escape, format } from 'mysql2';
import { LRUCache } from 'lru-cache';

/** One value as a MySQL literal: NULL, a number, a quoted and escaped string, a UTC DATETIME. */
export function mysqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return escape(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`not a finite number: ${v}`);
    return String(v);
  }
  if (v instanceof Date) return dateLiteral(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new TypeError(`no MySQL literal for a value of type ${typeof v}`);
}

/** `(a,b,…),(c,d,…)`: the VALUES of a multi-row INSERT (one string grown in place: V8 joins
 * the pieces once, when the statement is written to the socket). */
export function mysqlTuples(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    out += i ? ',(' : '(';
    for (let j = 0; j < row.length; j++) out += (j ? ',' : '') + mysqlLiteral(row[j]);
    out += ')';
  }
  return out;
}

/**
 * `sql` with each `?` replaced by the next value's literal. Only for SQL written in this codebase,
 * where every `?` is a placeholder (none inside quotes, no `??` identifiers).
 */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  const parts = sql.split('?');
  if (parts.length - 1 !== params.length)
    throw new Error(`${parts.length - 1} placeholders but ${params.length} values`);
  let out = parts[0];
  for (let i = 0; i < params.length; i++) out += mysqlLiteral(params[i]) + parts[i + 1];
  return out;
}

/**
 * mysql2's `queryFormat` for our pools: its own `?` formatting, skipped when there are no values
 * (our statements with the values written in: mysql2 would scan all of a 200 kB statement for
 * placeholders only to find none). Same result as mysql2's default in both cases.
 */
export function formatUnlessInlined(sql: string, values: unknown, timezone: string): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0))
    return sql;
  return format(sql, values as Parameters<typeof format>[1], false, timezone);
}

const DAY_MS = 86_400_000;
// Years 0000–9999, the DATETIME range; outside it toISOString's extended years are passed on.
const MIN_MS = Date.parse('0000-01-01T00:00:00Z');
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Day number → 'YYYY-MM-DD' of the days seen (a sync touches a few hundred). */
const days = new LRUCache<number, string>({
  max: 10_000,
  memoMethod: (day) => new Date(day * DAY_MS).toISOString().slice(0, 10),
});
let lastMs = Number.NaN;
let lastText = '';
/** '00'…'59' (hours, minutes, seconds) and '000'…'999' (milliseconds), built once. */
const TWO = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * 'YYYY-MM-DD HH:MM:SS[.mmm]' in UTC, the fraction only when there is one (DATETIME columns here
 * hold whole seconds); NULL if invalid. A statement repeats the same few days and its `now`, so
 * the days' texts and the last value are kept (a fifth of the cost of toISOString per value).
 */
function dateLiteral(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return 'NULL';
  if (t === lastMs) return lastText;
  if (t < MIN_MS || t > MAX_MS) return `'${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
  const day = Math.floor(t / DAY_MS);
  let rest = t - day * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  lastMs = t;
  lastText = `'${days.memo(day)} ${TWO[hour]}:${TWO[min]}:${TWO[sec]}${ms ? `.${THREE[ms]}` : ''}'`;
  return lastText;
}
