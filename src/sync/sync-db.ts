import { DataSource } from 'typeorm';

// Small helpers shared by the queue's SQL (kept here so the dialect differences sit in one place).

export const isMysql = (ds: DataSource): boolean =>
  ds.options.type === 'mysql' || ds.options.type === 'mariadb';

/** MySQL rounds (MariaDB truncates) fractional seconds into DATETIME(0): store whole seconds ourselves. */
export const floorToSecond = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

/** The end of a lease, rounded up to the second so the stored lease is never shorter than asked. */
export const leaseEnd = (now: Date, leaseMs: number): Date =>
  new Date(Math.ceil((now.getTime() + leaseMs) / 1000) * 1000);

export function isUniqueViolation(err: unknown): boolean {
  const e = err as {
    code?: string;
    errno?: number;
    driverError?: { code?: string; errno?: number };
  };
  const code = e?.driverError?.code ?? e?.code;
  const errno = e?.driverError?.errno ?? e?.errno;
  return (
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Deadlock or lock-wait timeout: the claim transaction can simply be tried again. */
export function isLockConflict(err: unknown): boolean {
  const e = err as { errno?: number; driverError?: { errno?: number } };
  const errno = e?.driverError?.errno ?? e?.errno;
  return errno === 1213 || errno === 1205;
}

/**
 * MySQL/MariaDB GET_LOCK without waiting, on one dedicated connection; SQLite (one process) just runs.
 * Like withNamedLock (src/database/named-lock.ts), which only recognises options.type 'mysql' and so
 * never locks on our 'mariadb' data sources.
 */
export async function tryNamedLock<T>(
  ds: DataSource,
  name: string,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (!isMysql(ds)) return { ran: true, value: await fn() };
  const qr = ds.createQueryRunner();
  try {
    const [row] = await qr.query('SELECT GET_LOCK(?, 0) AS got', [name]);
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

/**
 * Runs a statement again when InnoDB picked it as a deadlock victim (or a lock wait timed out).
 * Deadlocks between short statements on unique secondary indexes are normal in InnoDB; the
 * documented answer is to retry.
 */
export async function retryOnLockConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isLockConflict(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * i));
    }
  }
}
