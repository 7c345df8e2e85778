/**
 * Group ids of an incremental OpenSearch write (opensearch/group-labels.ts): the new build's
 * partition of chunks into near-identical groups, with as few kept chunks rewritten as possible.
 */
import { describe, expect, it } from 'vitest';
import { groupLabels } from '../opensearch/group-labels.ts';

/** Rows i and j in one group under `a` exactly when they are under `b`. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) if ((a[i] === a[j]) !== (b[i] === b[j])) return false;
  return true;
}

describe('groupLabels', () => {
  it('keeps the ids of kept chunks when the build renumbers its groups (a report removed before them)', () => {
    // Current index: ids 0..5; the build dropped a report whose chunks had ids 0 and 1, so its
    // groups are numbered from 0 again. Rows 0-3 are kept chunks, row 4 a new chunk that repeats row 1.
    const groups = Int32Array.from([0, 1, 2, 1, 1, 3]);
    const current = Int32Array.from([2, 3, 4, 3, -1, -1]);
    const { label, moved } = groupLabels(groups, current, 5);
    expect(Array.from(label)).toEqual([2, 3, 4, 3, 3, 6]);
    expect(moved).toEqual([]);
    expect(samePartition(label, groups)).toBe(true);
  });

  it('rewrites only the kept chunks whose group split or merged, with ids one to one', () => {
    // Rows 0-2 shared id 7 but the build splits row 2 off; rows 3 and 4 had ids 8 and 9 and are merged.
    const groups = Int32Array.from([0, 0, 1, 2, 2, 2]);
    const current = Int32Array.from([7, 7, 7, 8, 9, 9]);
    const { label, moved } = groupLabels(groups, current, 9);
    expect(samePartition(label, groups)).toBe(true);
    expect(label[0]).toBe(7);
    expect(label[3]).toBe(9);
    expect(label[2]).toBe(10);
    expect(moved).toEqual([2, 3]);
  });

  it('a full write: every chunk new, the build ids above the current ones', () => {
    const groups = Int32Array.from([0, 1, 0]);
    const { label, moved } = groupLabels(groups, Int32Array.from([-1, -1, -1]), -1);
    expect(Array.from(label)).toEqual([0, 1, 0]);
    expect(moved).toEqual([]);
  });
});
