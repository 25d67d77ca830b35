import { SubscriberIdCache } from './subscriber-id-cache';

const named = { hasFirstName: true, hasLastName: true };
const person = (email: string, firstName: string | null = 'A', lastName: string | null = 'B') => ({
  email,
  firstName,
  lastName,
});

describe('SubscriberIdCache', () => {
  it('returns what was set, per account and exact email', () => {
    const c = new SubscriberIdCache();
    c.set(1, 'a@x.com', { id: 7, hasFirstName: true, hasLastName: false });
    expect(c.get(1, 'a@x.com')).toEqual({ id: 7, hasFirstName: true, hasLastName: false });
    expect(c.get(2, 'a@x.com')).toBeUndefined();
    expect(c.get(1, 'á@x.com')).toBeUndefined();
    c.set(1, 'a@x.com', { id: 7, ...named });
    expect(c.get(1, 'a@x.com')).toEqual({ id: 7, ...named });
    expect(c.size).toBe(1);
  });

  it('keeps large ids exactly', () => {
    const c = new SubscriberIdCache();
    c.set(1, 'a@x.com', { id: 2 ** 40 + 3, hasFirstName: false, hasLastName: true });
    expect(c.get(1, 'a@x.com')).toEqual({
      id: 2 ** 40 + 3,
      hasFirstName: false,
      hasLastName: true,
    });
  });

  it('idFor: the id unless the subscriber lacks a name this person brings', () => {
    const c = new SubscriberIdCache();
    c.set(1, 'none@x.com', { id: 1, hasFirstName: false, hasLastName: false });
    c.set(1, 'first@x.com', { id: 2, hasFirstName: true, hasLastName: false });
    c.set(1, 'both@x.com', { id: 3, ...named });
    expect(c.idFor(1, person('none@x.com', null, null))).toBe(1);
    expect(c.idFor(1, person('none@x.com', 'A', null))).toBeUndefined();
    expect(c.idFor(1, person('none@x.com', null, 'B'))).toBeUndefined();
    expect(c.idFor(1, person('first@x.com', 'Other', null))).toBe(2);
    expect(c.idFor(1, person('first@x.com', 'A', 'B'))).toBeUndefined();
    expect(c.idFor(1, person('both@x.com', 'X', 'Y'))).toBe(3);
    expect(c.idFor(1, person('both@x.com', null, null))).toBe(3);
    expect(c.idFor(1, person('missing@x.com'))).toBeUndefined();
    expect(c.idFor(2, person('both@x.com'))).toBeUndefined();
  });

  it('holds at most `capacity` entries, dropping the least recently used', () => {
    const c = new SubscriberIdCache(3);
    c.set(1, 'a', { id: 1, ...named });
    c.set(2, 'b', { id: 2, ...named });
    c.set(1, 'c', { id: 3, ...named });
    expect(c.get(1, 'a')?.id).toBe(1); // a is now the most recently used
    c.set(1, 'd', { id: 4, ...named }); // drops b
    expect(c.size).toBe(3);
    expect(c.get(2, 'b')).toBeUndefined();
    expect(c.idFor(1, person('c'))).toBe(3); // idFor marks use too
    c.set(1, 'e', { id: 5, ...named }); // drops a
    expect(c.get(1, 'a')).toBeUndefined();
    expect([c.get(1, 'c')?.id, c.get(1, 'd')?.id, c.get(1, 'e')?.id]).toEqual([3, 4, 5]);
    c.set(1, 'e', { id: 5, ...named }); // an update does not grow it
    expect(c.size).toBe(3);
  });

  it('a large cache stays within its cap', () => {
    const c = new SubscriberIdCache(1000);
    for (let i = 0; i < 5000; i++) c.set(i % 7, `p${i}@x.com`, { id: i + 1, ...named });
    expect(c.size).toBe(1000);
    expect(c.get(4999 % 7, 'p4999@x.com')?.id).toBe(5000);
    expect(c.get(0, 'p0@x.com')).toBeUndefined();
  });

  it('evictAccount forgets exactly that account', () => {
    const c = new SubscriberIdCache();
    c.set(1, 'a@x.com', { id: 1, ...named });
    c.set(1, 'b@x.com', { id: 2, ...named });
    c.set(12, 'a@x.com', { id: 3, ...named });
    c.set(2, 'a@x.com', { id: 4, ...named });
    expect(c.evictAccount(1)).toBe(2);
    expect(c.get(1, 'a@x.com')).toBeUndefined();
    expect(c.get(1, 'b@x.com')).toBeUndefined();
    expect(c.get(12, 'a@x.com')?.id).toBe(3);
    expect(c.get(2, 'a@x.com')?.id).toBe(4);
    expect(c.size).toBe(2);
    expect(c.evictAccount(1)).toBe(0);
  });

  it('over capacity, the idle account loses its oldest entries before a busy one', () => {
    const c = new SubscriberIdCache(4);
    c.set(1, 'a', { id: 1, ...named });
    c.set(2, 'b', { id: 2, ...named });
    c.set(2, 'c', { id: 3, ...named });
    c.set(1, 'd', { id: 4, ...named }); // account 1 used last
    c.set(1, 'e', { id: 5, ...named }); // drops b, account 2's oldest
    c.set(1, 'f', { id: 6, ...named }); // drops c: account 2 is gone
    expect([c.get(2, 'b'), c.get(2, 'c')]).toEqual([undefined, undefined]);
    expect(['a', 'd', 'e', 'f'].map((e) => c.get(1, e)?.id)).toEqual([1, 4, 5, 6]);
    expect(c.size).toBe(4);
    c.set(3, 'g', { id: 7, ...named }); // drops a, account 1's oldest
    expect(c.get(1, 'a')).toBeUndefined();
    expect(c.evictAccount(1)).toBe(3);
    expect(c.size).toBe(1);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new SubscriberIdCache(0)).toThrow(RangeError);
  });
});
