import { format } from 'mysql2';
import { formatUnlessInlined, inlineParams, mysqlLiteral, mysqlTuples } from './mysql-literals';

// The reference: what mysql2 itself sends for `?` parameters on a connection with timezone 'Z'
// (which writes a zero fraction of a second as `.000`; we leave it out).
const mysql2 = (values: unknown[]) => mysql2Text(values).replace(/\.000'/g, "'");
const mysql2Text = (values: unknown[]) =>
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

describe('dates', () => {
  it('match mysql2 (minus a zero fraction) across days, times, repeats and the year range', () => {
    const values: Date[] = [];
    for (let i = 0; i < 20_000; i++)
      values.push(new Date(Math.floor(Math.random() * 4_102_444_800_000) - (i % 3) * 86_400_000));
    values.push(
      values[5],
      values[5],
      new Date(0),
      new Date(-1),
      new Date('9999-12-31T23:59:59.999Z'),
    );
    values.push(new Date('0000-01-01T00:00:00Z'), new Date('2026-11-29T00:00:00.001Z'));
    for (const d of values) expect(mysqlLiteral(d)).toBe(mysql2([d]));
  });
});

describe('formatUnlessInlined (the pools’ queryFormat)', () => {
  it('formats like mysql2 when there are values, leaves SQL without values untouched', () => {
    const sql = "SELECT ? AS a, ? AS b, '?' AS c";
    expect(formatUnlessInlined(sql, [1, "x'y"], 'Z')).toBe(format(sql, [1, "x'y"], false, 'Z'));
    expect(formatUnlessInlined("SELECT 'a?b', ?", [], 'Z')).toBe("SELECT 'a?b', ?");
    expect(formatUnlessInlined('SELECT 1', undefined, 'Z')).toBe('SELECT 1');
  });
});
