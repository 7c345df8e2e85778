/**
 * Relevance metrics over judged queries (../shared/eval/dev-queries.json format): a result is
 * relevant to a judged passage when it comes from that file and its text contains the passage's
 * needle (case, whitespace, curly quotes and dashes folded); each judged passage counts once.
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

export interface QueryScores {
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
export function scoreQuery(results: Array<Pick<ResultItem, 'text' | 'doc'>>, relevant: JudgedPassage[]): QueryScores {
  const credited = new Set<number>();
  const gains: number[] = [];
  let firstRelevant = 0;
  let found10 = 0;
  let found100 = 0;
  results.slice(0, 100).forEach((r, rank) => {
    const file = r.doc.source.split('/').pop();
    const text = fold(r.text);
    let gain = 0;
    relevant.forEach((p, i) => {
      if (credited.has(i) || p.file !== file || !text.includes(fold(p.needle))) return;
      credited.add(i);
      gain = Math.max(gain, p.grade);
      if (rank < 10) found10++;
      found100++;
    });
    if (rank < 10) gains.push(gain);
    if (gain > 0 && firstRelevant === 0 && rank < 10) firstRelevant = rank + 1;
  });
  const dcg = gains.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = relevant.map((p) => p.grade).sort((a, b) => b - a).slice(0, 10).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const n = relevant.length || 1;
  return {
    ndcg10: ideal > 0 ? dcg / ideal : 0,
    mrr10: firstRelevant > 0 ? 1 / firstRelevant : 0,
    recall10: found10 / n,
    recall100: found100 / n,
  };
}

export function mean(scores: QueryScores[]): QueryScores {
  const m = (k: keyof QueryScores): number => scores.reduce((s, x) => s + x[k], 0) / (scores.length || 1);
  return { ndcg10: m('ndcg10'), mrr10: m('mrr10'), recall10: m('recall10'), recall100: m('recall100') };
}
