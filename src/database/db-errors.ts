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
