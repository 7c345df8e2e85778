/**
 * How both keyword engines (core/keyword-search.ts for the embedded index, opensearch/keyword-query.ts
 * for OpenSearch) read a parsed query: runs of plain words typed together, across which
 * proximity pairs and thesaurus spans are looked for, and the other clauses (phrases, OR groups,
 * prefixes, hyphenated words). A stop word ("children in care") is not searched and does not
 * break a run.
 */
import { queryTerms } from './keyword-options.ts';
import type { Clause, ParsedQuery } from './query.ts';
import { findSynonyms, type SynonymSpan } from './thesaurus.ts';

/** Consecutive plain words: their stems, and the words as typed (for case-sensitive acronyms such as SEND). */
export interface WordRun {
  stems: string[];
  typed: string[];
}

/** A run of plain words, or any other clause, in the order typed. */
export type QueryPart = { run: WordRun; clause?: undefined } | { clause: Clause; run?: undefined };

export function queryParts(q: ParsedQuery): QueryPart[] {
  const parts: QueryPart[] = [];
  let run: WordRun | null = null;
  for (const clause of q.clauses) {
    const stem = singleStem(clause);
    if (stem !== null) {
      run ??= { stems: [], typed: [] };
      run.stems.push(stem);
      run.typed.push(clause.any[0]!.text);
      continue;
    }
    if (clause.any.length === 1 && clause.any[0]!.kind === 'word' && queryTerms(clause.any[0]!.text).length === 0) continue;
    if (run) parts.push({ run });
    run = null;
    parts.push({ clause });
  }
  if (run) parts.push({ run });
  return parts;
}

/** The thesaurus spans of a run, left to right; of overlapping spans the first wins. */
export function runSynonyms(run: WordRun): SynonymSpan[] {
  const out: SynonymSpan[] = [];
  let next = 0;
  for (const span of findSynonyms(run.stems, run.typed).sort((a, b) => a.start - b.start)) {
    if (span.start < next) continue;
    next = span.end;
    out.push(span);
  }
  return out;
}

/** The stem of a clause that is one plain word (not a stop word, not hyphenated); else null. */
function singleStem(clause: Clause): string | null {
  if (clause.any.length !== 1 || clause.any[0]!.kind !== 'word') return null;
  const terms = queryTerms(clause.any[0]!.text);
  return terms.length === 1 && !/[\s-]/.test(clause.any[0]!.text) ? terms[0]! : null;
}
