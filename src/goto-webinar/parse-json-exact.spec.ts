import { parseJsonExact } from './parse-json-exact';

describe('parseJsonExact', () => {
  it('keeps integers of 16+ digits exact as strings, in objects and arrays, with any spacing', () => {
    const v = parseJsonExact(
      '{"a": 8325357307900339981, "b":[9007199254740993 ,-9223372036854775808],"c":{"d":18446744073709551615}}',
    );
    expect(v).toEqual({
      a: '8325357307900339981',
      b: ['9007199254740993', '-9223372036854775808'],
      c: { d: '18446744073709551615' },
    });
  });

  it('leaves shorter integers, decimals, exponents and strings as JS values', () => {
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

  it('gives the same shape when a string looks like a long integer value (lossless-json reads it)', () => {
    const body = (note: string) =>
      `{"note":"${note}","k":8325357307900339981,"s":1234567890123456,"n":5,"f":1.5,"a":[1,9007199254740993]}`;
    const shape = (note: string) => ({
      note,
      k: '8325357307900339981',
      s: '1234567890123456',
      n: 5,
      f: 1.5,
      a: [1, '9007199254740993'],
    });
    expect(parseJsonExact(body('plain'))).toEqual(shape('plain'));
    expect(parseJsonExact(body('a:8325357307900339981, b'))).toEqual(
      shape('a:8325357307900339981, b'),
    );
    const escaped = '{"note":"x\\":8325357307900339981}","k":1}';
    expect(parseJsonExact(escaped)).toEqual({ note: 'x":8325357307900339981}', k: 1 });
  });

  it('malformed JSON still throws', () => {
    expect(() => parseJsonExact('{"k":8325357307900339981')).toThrow();
    expect(() => parseJsonExact('{"k":1,}')).toThrow();
    expect(() => parseJsonExact('[8325357307900339981 8325357307900339981]')).toThrow();
  });
});
