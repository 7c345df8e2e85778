/**
 * Near-identical group ids in an incrementally written OpenSearch index. The embedded build numbers
 * groups globally in corpus order (core/duplicates.ts), so adding or removing one report renumbers
 * the groups of many unchanged chunks. Search only ever compares group ids for equality (collapsing,
 * counting, a group's chunks), so the OpenSearch index needs the build's partition of chunks into
 * groups, not its numbers: each group of the new build keeps the id its unchanged chunks already
 * have in the current index where it can, and only chunks whose id must change are rewritten.
 */

export interface GroupLabels {
  /** The group id to write for each chunk row of the new build. */
  label: Int32Array;
  /** Rows of chunks kept from the current index whose group id changes (to be rewritten). */
  moved: number[];
}

/**
 * `groups`: the new build's group of each chunk row; `current`: each row's group id in the current
 * index when its record is kept from it (its document is unchanged), else -1; `maxCurrent`: the
 * largest group id in the current index (-1 when it has none). Each new group takes the current id
 * held by most of its kept chunks, unless a larger share of another group took it first; groups
 * left without one get fresh ids above `maxCurrent`. Groups and ids then correspond one to one.
 */
export function groupLabels(groups: Int32Array, current: Int32Array, maxCurrent: number): GroupLabels {
  let groupCount = 0;
  for (const g of groups) groupCount = Math.max(groupCount, g + 1);
  // Kept chunks per (new group, current id).
  const tally = new Map<number, Map<number, number>>();
  for (let row = 0; row < groups.length; row++) {
    const id = current[row]!;
    if (id < 0) continue;
    const g = groups[row]!;
    let ids = tally.get(g);
    if (!ids) tally.set(g, (ids = new Map()));
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  const offers: Array<{ g: number; id: number; n: number }> = [];
  for (const [g, ids] of tally) for (const [id, n] of ids) offers.push({ g, id, n });
  offers.sort((a, b) => b.n - a.n || a.g - b.g || a.id - b.id);
  const byGroup = new Int32Array(groupCount).fill(-1);
  const taken = new Set<number>();
  for (const o of offers) {
    if (byGroup[o.g]! >= 0 || taken.has(o.id)) continue;
    byGroup[o.g] = o.id;
    taken.add(o.id);
  }
  let fresh = maxCurrent + 1;
  for (let g = 0; g < groupCount; g++) if (byGroup[g]! < 0) byGroup[g] = fresh++;
  const label = new Int32Array(groups.length);
  const moved: number[] = [];
  for (let row = 0; row < groups.length; row++) {
    label[row] = byGroup[groups[row]!]!;
    if (current[row]! >= 0 && current[row] !== label[row]) moved.push(row);
  }
  return { label, moved };
}
