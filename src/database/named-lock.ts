import { DataSource } from 'typeorm';

/**
 * The lock's server-wide name, scoped to the current database: GET_LOCK names are global to the
 * MySQL server, so two deployments (or two test databases) on one server must not share a lock.
 * Hashed, since a lock name may be at most 64 characters.
 */
export const LOCK_NAME_SQL = "SHA1(CONCAT(DATABASE(), '/', ?))";

// MySQL's GET_LOCK on one dedicated connection; SQLite is single-process, so the function just runs.
// Returns undefined when the lock could not be had within timeoutSeconds (and fn did not run).
export async function withNamedLock<T>(
  ds: DataSource,
  name: string,
  timeoutSeconds: number,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (ds.options.type !== 'mysql' && ds.options.type !== 'mariadb')
    return { ran: true, value: await fn() };
  const qr = ds.createQueryRunner();
  try {
    const [row] = await qr.query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, ?) AS got`, [
      name,
      timeoutSeconds,
    ]);
    if (Number(row.got) !== 1) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await qr.query(`SELECT RELEASE_LOCK(${LOCK_NAME_SQL})`, [name]);
    }
  } finally {
    await qr.release();
  }
}
