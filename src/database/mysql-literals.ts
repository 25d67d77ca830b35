// SQL text with the values written in, for MySQL/MariaDB's big statements (the participant sync's
// 1000-row upserts and IN lists). mysql2 formats `?` parameters in JavaScript anyway (the text
// protocol); its general formatter costs about 3.5 ms per 1000 participant rows (12,000 values),
// this about a fifth of that. The output is what mysql2 sends: strings through mysql2's own escape,
// dates as UTC text (the connection's timezone is 'Z', data-source-options.ts).
import { escape } from 'mysql2';

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

/** `(a,b,…),(c,d,…)`: the VALUES of a multi-row INSERT. */
export function mysqlTuples(rows: readonly (readonly unknown[])[]): string {
  const tuples: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let t = '(';
    for (let j = 0; j < row.length; j++) t += (j ? ',' : '') + mysqlLiteral(row[j]);
    tuples[i] = `${t})`;
  }
  return tuples.join(',');
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

/** 'YYYY-MM-DD HH:MM:SS.mmm' in UTC, as mysql2 writes a Date with timezone 'Z'; NULL if invalid. */
function dateLiteral(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return 'NULL';
  const iso = d.toISOString(); // 2026-11-29T13:05:09.123Z (years 0000–9999)
  return `'${iso.slice(0, 10)} ${iso.slice(11, 23)}'`;
}
