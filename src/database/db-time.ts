/** A DATETIME read raw, to epoch ms floored to the second: a Date (mysql2, timezone Z) or 'YYYY-MM-DD HH:MM:SS[.fff]' UTC (SQLite). */
export function dbTime(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const t = v instanceof Date ? v.getTime() : Date.parse(`${String(v).replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? null : Math.floor(t / 1000) * 1000;
}
