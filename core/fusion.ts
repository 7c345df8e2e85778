/**
 * Hybrid fusion of keyword (BM25) and semantic (cosine) rankings. Pure and small.
 *
 * Two methods:
 * - 'rrf': reciprocal rank fusion, sum of w / (k + rank) over both lists.
 * - 'convex': every candidate of either list gets both scores (the cosine of a keyword hit is
 *   computed exactly; a semantic-only hit has BM25 0), each normalised to [0, 1] over the
 *   candidates, then alpha * keyword + (1 - alpha) * semantic.
 * The figures behind the default are in docs/relevance.md.
 */
import type { Scored } from './vectors.ts';

export type FusionMethod = 'rrf' | 'convex' | 'zscore';

export interface FusionOptions {
  method: FusionMethod;
  /** Weight of the keyword side (convex: alpha; rrf: weight of the keyword list, semantic gets 1 - alpha). */
  alpha: number;
  /** RRF constant. */
  k: number;
}

export const DEFAULT_FUSION: FusionOptions = { method: 'convex', alpha: 0.55, k: 60 };

export interface Fused {
  index: number;
  score: number;
  keyword: boolean;
  semantic: boolean;
}

/**
 * @param keyword   keyword hits, best first, with BM25 scores
 * @param semantic  semantic hits, best first, with cosine scores
 * @param cosineOf  exact cosine of any candidate (for 'convex')
 */
export function fuse(keyword: Scored[], semantic: Scored[], cosineOf: (index: number) => number, options: FusionOptions = DEFAULT_FUSION): Fused[] {
  const out = new Map<number, Fused>();
  const entry = (index: number): Fused => {
    let e = out.get(index);
    if (!e) {
      e = { index, score: 0, keyword: false, semantic: false };
      out.set(index, e);
    }
    return e;
  };
  keyword.forEach((h) => (entry(h.index).keyword = true));
  semantic.forEach((h) => (entry(h.index).semantic = true));

  if (options.method === 'rrf') {
    keyword.forEach((h, rank) => (entry(h.index).score += options.alpha / (options.k + rank + 1)));
    semantic.forEach((h, rank) => (entry(h.index).score += (1 - options.alpha) / (options.k + rank + 1)));
  } else if (options.method === 'zscore') {
    // Each side standardised over the candidates (mean 0, deviation 1); a keyword miss counts as the keyword minimum.
    const ks = new Map(keyword.map((h) => [h.index, h.score]));
    const entries = [...out.values()];
    const kv = entries.map((e) => ks.get(e.index) ?? 0);
    const cv = entries.map((e) => cosineOf(e.index));
    const z = (v: number[]): number[] => {
      const m = v.reduce((a, b) => a + b, 0) / (v.length || 1);
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length || 1)) || 1;
      return v.map((x) => (x - m) / sd);
    };
    const kz = z(kv);
    const cz = z(cv);
    entries.forEach((e, i) => (e.score = options.alpha * kz[i]! + (1 - options.alpha) * cz[i]!));
  } else {
    const kmax = keyword.reduce((m, h) => Math.max(m, h.score), 0) || 1;
    const kscore = new Map(keyword.map((h) => [h.index, h.score / kmax]));
    const cos = new Map<number, number>();
    for (const e of out.values()) cos.set(e.index, cosineOf(e.index));
    const values = [...cos.values()];
    const cmin = Math.min(...values);
    const cmax = Math.max(...values);
    const span = cmax - cmin || 1;
    for (const e of out.values()) {
      const s = ((cos.get(e.index) ?? cmin) - cmin) / span;
      e.score = options.alpha * (kscore.get(e.index) ?? 0) + (1 - options.alpha) * s;
    }
  }
  return [...out.values()].sort((a, b) => b.score - a.score || a.index - b.index);
}
