/**
 * Filters on report metadata (council, type, years, judgement) and facet counts.
 * Council names map through boundary changes (core/council-names.ts), so a filter on a council
 * also finds the reports of its predecessors (and of its successors): "North Northamptonshire"
 * finds "Northamptonshire" (but not its sister, "West Northamptonshire").
 */
import type { Facets, FacetValue } from './api-types.ts';
import type { Filters } from './query.ts';
import { gradeKey, judgementMatches } from './judgements.ts';
import type { DocMeta } from './types.ts';
import { councilKey, councilKeys } from './council-names.ts';

// Names and boundary changes live in core/council-names.ts; re-exported for the filter's users.
export { councilKey, councilKeys } from './council-names.ts';

/** The judgement a report is summarised by (overall effectiveness where stated). */
export function overallGrade(doc: DocMeta): string | null {
  const overall = doc.judgements.find((j) => /overall/.test(j.area.toLowerCase())) ?? null;
  return overall ? gradeKey(overall.grade) : null;
}

export type FilterDimension = 'council' | 'year' | 'type' | 'judgement';

/** A predicate over documents; `ignore` leaves one dimension out (for that dimension's facet counts). */
export function docPredicate(f: Filters, ignore?: FilterDimension): (doc: DocMeta) => boolean {
  const councils = ignore === 'council' || f.council.length === 0 ? null : new Set(f.council.flatMap((c) => [...councilKeys(c)]));
  const types = ignore === 'type' || f.type.length === 0 ? null : new Set(f.type);
  const years = ignore !== 'year' && (f.from !== null || f.to !== null);
  const judgements = ignore === 'judgement' ? [] : f.judgement;
  return (doc) => {
    if (councils && !(doc.council && councils.has(councilKey(doc.council)))) return false;
    if (types && !types.has(doc.type)) return false;
    if (years) {
      if (doc.year === null) return false;
      if (f.from !== null && doc.year < f.from) return false;
      if (f.to !== null && doc.year > f.to) return false;
    }
    return judgements.every((j) => judgementMatches(doc.judgements, j));
  };
}

export function isEmpty(f: Filters): boolean {
  return f.council.length === 0 && f.type.length === 0 && f.from === null && f.to === null && f.judgement.length === 0;
}

/**
 * Facet counts over result candidates (documents with their number of matching chunks): each
 * dimension counts the candidates that pass every other filter, so choosing a value still shows
 * the counts of the alternatives.
 */
export function facetCounts(candidates: Array<{ meta: DocMeta; count: number }>, f: Filters): Facets {
  const count = (dim: FilterDimension, valueOf: (d: DocMeta) => string | null): FacetValue[] => {
    const pass = docPredicate(f, dim);
    const counts = new Map<string, number>();
    for (const { meta, count: n } of candidates) {
      if (!pass(meta)) continue;
      const v = valueOf(meta);
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + n);
    }
    const out = [...counts].map(([value, n]) => ({ value, count: n }));
    return dim === 'year' ? out.sort((a, b) => b.value.localeCompare(a.value)) : out.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  return {
    council: count('council', (d) => d.council),
    year: count('year', (d) => (d.year === null ? null : String(d.year))),
    type: count('type', (d) => d.type),
    judgement: count('judgement', overallGrade),
  };
}
