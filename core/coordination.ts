/**
 * Coordination, the one rule both engines rank keyword matches by (core/keyword-search.ts for
 * the embedded index, opensearch/keyword-query.ts in OpenSearch's query DSL): a chunk's BM25 is
 * multiplied by the share of the query it matches, as Lucene's classic `coord` but weighted:
 * - a query's clauses (a word, a quoted phrase, an OR group) each weigh the idf of their best
 *   word as typed (`clauseWeight`), so matching the rare words of a query counts more than
 *   matching its common ones;
 * - a chunk matches a clause when it has any of the clause's terms (the word, its pairs, its
 *   section heading, a thesaurus alternative);
 * - a council the query names ("neglect in Hackney") counts as matched in that council's reports
 *   (predecessors and successors too): the report's council is a field of every chunk of it
 *   (`councilClauses`);
 * - the factor is (matched weight / all weight)^coord (`coordination`), only for queries of more
 *   than one clause; coord 0 turns it off.
 */
import { councilKey, councilKeys } from './council-names.ts';
import { queryTerms } from './keyword-options.ts';

/**
 * A clause's weight: its best word as typed (idf x the word's weight: 1, or the expansion weight
 * for typo and prefix expansions), else its best term of any kind (a section-heading term, a
 * thesaurus alternative), else 0 (a word found nowhere does not count).
 */
export function clauseWeight(typed: readonly number[], other: readonly number[]): number {
  let t = 0;
  for (const w of typed) if (w > t) t = w;
  if (t > 0) return t;
  let o = 0;
  for (const w of other) if (w > o) o = w;
  return o;
}

/** Whether coordination applies: more than one clause, some weight, coord > 0. */
export function coordinationOn(clauses: number, totalWeight: number, coord: number): boolean {
  return coord > 0 && totalWeight > 0 && clauses > 1;
}

/** The factor for a chunk matching `matched` of the clauses' `total` weight. */
export function coordination(matched: number, total: number, coord: number): number {
  return coord === 1 ? matched / total : Math.pow(matched / total, coord);
}

/**
 * The clauses that are words of a council the query names (`named`, whatever the filters), given
 * each clause's stems as typed: in that council's reports they count as matched.
 */
export function councilClauses(clauseStems: ReadonlyArray<readonly string[]>, named: readonly string[]): number[] {
  if (named.length === 0) return [];
  const stems = new Set(named.flatMap((c) => queryTerms(c.replace(/&/g, ' and '))));
  return clauseStems.flatMap((list, c) => (list.some((s) => stems.has(s)) ? [c] : []));
}

/** The normalised council keys of the named councils' reports (predecessors and successors included). */
export function namedCouncilKeys(named: readonly string[]): Set<string> {
  return new Set(named.flatMap((c) => [...councilKeys(c)]));
}

/** Whether a report of council `council` is one of the named councils' (keys from namedCouncilKeys). */
export function ofNamedCouncil(council: string | null, keys: ReadonlySet<string>): boolean {
  return council !== null && keys.has(councilKey(council));
}
