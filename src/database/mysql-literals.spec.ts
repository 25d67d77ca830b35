import { format } from 'mysql2';
import { inlineParams, mysqlLiteral, mysqlTuples } from './mysql-literals';

// The reference: what mysql2 itself sends for `?` parameters on a connection with timezone 'Z'.
const mysql2 = (values: unknown[]) =>
  format(values.map(() => '?').join(','), values as Parameters<typeof format>[1], false, 'Z');

describe('mysql literals', () => {
  const values: unknown[] = [
    null,
    0,
    -12,
    1800,
    3.25,
    'plain',
    "O'Brien",
    'back\\slash "quoted" \n new\r\tline \0 nul \x1a sub',
    'ünïcødé 😀',
    '8325357307900339981',
    new Date('2026-11-29T13:05:09.123Z'),
    new Date('2026-11-29T13:05:09.000Z'),
    new Date('0999-01-02T03:04:05.006Z'),
    new Date(Number.NaN),
    true,
    false,
  ];

  it('writes each value exactly as mysql2 formats the parameter', () => {
    expect(values.map(mysqlLiteral).join(',')).toBe(mysql2(values));
  });

  it('tuples are the rows in order, as mysql2 would format them', () => {
    const rows = [
      [1, 'a', null],
      [2, "b'c", new Date('2026-01-01T00:00:00Z')],
    ];
    expect(mysqlTuples(rows)).toBe(rows.map((r) => `(${mysql2(r)})`).join(','));
    expect(mysqlTuples([])).toBe('');
  });

  it('inlines parameters into SQL written here', () => {
    expect(
      inlineParams('SELECT id FROM s WHERE a = ? AND e IN (?,?)', [7, 'x@y.z', "q'@y.z"]),
    ).toBe("SELECT id FROM s WHERE a = 7 AND e IN ('x@y.z','q\\'@y.z')");
    expect(() => inlineParams('a = ? AND b = ?', [1])).toThrow(/2 placeholders but 1 values/);
  });

  it('refuses values it cannot write faithfully', () => {
    expect(() => mysqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => mysqlLiteral(Infinity)).toThrow(/finite/);
    expect(() => mysqlLiteral({ a: 1 })).toThrow(/type object/);
  });
});
