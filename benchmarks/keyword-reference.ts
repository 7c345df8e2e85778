/**
 * The keyword scoring of core/keyword-search.ts as it was before it was made faster (2026-11-24,
 * issue 9), kept unchanged as the reference the fast runKeyword must agree with exactly: every
 * posting of every term scored term by term, thesaurus alternatives through Maps, then
 * coordination, exclusions, phrases, filters, group totals and a TopK. Used by
 * test/keyword-fast.test.ts and benchmarks/keyword-speed.ts (--check); not by the product.
 */
import { LUCENE_BM25, type Bm25Params, type InvertedIndex } from '../core/inverted-index.ts';
import { pairTerm, type KeywordIndex } from '../core/keyword-index.ts';
import { normalizeTerm, queryTerms } from '../core/keyword-options.ts';
import { anyOf, excludedIds, type KeywordPlan, type KeywordResult, type KeywordRunOptions } from '../core/keyword-search.ts';
import type { Unit } from '../core/query.ts';
import { tokensOf, wordsOf } from '../core/text-match.ts';
import { TopK } from '../core/top-k.ts';

/** Per index: score, clause-count and touched-row buffers reused across queries (each run is synchronous). */
const scratch = new WeakMap<KeywordIndex, { scores: Float32Array; clauses: Uint16Array; covered: Float32Array; coveredByReport: Float32Array; stamp: Int32Array; touched: Int32Array }>();

/**
 * Score every chunk that has any query term (BM25 summed over the plan's weighted terms), drop
 * excluded chunks and those without the required phrases, and return the best k.
 */
export function runKeywordReference(index: KeywordIndex, plan: KeywordPlan, exclude: Unit[], options: KeywordRunOptions, bm25: Bm25Params = LUCENE_BM25): KeywordResult {
  if (plan.clauses.length === 0) return { hits: [], unfiltered: [], total: 0, groups: new Set() };
  let buf = scratch.get(index);
  if (!buf) {
    const n = index.size;
    buf = { scores: new Float32Array(n), clauses: new Uint16Array(n), covered: new Float32Array(n), coveredByReport: new Float32Array(n), stamp: new Int32Array(n).fill(-1), touched: new Int32Array(n) };
    scratch.set(index, buf);
  }
  const { scores, clauses, covered, coveredByReport, stamp, touched } = buf;
  const reportClause = new Uint8Array(plan.clauses.length);
  for (const c of options.reportClauses?.clauses ?? []) if (c < reportClause.length) reportClause[c] = 1;
  let count = 0;
  /** Add weight * BM25 of a term to `into` (or `scores`), marking each chunk as having clause c. */
  const scoreTerm = (inv: InvertedIndex, termId: number, weight: number, c: number, into: Float32Array | Map<number, number>): void => {
    if (termId < 0) return;
    const idf = inv.idf(termId) * weight;
    const norm = bm25.k1 * (1 - bm25.b);
    const perLength = (bm25.k1 * bm25.b) / (inv.avgLength || 1);
    const { docs, tfs, lengths } = inv;
    const end = inv.offsets[termId + 1]!;
    for (let p = inv.offsets[termId]!; p < end; p++) {
      const d = docs[p]!;
      const tf = tfs[p]!;
      const s = (idf * tf) / (tf + norm + perLength * lengths[d]!);
      if (into instanceof Float32Array) into[d]! += s;
      else into.set(d, (into.get(d) ?? 0) + s);
      if (stamp[d] !== c) {
        if (stamp[d] === -1) touched[count++] = d;
        stamp[d] = c;
        clauses[d]!++;
        covered[d]! += plan.clauseWeights[c] ?? 0;
        if (reportClause[c]) coveredByReport[d]! += plan.clauseWeights[c] ?? 0;
      }
    }
  };
  plan.clauses.forEach((terms, c) => {
    // Per chunk: each thesaurus alternative's score, to keep only the best (see WeightedTerm).
    const alternatives = new Map<number, Map<number, number>>();
    for (const t of terms) {
      if (t.alternative === undefined) {
        scoreTerm(index[t.field], t.id, t.weight, c, scores);
        continue;
      }
      let alt = alternatives.get(t.alternative);
      if (!alt) alternatives.set(t.alternative, (alt = new Map()));
      scoreTerm(index[t.field], t.id, t.weight, c, alt);
    }
    if (alternatives.size === 0) return;
    const best = new Map<number, number>();
    for (const alt of alternatives.values()) for (const [d, s] of alt) if (s > (best.get(d) ?? 0)) best.set(d, s);
    for (const [d, s] of best) scores[d]! += s;
  });
  const excluded = excludedIds(index, exclude, options.textOf);
  const required = plan.phrases.map((units) => ({ rows: phraseRows(index, units), matches: anyOf(units) }));
  const accept = (d: number): boolean => {
    if (excluded.size > 0 && excluded.has(d)) return false;
    if (required.length === 0) return true;
    if (!required.every((r) => r.rows.has(d))) return false;
    const toks = tokensOf(options.textOf(d));
    return required.every((r) => r.matches(toks));
  };
  const all = plan.clauses.length;
  // Coordination: the share of the clauses' weight a chunk matches (a report's own clauses count as matched in it).
  const totalWeight = plan.clauseWeights.reduce((a, b) => a + b, 0);
  const byReport = (options.reportClauses?.clauses ?? []).reduce((a, c) => a + (plan.clauseWeights[c] ?? 0), 0);
  const coord = plan.coord > 0 && totalWeight > 0 && plan.clauses.length > 1
    ? (d: number): number => {
        const matched = covered[d]! + (byReport > 0 && options.reportClauses!.has(d) ? byReport - coveredByReport[d]! : 0);
        return plan.coord === 1 ? matched / totalWeight : Math.pow(matched / totalWeight, plan.coord);
      }
    : null;
  const best = new TopK(options.k);
  // Facets count the best rows whatever the filters: without filters, those are the hits.
  const unfiltered = options.allow ? new TopK(options.k) : null;
  let total = 0;
  const groups = new Set<number>();
  const { boost, allow, groupOf } = options;
  for (let i = 0; i < count; i++) {
    const d = touched[i]!;
    if (!accept(d)) continue;
    const score = (boost ? scores[d]! * boost(d) : scores[d]!) * (coord ? coord(d) : 1);
    if (unfiltered) {
      unfiltered.offer(d, score);
      if (!allow!(d)) continue;
    }
    if (groupOf) groups.add(groupOf[d]!);
    else total++;
    if (score > best.floor) best.offer(d, score);
  }
  if (groupOf) total = groups.size;
  const hits = best.result().map((h) => ({ ...h, all: clauses[h.index] === all }));
  for (let i = 0; i < count; i++) {
    const d = touched[i]!;
    scores[d] = 0;
    clauses[d] = 0;
    covered[d] = 0;
    coveredByReport[d] = 0;
    stamp[d] = -1;
  }
  return { hits, unfiltered: (unfiltered ?? best).result(), total, groups };
}

