import { stdSerializers } from 'pino';
import { QueryFailedError } from 'typeorm';

// A database error carries what it was running: TypeORM's QueryFailedError has `query` and
// `parameters`, mysql2's error the whole statement (`sql`), and the server's message can quote a
// value (`Duplicate entry '7-ann@example.com' for key …`). Those are registrants' personal data
// and credential ciphertexts: none of it may reach a log line, a stored `lastError` or an answer.

interface DriverErrorFields {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

/** TypeORM's QueryFailedError, or an error straight from mysql2 or better-sqlite3. */
export function isDatabaseError(err: unknown): err is Error {
  if (err instanceof QueryFailedError) return true;
  if (!(err instanceof Error)) return false;
  const e = err as Error & DriverErrorFields & { sql?: unknown };
  return (
    e.sqlMessage !== undefined ||
    e.sql !== undefined ||
    e.name === 'SqliteError' ||
    (typeof e.code === 'string' && e.code.startsWith('SQLITE_'))
  );
}

// A quoted literal in a server message, kept when it names a key, column, table or the like.
const QUOTED = /'(?:[^'\\]|\\.|'')*'/g;
const NAMES_BEFORE =
  /\b(?:key|column|table|index|constraint|database|schema|function|procedure)\s*$/i;

/** The server's message with every quoted value replaced by '…' (identifiers are kept). */
export function maskQuotedValues(message: string): string {
  return message.replace(QUOTED, (quoted, offset: number) =>
    NAMES_BEFORE.test(message.slice(Math.max(0, offset - 20), offset)) ? quoted : `'…'`,
  );
}

/** `database error ER_DUP_ENTRY (1062): Duplicate entry '…' for key '…'`: no SQL, no values. */
export function describeDatabaseError(err: Error): string {
  const driver = ((err as { driverError?: unknown }).driverError ?? err) as DriverErrorFields;
  const code = typeof driver.code === 'string' ? driver.code : undefined;
  const errno = typeof driver.errno === 'number' ? driver.errno : undefined;
  const text = String(driver.sqlMessage ?? driver.message ?? err.message);
  const id = [code, errno === undefined ? undefined : `(${errno})`].filter(Boolean).join(' ');
  return `database error${id ? ` ${id}` : ''}: ${maskQuotedValues(text)}`;
}

/** An error's message for logs and stored errors; a database error's without its values. */
export function safeErrorMessage(err: unknown): string {
  if (isDatabaseError(err)) return describeDatabaseError(err);
  return err instanceof Error ? err.message || err.name : String(err);
}

/**
 * The `err` serializer of the logger: pino's standard one, except that a database error becomes
 * its code, masked message and stack frames (pino's would copy `query`, `parameters` and the
 * driver error's `sql`).
 */
export function serializeError(err: unknown): unknown {
  if (!isDatabaseError(err)) return stdSerializers.err(err as Error);
  const driver = ((err as { driverError?: unknown }).driverError ?? err) as DriverErrorFields;
  const message = describeDatabaseError(err);
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return {
    type: err.constructor.name,
    message,
    code: driver.code,
    errno: driver.errno,
    sqlState: driver.sqlState,
    stack: [`${err.name}: ${message}`, ...frames].join('\n'),
  };
}
