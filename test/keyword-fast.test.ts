/**
 * The fast keyword scoring (core/keyword-search.ts runKeyword) gives exactly what the
 * straightforward form gave (benchmarks/keyword-reference.ts, the code it replaced): on the real
 * index of the shipped reports, for the scale benchmark's generated queries (short and
 * natural-language) and hand-written ones using every feature (thesaurus alternatives, councils
 * named, phrases, exclusions, prefixes, typos, OR), with and without filters, with the weights
 * varied: the same hits in the same order with the same scores, the same unfiltered best rows,
 * totals and near-identical groups.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEYWORD_WEIGHTS, runKeyword, type KeywordResult } from '../core/keyword-search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { compareResults, InspectedEngine, prepare } from '../benchmarks/keyword-speed.ts';
import { runKeywordReference } from '../benchmarks/keyword-reference.ts';
import { querySets } from '../benchmarks/scale-queries.ts';
import { loadIndex } from '../server/load-index.ts';
import { CORPUS_INDEX_DIR } from './helpers/corpus-index.ts';

/** Every feature of the query language and the planner. */
const HAND = [
  'LAC placement stability', 'care leavers', 'CLA health assessments', 'SEND', 'UASC', 'CSE and missing children',
  'children in care council', 'hackney social workers caseloads', 'Havering early help', 'hertfordshire children looked after',
  '"looked after children" health', '"return home interview"', 'exact:"care leavers" education', 'young people -school',
  'placement OR placements stability', '"staying put" OR "staying close"', 'inspect* quality', 'safegaurding board',
  'fostring recruitment', 'the', 'children', 'social work practice is good and managers have oversight of decisions',
  'why do caseworkers in hackney not visit kids often enough', 'multi-agency safeguarding hub MASH thresholds -police',
];

const FILTERS: Array<Record<string, unknown>> = [{}, { from: 2016, to: 2019 }, { type: ['ilacs'] }, { council: ['Hackney'] }];

let index: SearchIndex;
let queries: string[];

beforeAll(async () => {
  index = await loadIndex(CORPUS_INDEX_DIR);
  const sets = querySets(
    index.chunks.map((c) => c.text),
    index.docs.flatMap((d) => (d.meta.council ? [d.meta.council] : [])),
    { perSet: 60, sets: 1 },
  );
  queries = [...HAND, ...sets.short[0]!, ...sets.natural[0]!];
});

/** Run both forms on every query and filter; what differs, and how often each path was taken. */
function compareAll(engine: InspectedEngine, filters: Array<Record<string, unknown>>, k?: number) {
  const diffs: string[] = [];
  const seen = { runs: 0, alternatives: 0, reportClauses: 0, boost: 0, phrases: 0, exclude: 0, filtered: 0, hits: 0, partial: 0 };
  for (const q of queries) {
    for (const f of filters) {
      let p: ReturnType<typeof prepare>;
      try {
        p = prepare(engine, index.keyword, q, f);
      } catch {
        continue; // no words to search for
      }
      if (k !== undefined) p.options.k = k;
      const a: KeywordResult = runKeywordReference(index.keyword, p.plan, p.exclude, p.options, engine.tuning.keyword.bm25);
      const b: KeywordResult = runKeyword(index.keyword, p.plan, p.exclude, p.options, engine.tuning.keyword.bm25);
      seen.runs++;
      if (p.plan.clauses.some((c) => c.some((t) => t.alternative !== undefined))) seen.alternatives++;
      if (p.options.reportClauses) seen.reportClauses++;
      if (p.options.boost) seen.boost++;
      if (p.plan.phrases.length > 0) seen.phrases++;
      if (p.exclude.length > 0) seen.exclude++;
      if (p.options.allow && a.hits.length > 0 && a.hits.length < a.unfiltered.length) seen.filtered++;
      if (a.hits.length > 0) seen.hits++;
      if (a.hits.some((h) => !h.all)) seen.partial++;
      for (const d of compareResults(a, b)) diffs.push(`"${q}" ${JSON.stringify(f)}: ${d}`);
      // Scores agree to the bit (same arithmetic in the same order), not only to a tolerance.
      if (a.hits.some((h, i) => h.score !== b.hits[i]?.score)) diffs.push(`"${q}" ${JSON.stringify(f)}: scores differ in the last bits`);
    }
  }
  return { diffs, seen };
}

describe('fast keyword scoring = the straightforward form', () => {
  it('gives the same hits, scores, unfiltered rows, totals and groups on generated and hand-written queries, filtered or not', () => {
    const { diffs, seen } = compareAll(new InspectedEngine(index, null), FILTERS);
    expect(diffs).toEqual([]);
    // Every path was taken (a comparison that never meets a feature proves nothing about it).
    expect(seen.runs).toBeGreaterThan(400);
    for (const [path, n] of Object.entries(seen)) expect(n, path).toBeGreaterThan(0);
  });

  it('agrees with other weights: no coordination, coordination squared, no thesaurus weight, other BM25', () => {
    const variants = [
      { ...DEFAULT_KEYWORD_WEIGHTS, coord: 0 },
      { ...DEFAULT_KEYWORD_WEIGHTS, coord: 2 },
      { ...DEFAULT_KEYWORD_WEIGHTS, synonym: 0, pair: 0 },
      { ...DEFAULT_KEYWORD_WEIGHTS, bm25: { k1: 0.9, b: 0.4 } },
    ];
    for (const keyword of variants) {
      const { diffs } = compareAll(new InspectedEngine(index, null, { keyword }), [{}, { from: 2016, to: 2019 }]);
      expect(diffs, JSON.stringify(keyword)).toEqual([]);
    }
  });

  it('gives the same after a run that threw (a caller\'s textOf) as the reference does', () => {
    const engine = new InspectedEngine(index, null);
    const p = prepare(engine, index.keyword, '"looked after children" health visits');
    expect(p.plan.phrases.length).toBeGreaterThan(0);
    expect(() => runKeyword(index.keyword, p.plan, p.exclude, { ...p.options, textOf: () => { throw new Error('gone'); } })).toThrow('gone');
    for (const q of ['children', 'care leavers health', ...queries.slice(0, 20)]) {
      const r = prepare(engine, index.keyword, q);
      expect(compareResults(runKeywordReference(index.keyword, r.plan, r.exclude, r.options), runKeyword(index.keyword, r.plan, r.exclude, r.options)), q).toEqual([]);
    }
  });

  it('agrees for small and large k (fewer hits than matches, more room than matches)', () => {
    for (const k of [1, 10, 5000]) {
      const { diffs } = compareAll(new InspectedEngine(index, null), [{}, { type: ['ilacs'] }], k);
      expect(diffs, `k=${k}`).toEqual([]);
    }
  });
});
