/**
 * One prepared query for every use of a query (search, every mention, the reader's marks): the
 * text parsed once, its filters merged with those given as parameters and checked, and what it
 * asks to count (the units every-mention counts and the reader marks). Search adds its keyword
 * plan (core/keyword-search.ts) on top, for the index it runs on.
 */
import { badParam } from './errors.ts';
import { emptyFilters, hasTerms, mergeFilters, parseQuery, type Filters, type ParsedQuery, type Unit } from './query.ts';
import { wordsOf } from './text-match.ts';

export interface PreparedQuery {
  parsed: ParsedQuery;
  filters: Filters;
  /**
   * What a mention is, per clause (a paragraph mentions the query when every clause matches):
   * runs of plain words typed together are one phrase ("staying put" counts the two words
   * together, as "staying put" in quotes does); one plain word counts every form of it.
   */
  mentionClauses: Unit[][];
}

export function prepareQuery(q: string, given: Partial<Filters> = {}): PreparedQuery {
  const parsed = parseQuery(q);
  const filters = mergeFilters(parsed.filters, { ...emptyFilters(), ...given });
  if (filters.from !== null && filters.to !== null && filters.from > filters.to) {
    throw badParam('from', `must not be after "to" (${filters.from} > ${filters.to})`);
  }
  if (!hasTerms(parsed)) throw badParam('q', 'has no words to search for (only filters or exclusions)');
  return { parsed, filters, mentionClauses: mentionClauses(parsed) };
}

function mentionClauses(q: ParsedQuery): Unit[][] {
  const out: Unit[][] = [];
  let run: string[] = [];
  const flush = (): void => {
    const text = run.join(' ');
    if (wordsOf(text).length > 1) out.push([{ kind: 'phrase', text }]);
    else if (text) out.push([{ kind: 'word', text }]);
    run = [];
  };
  for (const c of q.clauses) {
    const u = c.any[0]!;
    if (c.any.length === 1 && u.kind === 'word') run.push(u.text);
    else {
      flush();
      out.push(c.any);
    }
  }
  flush();
  return out;
}
