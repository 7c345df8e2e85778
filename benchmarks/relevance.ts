/**
 * Relevance metrics over judged queries: a result is relevant to a judged passage when it comes
 * from that file and its text contains the passage's needle (case, whitespace, curly quotes and
 * dashes folded; as a fallback, everything but letters and digits removed, so a word re-joined
 * across a line break still matches); each judged passage counts once.
 * Two set formats are read: graded (`relevant: [{file, needle, grade}]`, the seed dev set) and
 * known-item (`file`, `needle` on the query itself, the sets at scale).
 */
import type { ResultItem } from '../core/api-types.ts';

export interface JudgedPassage {
  file: string;
  needle: string;
  grade: number;
}

export interface JudgedQuery {
  id: string;
  query: string;
  kind: string;
  relevant: JudgedPassage[];
}

/** A query of a known-item set: one target passage. */
interface KnownItemQuery {
  id: string;
  query: string;
  kind: string;
  file: string;
  needle: string;
}

/** The queries of a judged set in either format, as graded queries. */
export function judgedQueries(set: { queries: Array<JudgedQuery | KnownItemQuery> }): JudgedQuery[] {
  return set.queries.map((q) =>
    'relevant' in q ? q : { id: q.id, query: q.query, kind: q.kind, relevant: [{ file: q.file, needle: q.needle, grade: 1 }] },
  );
}

/** A result's source (path relative to its corpus) is the judged file: the same path, or the same name when the judgement gives only a name. */
export function sameFile(source: string, file: string): boolean {
  if (source === file) return true;
  return file.includes('/') ? source.endsWith(`/${file}`) : source.split('/').pop() === file;
}

/** The text contains the needle, folded; or with only letters and digits kept. */
export function containsNeedle(text: string, needle: string): boolean {
  if (fold(text).includes(fold(needle))) return true;
  const bare = (s: string): string => fold(s).replace(/[^\p{L}\p{N}]+/gu, '');
  return bare(text).includes(bare(needle));
}

export interface QueryScores {
  /** Rank of the first relevant result (1-based, within 100), or null. */
  rank: number | null;
  ndcg10: number;
  mrr10: number;
  recall10: number;
  recall100: number;
}

export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Score one ranked list (best first) against the judged passages of a query. */
export function scoreQuery(results: Array<{ text: string; doc: Pick<ResultItem['doc'], 'source'> }>, relevant: JudgedPassage[]): QueryScores {
  const credited = new Set<number>();
  const gains: number[] = [];
  let firstRelevant = 0;
  let rank100: number | null = null;
  let found10 = 0;
  let found100 = 0;
  results.slice(0, 100).forEach((r, rank) => {
    let gain = 0;
    relevant.forEach((p, i) => {
      if (credited.has(i) || !sameFile(r.doc.source, p.file) || !containsNeedle(r.text, p.needle)) return;
      credited.add(i);
      gain = Math.max(gain, p.grade);
      if (rank < 10) found10++;
      found100++;
    });
    if (rank < 10) gains.push(gain);
    if (gain > 0 && rank100 === null) rank100 = rank + 1;
    if (gain > 0 && firstRelevant === 0 && rank < 10) firstRelevant = rank + 1;
  });
  const dcg = gains.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = relevant.map((p) => p.grade).sort((a, b) => b - a).slice(0, 10).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const n = relevant.length || 1;
  return {
    rank: rank100,
    ndcg10: ideal > 0 ? dcg / ideal : 0,
    mrr10: firstRelevant > 0 ? 1 / firstRelevant : 0,
    recall10: found10 / n,
    recall100: found100 / n,
  };
}

export function mean(scores: QueryScores[]): QueryScores {
  const m = (k: Exclude<keyof QueryScores, 'rank'>): number => scores.reduce((s, x) => s + x[k], 0) / (scores.length || 1);
  return { rank: null, ndcg10: m('ndcg10'), mrr10: m('mrr10'), recall10: m('recall10'), recall100: m('recall100') };
}
