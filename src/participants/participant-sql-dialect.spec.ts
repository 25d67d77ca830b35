import { DataSource } from 'typeorm';
import {
  padded,
  ParticipantSqlDialect,
  placeholders,
  SqlFlavor,
  statementSize,
  upsertStatement,
  writeSizes,
} from './participant-sql-dialect';

const PARTICIPANT_COLUMNS = ['webinar_id', 'subscriber_id', 'registrant_key', 'updated_at'];
const FLAVORS: SqlFlavor[] = ['mysql', 'sqlite'];

// The dialect-specific SQL, as the databases receive it (values are bound, never in the text).
describe.each(FLAVORS)('participant SQL statements [%s]', (flavor) => {
  it('participant upsert: insert, or update everything but the key', () => {
    expect(
      upsertStatement(
        flavor,
        'webinar_participant',
        PARTICIPANT_COLUMNS,
        2,
        ['webinar_id', 'subscriber_id'],
        ['registrant_key', 'updated_at'],
      ),
    ).toMatchSnapshot();
  });

  it('subscriber insert-or-nothing', () => {
    expect(
      upsertStatement(
        flavor,
        'subscriber',
        ['account_id', 'email'],
        3,
        ['account_id', 'email'],
        [],
      ),
    ).toMatchSnapshot();
  });

  it('the statement shapes one dialect prepares per statement', () => {
    const dialect = new ParticipantSqlDialect({
      options: { type: flavor === 'sqlite' ? 'better-sqlite3' : 'mariadb' },
    } as DataSource);
    const sizes = new Set<number>();
    for (let n = 1; n <= 5000; n++)
      for (const part of dialect.statementParts(Array.from({ length: n }, (_, i) => i)))
        sizes.add(dialect.inList(part).params.length);
    expect([...sizes].sort((a, b) => a - b)).toMatchSnapshot();
  });
});

describe('statement sizes', () => {
  it('rounds up to a power of two, at most the chunk size', () => {
    expect([1, 2, 3, 190, 512, 513, 999, 1000, 1200].map((n) => statementSize(n, 1000))).toEqual([
      1, 2, 4, 256, 512, 1000, 1000, 1000, 1000,
    ]);
  });

  it('a write splits off a power of two when one statement would pad more than an eighth', () => {
    expect(
      [1, 3, 20, 40, 190, 230, 256, 600, 900, 963, 1000].map((n) => writeSizes(n, 1000)),
    ).toEqual([
      [1],
      [4],
      [32],
      [32, 8],
      [128, 64],
      [256],
      [256],
      [512, 128],
      [1000],
      [1000],
      [1000],
    ]);
    for (let n = 1; n <= 1000; n++) {
      const sizes = writeSizes(n, 1000);
      // Shapes of statementSize only; the first part is whole, the last holds the rest padded.
      expect(sizes.every((s) => statementSize(s, 1000) === s)).toBe(true);
      if (sizes.length === 2) expect(sizes[0] < n && sizes[0] + sizes[1] >= n).toBe(true);
      else expect(sizes).toEqual([statementSize(n, 1000)]);
    }
  });

  it('pads with copies of the last item, the originals first and unchanged', () => {
    expect(padded(['a', 'b', 'c'], 4)).toEqual(['a', 'b', 'c', 'c']);
    expect(padded([1], 1)).toEqual([1]);
    expect(placeholders(3)).toBe('(?,?,?)');
  });
});
