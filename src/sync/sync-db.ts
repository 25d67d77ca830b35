import { DataSource } from 'typeorm';
import { isLockConflict } from '../database/db-errors';

// Small helpers shared by the queue's SQL (kept here so the dialect differences sit in one place).

export const isMysql = (ds: DataSource): boolean =>
  ds.options.type === 'mysql' || ds.options.type === 'mariadb';

/** MySQL rounds (MariaDB truncates) fractional seconds into DATETIME(0): store whole seconds ourselves. */
export const floorToSecond = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

/** The end of a lease, rounded up to the second so the stored lease is never shorter than asked. */
export const leaseEnd = (now: Date, leaseMs: number): Date =>
  new Date(Math.ceil((now.getTime() + leaseMs) / 1000) * 1000);

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
