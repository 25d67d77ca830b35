import { QueryFailedError } from 'typeorm';
import {
  describeDatabaseError,
  isDatabaseError,
  maskQuotedValues,
  safeErrorMessage,
  serializeError,
} from './database-error';

const SECRET = 'ann.secret@example.com';

/** What mysql2 rejects with: the server's message, code and errno, and the whole statement. */
function mysqlError(message: string, code: string, errno: number): Error {
  return Object.assign(new Error(message), {
    code,
    errno,
    sqlState: '23000',
    sqlMessage: message,
    sql: `INSERT INTO subscriber (email) VALUES ('${SECRET}')`,
  });
}

const duplicate = () =>
  new QueryFailedError(
    'INSERT INTO subscriber (account_id, email) VALUES (?, ?)',
    [7, SECRET],
    mysqlError(
      `Duplicate entry '7-${SECRET}' for key 'uq_subscriber_account_email'`,
      'ER_DUP_ENTRY',
      1062,
    ),
  );

describe('database errors without their values', () => {
  it('masks quoted values and keeps the names of keys, columns and tables', () => {
    expect(maskQuotedValues(`Duplicate entry '7-${SECRET}' for key 'uq_x'`)).toBe(
      `Duplicate entry '…' for key 'uq_x'`,
    );
    expect(maskQuotedValues(`Incorrect string value: '\\xF0\\x9F' for column 'first_name'`)).toBe(
      `Incorrect string value: '…' for column 'first_name'`,
    );
    expect(maskQuotedValues(`Table 'db.webinar' doesn't exist`)).toBe(
      `Table 'db.webinar' doesn't exist`,
    );
    expect(maskQuotedValues(`syntax to use near 'O\\'Brien', 'x' at line 1`)).toBe(
      `syntax to use near '…', '…' at line 1`,
    );
  });

  it('describes a QueryFailedError by code and masked message', () => {
    const err = duplicate();
    expect(isDatabaseError(err)).toBe(true);
    expect(describeDatabaseError(err)).toBe(
      `database error ER_DUP_ENTRY (1062): Duplicate entry '…' for key 'uq_subscriber_account_email'`,
    );
    expect(safeErrorMessage(err)).not.toContain(SECRET);
  });

  it('serializes for the log without query, parameters or the driver’s statement', () => {
    const out = JSON.stringify(serializeError(duplicate()));
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('INSERT');
    expect(JSON.parse(out)).toMatchObject({
      type: 'QueryFailedError',
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      stack: expect.stringContaining('database error ER_DUP_ENTRY'),
    });
    // A bare mysql2 error too.
    const bare = JSON.stringify(
      serializeError(mysqlError(`Duplicate entry '${SECRET}' for key 'k'`, 'ER_DUP_ENTRY', 1062)),
    );
    expect(bare).not.toContain(SECRET);
  });

  it('leaves other errors to pino’s standard serializer and message', () => {
    const err = Object.assign(new Error('plain'), { detail: 'kept' });
    expect(isDatabaseError(err)).toBe(false);
    expect(serializeError(err)).toMatchObject({ type: 'Error', message: 'plain', detail: 'kept' });
    expect(safeErrorMessage(err)).toBe('plain');
    expect(safeErrorMessage('text')).toBe('text');
  });
});
