/**
 * Keyword scoring in-process (core/keyword-search.ts runKeyword), on a saved index and, with
 * --copies N, on its keyword index replicated N times in memory (chunk j*N0 + r is copy j of row
 * r, same near-identical group, as `npm run bench:replicate` makes them): latency p50/p95/p99 of
 * the scale benchmark's generated queries (benchmarks/scale-queries.ts, short and
 * natural-language, reported separately), each query planned and run with the options the search
 * engine gives it (k = 1000, near-identical groups, a council named in the text as a boost and as
 * matched clauses), and, with --check, the same queries (and filtered variants) compared with the
 * reference implementation (benchmarks/keyword-reference.ts): same hits in the same order, same
 * scores, totals and groups.
 *
 * usage: node --import tsx benchmarks/keyword-speed.ts [--index data/scale] [--copies 1] [--per 300]
 *        [--check] [--reference] [--search] [--rounds 1]
 *   --reference  time the reference implementation instead of runKeyword
 *   --both       time both, alternately, query by query (the same load for both)
 *   --rounds N   run every query N times; "Best" figures take each query's fastest run
 *   --search     also time the whole engine.search (keyword mode; only with --copies 1)
 */
import { resolve } from 'node:path';
import { cliArgs } from '../scripts/cli.ts';
import { docPredicate } from '../core/filters.ts';
import { InvertedIndex } from '../core/inverted-index.ts';
import { KeywordIndex } from '../core/keyword-index.ts';
import { planKeywordQuery, runKeyword, type KeywordPlan, type KeywordResult, type KeywordRunOptions } from '../core/keyword-search.ts';
import { prepareQuery } from '../core/prepared-query.ts';
import type { Filters, ParsedQuery, Unit } from '../core/query.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { loadIndex } from '../server/load-index.ts';
import { runKeywordReference } from './keyword-reference.ts';
import { querySets } from './scale-queries.ts';

/** The keyword index of `copies` copies of every chunk: row j * n + r is copy j of row r. */
export function replicateKeyword(index: KeywordIndex, copies: number): KeywordIndex {
  const n = index.size;
  const rep = (inv: InvertedIndex): InvertedIndex => {
    const terms = inv.terms.length;
    const offsets = new Uint32Array(terms + 1);
    const docs = new Uint32Array(inv.docs.length * copies);
    const tfs = new Uint16Array(inv.docs.length * copies);
    let at = 0;
    for (let t = 0; t < terms; t++) {
      offsets[t] = at;
      const a = inv.offsets[t]!;
      const b = inv.offsets[t + 1]!;
      for (let j = 0; j < copies; j++) {
        for (let p = a; p < b; p++) {
          docs[at] = inv.docs[p]! + j * n;
          tfs[at++] = inv.tfs[p]!;
        }
      }
    }
    offsets[terms] = at;
    const lengths = new Uint32Array(n * copies);
    for (let j = 0; j < copies; j++) lengths.set(inv.lengths, j * n);
    return new InvertedIndex({ terms: inv.terms, offsets, docs, tfs, lengths });
  };
  const groups = new Int32Array(n * copies);
  for (let j = 0; j < copies; j++) groups.set(index.groups, j * n);
  return new KeywordIndex(rep(index.words), rep(index.pairs), rep(index.sections), groups);
}

interface Prepared {
  q: string;
  parsed: ParsedQuery;
  plan: KeywordPlan;
  exclude: Unit[];
  options: KeywordRunOptions;
}

/** The search engine with the steps it takes before a keyword run opened to this benchmark. */
export class InspectedEngine extends SearchEngine {
  keywordContext(parsed: ParsedQuery, filters: Filters, plan: KeywordPlan): { docBoost: Float32Array | null; reportClauses: KeywordRunOptions['reportClauses'] } {
    const { boosts, named } = this.understood(this.embedded, parsed, filters);
    const docBoost = boosts.size > 0 ? Float32Array.from(this.index.docs, (d) => boosts.get(d.meta.id) ?? 1) : null;
    return { docBoost, reportClauses: this.embedded.reportClauses(plan, named) };
  }
}

/**
 * Plan a query and make the run options exactly as core/search.ts does for keyword mode (its
 * own understood / reportClauses steps), on `keyword` (a replica of the engine's index when
 * copies > 1: rows map to row % n of the original).
 */
