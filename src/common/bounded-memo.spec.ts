import { BoundedMemo } from './bounded-memo';

describe('BoundedMemo', () => {
  it('computes a key once, and starts over when full', () => {
    const calls: number[] = [];
    const memo = new BoundedMemo<number, string>(2);
    const get = (k: number) => memo.get(k, (x) => (calls.push(x), `v${x}`));
    expect([get(1), get(1), get(2), get(1)]).toEqual(['v1', 'v1', 'v2', 'v1']);
    expect(calls).toEqual([1, 2]);
    expect(get(3)).toBe('v3'); // full: cleared, then 3 kept
    expect([get(3), get(1)]).toEqual(['v3', 'v1']);
    expect(calls).toEqual([1, 2, 3, 1]);
  });

  it('does not keep a key whose computation throws', () => {
    const memo = new BoundedMemo<string, number>(10);
    expect(() =>
      memo.get('x', () => {
        throw new RangeError('bad');
      }),
    ).toThrow(RangeError);
    expect(memo.get('x', () => 7)).toBe(7);
  });
});