/**
 * Chunks that may hold one of the phrase units (the text matcher decides): those with every word
 * and every adjacent pair of it, taken from the rarest of these lists. A phrase's last word may
 * run on ("outline" -> "outlines"), so for it every term starting with its stem counts.
 */
function phraseRows(index: KeywordIndex, units: Unit[]): Set<number> {
  const out = new Set<number>();
  for (const u of units) {
    if (u.kind === 'prefix') continue;
    const words = wordsOf(u.text);
    const stems = queryTerms(u.text);
    if (stems.length === 0) continue;
    const runsOn = u.kind === 'phrase' && normalizeTerm(words[words.length - 1]!) !== null;
    // Each source is a union of posting lists; a chunk of the phrase is in every source.
    const sources: Array<Array<{ inv: InvertedIndex; id: number }>> = stems.map((s, i) =>
      runsOn && i === stems.length - 1
        ? index.words.withPrefix(s, 5000).map((id) => ({ inv: index.words, id }))
        : [{ inv: index.words, id: index.words.termId(s) }],
    );
    stems.slice(1).forEach((s, i) => {
      const pair = pairTerm(stems[i]!, s);
      sources.push(
        runsOn && i === stems.length - 2
          ? index.pairs.withPrefix(pair, 5000).map((id) => ({ inv: index.pairs, id }))
          : [{ inv: index.pairs, id: index.pairs.termId(pair) }],
      );
    });
    const size = (src: Array<{ inv: InvertedIndex; id: number }>): number => src.reduce((n, l) => n + l.inv.df(l.id), 0);
    if (sources.some((src) => size(src) === 0)) continue;
    const rarest = sources.reduce((a, b) => (size(b) < size(a) ? b : a));
    for (const l of rarest) l.inv.forEachPosting(l.id, (d) => out.add(d));
  }
  return out;
}