export function prepare(engine: InspectedEngine, keyword: KeywordIndex, q: string, filters: Record<string, unknown> = {}): Prepared {
  const index: SearchIndex = engine.index;
  const n = index.chunks.length;
  const { parsed, filters: f } = prepareQuery(q, filters);
  const plan = planKeywordQuery(parsed, keyword, engine.tuning.thesaurus, engine.tuning.keyword);
  const { docBoost, reportClauses: rc } = engine.keywordContext(parsed, f, plan);
  const allowDoc = docPredicate(f);
  const allowed = index.docs.map((d) => allowDoc(d.meta));
  const filtered = Object.keys(filters).length > 0;
  const options: KeywordRunOptions = {
    textOf: (i) => index.chunks[i % n]!.text,
    k: 1000,
    allow: filtered ? (row) => allowed[index.chunkDoc[row % n]!]! : undefined,
    boost: docBoost ? (row) => docBoost[index.chunkDoc[row % n]!]! : undefined,
    groupOf: keyword.groups,
    reportClauses: rc ? { clauses: rc.clauses, has: (row) => rc.has(row % n) } : undefined,
  };
  return { q, parsed, plan, exclude: parsed.exclude, options };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summary(times: number[]): { p50: number; p95: number; p99: number; max: number; mean: number } {
  const t = [...times].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { p50: r(percentile(t, 50)), p95: r(percentile(t, 95)), p99: r(percentile(t, 99)), max: r(t[t.length - 1] ?? 0), mean: r(t.reduce((a, b) => a + b, 0) / Math.max(1, t.length)) };
}

/** Differences between two results (empty when identical up to float tolerance). */
export function compareResults(a: KeywordResult, b: KeywordResult): string[] {
  const out: string[] = [];
  const same = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  if (a.total !== b.total) out.push(`total ${a.total} != ${b.total}`);
  if (a.groups.size !== b.groups.size || [...a.groups].some((g) => !b.groups.has(g))) out.push(`groups differ (${a.groups.size} vs ${b.groups.size})`);
  for (const [name, x, y] of [['hits', a.hits, b.hits], ['unfiltered', a.unfiltered, b.unfiltered]] as const) {
    if (x.length !== y.length) out.push(`${name}: ${x.length} != ${y.length}`);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i]!.index !== y[i]!.index || !same(x[i]!.score, y[i]!.score)) {
        out.push(`${name}[${i}]: ${x[i]!.index}@${x[i]!.score} != ${y[i]!.index}@${y[i]!.score}`);
        break;
      }
    }
  }
  for (let i = 0; i < Math.min(a.hits.length, b.hits.length); i++) {
    if (a.hits[i]!.all !== b.hits[i]!.all) {
      out.push(`hits[${i}].all ${a.hits[i]!.all} != ${b.hits[i]!.all}`);
      break;
    }
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = cliArgs('usage: see benchmarks/keyword-speed.ts', {
    options: {
      index: { type: 'string', default: 'data/scale' },
      copies: { type: 'string', default: '1' },
      per: { type: 'string', default: '300' },
      rounds: { type: 'string', default: '1' },
      check: { type: 'boolean', default: false },
      reference: { type: 'boolean', default: false },
      search: { type: 'boolean', default: false },
      both: { type: 'boolean', default: false },
    },
  });
  const copies = Number(values.copies);
  const per = Number(values.per);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const t0 = performance.now();
  const index = await loadIndex(resolve(values.index));
  const engine = new InspectedEngine(index, null);
  log(`loaded ${index.chunks.length} chunks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const keyword = copies > 1 ? replicateKeyword(index.keyword, copies) : index.keyword;
  if (copies > 1) log(`replicated x${copies}: ${keyword.size} chunks`);
  const councils = index.docs.flatMap((d) => (d.meta.council ? [d.meta.council] : []));
  const sets = querySets(index.chunks.map((c) => c.text), councils, { perSet: per, sets: 1 });
  const out: Record<string, unknown> = { index: values.index, copies, chunks: keyword.size, per, load: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100) };
  for (const kind of ['short', 'natural'] as const) {
    const queries = sets[kind][0]!;
    if (values.check) {
      let bad = 0;
      let checked = 0;
      const years = [2015, 2018, 2022];
      for (const [i, q] of queries.entries()) {
        const variants: Array<Record<string, unknown>> = [{}];
        if (i % 3 === 0) variants.push({ from: years[i % 3]!, to: years[i % 3]! + 3 });
        if (i % 5 === 0) variants.push({ type: ['ilacs'] });
        for (const filters of variants) {
          let p: Prepared;
          try {
            p = prepare(engine, keyword, q, filters);
          } catch {
            continue;
          }
          const a = runKeywordReference(keyword, p.plan, p.exclude, p.options, engine.tuning.keyword.bm25);
          const b = runKeyword(keyword, p.plan, p.exclude, p.options, engine.tuning.keyword.bm25);
          const d = compareResults(a, b);
          checked++;
          if (d.length > 0) {
            bad++;
            if (bad <= 10) log(`DIFF ${kind} "${q}" ${JSON.stringify(filters)}: ${d.join('; ')}`);
          }
        }
      }
      out[`check_${kind}`] = { checked, differing: bad };
      log(`check ${kind}: ${checked} runs, ${bad} differing`);
    }
    // Timed: the plan (with the engine's options) once per query, then the reference and
    // runKeyword alternately (which goes first alternates too), so both see the same load.
    const rounds = Number(values.rounds);
    const plan: number[] = [];
    const ref: number[][] = queries.map(() => []);
    const ours: number[][] = queries.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, q] of queries.entries()) {
        const a = performance.now();
        const p = prepare(engine, keyword, q);
        if (r === 0) plan.push(performance.now() - a);
        const time = (f: typeof runKeyword): number => {
          const t = performance.now();
          f(keyword, p.plan, p.exclude, p.options, engine.tuning.keyword.bm25);
          return performance.now() - t;
        };
        if (!values.reference && (i + r) % 2 === 0) {
          ours[i]!.push(time(runKeyword));
          if (values.both) ref[i]!.push(time(runKeywordReference));
        } else {
          if (values.both || values.reference) ref[i]!.push(time(runKeywordReference));
          if (!values.reference) ours[i]!.push(time(runKeyword));
        }
      }
    }
    const first = (t: number[][]): number[] => t.filter((x) => x.length > 0).map((x) => x[0]!);
    const best = (t: number[][]): number[] => t.filter((x) => x.length > 0).map((x) => Math.min(...x));
    out[kind] = {
      plan: summary(plan),
      ...(values.both || values.reference ? { reference: summary(first(ref)), referenceBest: rounds > 1 ? summary(best(ref)) : undefined } : {}),
      ...(values.reference ? {} : { runKeyword: summary(first(ours)), runKeywordBest: rounds > 1 ? summary(best(ours)) : undefined }),
    };
    if (values.search && copies === 1) {
      const st: number[] = [];
      for (const q of queries) {
        const a = performance.now();
        await engine.search({ q, mode: 'keyword', limit: 10 });
        st.push(performance.now() - a);
      }
      out[`search_${kind}`] = summary(st);
    }
  }
  out.loadAfter = (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
