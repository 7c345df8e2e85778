/**
 * core/id-set.ts: the Set of group ids keyword search returns behaves as a plain Set of the same
 * ids, before and after it fills its own entries (iteration, changes).
 */
import { describe, expect, it } from 'vitest';
import { IdSet } from '../core/id-set.ts';

const IDS = [5, 0, 17, 9, 63, 64, 1000];

function make(): IdSet {
  // The list may be longer than the ids counted: only the first `count` are members.
  return new IdSet(Int32Array.from([...IDS, 3, 4]), IDS.length, 1001);
}

describe('IdSet', () => {
  it('answers has and size from its bitmap as a Set of the same ids does', () => {
    const s = make();
    const plain = new Set(IDS);
    expect(s.size).toBe(plain.size);
    for (const id of [-1, 0, 1, 3, 4, 5, 8, 9, 17, 62, 63, 64, 65, 999, 1000, 1001, 5000, 1.5, NaN]) expect(s.has(id), String(id)).toBe(plain.has(id));
  });

  it('iterates its ids in the order given, every way a Set is iterated', () => {
    expect([...make()]).toEqual(IDS);
    expect([...make().values()]).toEqual(IDS);
    expect([...make().keys()]).toEqual(IDS);
    expect([...make().entries()]).toEqual(IDS.map((i) => [i, i]));
    const seen: number[] = [];
    make().forEach((v) => seen.push(v));
    expect(seen).toEqual(IDS);
    expect(new Set(make())).toEqual(new Set(IDS));
    expect(make()).toBeInstanceOf(Set);
  });

  it('changes as a Set does: add, delete, clear', () => {
    const s = make();
    expect(s.add(7)).toBe(s);
    expect(s.has(7)).toBe(true);
    expect(s.size).toBe(IDS.length + 1);
    expect(s.delete(5)).toBe(true);
    expect(s.delete(5)).toBe(false);
    expect(s.has(5)).toBe(false);
    expect([...s]).toEqual([...IDS.filter((i) => i !== 5), 7]);
    s.clear();
    expect(s.size).toBe(0);
    expect(s.has(0)).toBe(false);
    expect([...s]).toEqual([]);
  });

  it('is empty when no id is counted', () => {
    const s = new IdSet(new Int32Array(4), 0, 10);
    expect(s.size).toBe(0);
    expect(s.has(0)).toBe(false);
    expect([...s]).toEqual([]);
  });
});
