import { DataSource } from 'typeorm';

// The dialect check and the lease end, shared by the queue's SQL (dialect differences in one place).

export const isMysql = (ds: DataSource): boolean =>
  ds.options.type === 'mysql' || ds.options.type === 'mariadb';

/** The end of a lease, rounded up to the second so the stored lease is never shorter than asked. */
export const leaseEnd = (now: Date, leaseMs: number): Date =>
  new Date(Math.ceil((now.getTime() + leaseMs) / 1000) * 1000);
