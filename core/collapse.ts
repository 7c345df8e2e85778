/**
 * Near-identical chunks (the same boilerplate in many reports) shown once: the best chunk of each
 * group is kept, the others counted on it. Used by the product's search (core/engine-search.ts)
 * whichever engine holds the index.
 */

export type Collapsed<R> = R & { duplicates: number; others: number[] };

/** The requested page of groups from a best-first list, and how many groups the list holds. */
export function collapseGroups<R extends { index: number }>(list: R[], groupOf: (index: number) => number, offset: number, limit: number): { page: Array<Collapsed<R>>; total: number } {
  const byGroup = new Map<number, Collapsed<R> | null>();
  const page: Array<Collapsed<R>> = [];
  for (const r of list) {
    const g = groupOf(r.index);
    const kept = byGroup.get(g);
    if (kept !== undefined) {
      if (kept) {
        kept.duplicates++;
        kept.others.push(r.index);
      }
      continue;
    }
    const ordinal = byGroup.size;
    const entry = ordinal >= offset && ordinal < offset + limit ? { ...r, duplicates: 1, others: [] } : null;
    byGroup.set(g, entry);
    if (entry) page.push(entry);
  }
  return { page, total: byGroup.size };
}
