import { isLosslessNumber } from 'lossless-json';
import { parseJsonExact } from './parse-json-exact';

describe('parseJsonExact', () => {
  it('keeps 64-bit integers exact as strings, in objects and arrays, with any spacing', () => {
    const v = parseJsonExact(
      '{"a": 8325357307900339981, "b":[9007199254740993 ,-9223372036854775808],"c":{"d":18446744073709551615}}',
    );
    expect(v).toEqual({
      a: '8325357307900339981',
      b: ['9007199254740993', '-9223372036854775808'],
      c: { d: '18446744073709551615' },
    });
  });

  it('leaves short integers, decimals, exponents and strings as they are', () => {
    expect(
      parseJsonExact(
        '{"n":123456789012345,"f":1234567890123456.5,"e":1234567890123456e3,"s":"8325357307900339981","t":true}',
      ),
    ).toEqual({
      n: 123456789012345,
      f: 1234567890123456.5,
      e: 1234567890123456e3,
      s: '8325357307900339981',
      t: true,
    });
  });

  it('a string that looks like a long integer value falls back to the lossless parser, still exact', () => {
    const v = parseJsonExact(
      '{"note":"a:8325357307900339981, b","k":8325357307900339981,"n":5}',
    ) as Record<string, unknown>;
    expect(v.note).toBe('a:8325357307900339981, b');
    expect(String(v.k)).toBe('8325357307900339981');
    expect(isLosslessNumber(v.n)).toBe(true);
  });

  it('an escaped quote before the pattern inside a string still parses to the original text', () => {
    const text = '{"note":"x\\":8325357307900339981}","k":1}';
    expect((parseJsonExact(text) as Record<string, unknown>).note).toBe('x":8325357307900339981}');
  });

  it('malformed JSON still throws', () => {
    expect(() => parseJsonExact('{"k":8325357307900339981')).toThrow();
    expect(() => parseJsonExact('{"k":1,}')).toThrow();
    expect(() => parseJsonExact('[8325357307900339981 8325357307900339981]')).toThrow();
  });
});
