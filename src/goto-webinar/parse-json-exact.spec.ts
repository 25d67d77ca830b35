import { parseJsonExact } from './parse-json-exact';

describe('parseJsonExact', () => {
  it('keeps integers beyond 2^53 exact as strings, in objects and arrays, with any spacing', () => {
    const v = parseJsonExact(
      '{"a": 8325357307900339981, "b":[9007199254740993 ,-9223372036854775808],"c":{"d":18446744073709551615}}',
    );
    expect(v).toEqual({
      a: '8325357307900339981',
      b: ['9007199254740993', '-9223372036854775808'],
      c: { d: '18446744073709551615' },
    });
  });

  it('leaves safe integers, decimals, exponents and strings as JS values', () => {
    expect(
      parseJsonExact(
        '{"n":123456789012345,"m":9007199254740991,"f":1234567890123456.5,"e":1234567890123456e3,"s":"8325357307900339981","t":true}',
      ),
    ).toEqual({
      n: 123456789012345,
      m: 9007199254740991,
      f: 1234567890123456.5,
      e: 1234567890123456e3,
      s: '8325357307900339981',
      t: true,
    });
  });

  it('gives the same shape whatever the strings contain', () => {
    const v = parseJsonExact(
      '{"note":"a:8325357307900339981, b","k":8325357307900339981,"n":5}',
    ) as Record<string, unknown>;
    expect(v).toEqual({ note: 'a:8325357307900339981, b', k: '8325357307900339981', n: 5 });
    const escaped = '{"note":"x\\":8325357307900339981}","k":1}';
    expect(parseJsonExact(escaped)).toEqual({ note: 'x":8325357307900339981}', k: 1 });
  });

  it('malformed JSON still throws', () => {
    expect(() => parseJsonExact('{"k":8325357307900339981')).toThrow();
    expect(() => parseJsonExact('{"k":1,}')).toThrow();
    expect(() => parseJsonExact('[8325357307900339981 8325357307900339981]')).toThrow();
  });
});
