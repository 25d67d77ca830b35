import { DataSource } from 'typeorm';

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
    const [row] = await qr.query('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds]);
    if (Number(row.got) !== 1) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await qr.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await qr.release();
  }
}
