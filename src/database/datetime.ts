// DATETIME columns hold whole seconds (UTC): what we write and what we read back, on both drivers.

// MySQL rounds (MariaDB truncates) fractional seconds into DATETIME(0): store whole seconds ourselves,
// so the value we answer or compare with is the value stored.
export const floorToSecond = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

/** A DATETIME read raw, to epoch ms floored to the second: a Date (mysql2, timezone Z) or 'YYYY-MM-DD HH:MM:SS[.fff]' UTC (SQLite). */
export function dbTime(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const t = v instanceof Date ? v.getTime() : Date.parse(`${String(v).replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? null : Math.floor(t / 1000) * 1000;
}
