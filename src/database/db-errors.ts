// A duplicate-key error from either driver: MySQL/MariaDB ER_DUP_ENTRY (1062) or SQLite UNIQUE/PRIMARY KEY.
export function isUniqueViolation(e: unknown): boolean {
  const err = e as {
    code?: unknown;
    errno?: unknown;
    driverError?: { code?: unknown; errno?: unknown };
    message?: unknown;
  };
  const codes = [err?.code, err?.driverError?.code].filter(
    (c): c is string => typeof c === 'string',
  );
  if (
    codes.some(
      (c) =>
        c === 'ER_DUP_ENTRY' ||
        c === 'SQLITE_CONSTRAINT_UNIQUE' ||
        c === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    )
  )
    return true;
  if (err?.errno === 1062 || err?.driverError?.errno === 1062) return true;
  return (
    typeof err?.message === 'string' &&
    /UNIQUE constraint failed|Duplicate entry/i.test(err.message)
  );
}

/** Deadlock or lock-wait timeout (MySQL/MariaDB): the statement can simply be tried again. */
export function isLockConflict(err: unknown): boolean {
  const e = err as { errno?: number; driverError?: { errno?: number } };
  const errno = e?.driverError?.errno ?? e?.errno;
  return errno === 1213 || errno === 1205;
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
