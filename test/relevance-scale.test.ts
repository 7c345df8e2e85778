/**
 * The relevance harness at scale, on a slice that fits CI: the ../shared/bench-corpus reports plus
 * every scale-corpus report the development known-item queries target (about 130 reports). The
 * default mode must beat the reference BM25 (Lucene's formula, english analyzer, every word ORed)
 * of the same run, and every-mention counts of the judged themes must match the judged counts of
 * the slice's reports (typed
 * plainly and in quotes: the full corpus meets recall and precision >= 0.99 for every theme
 * (docs/relevance.md); on the slice's small counts, at most one occurrence or 1 % may differ, as the
 * judged counts come from another PDF text extractor).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../core/embedder.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { evaluate, evaluateRanker, referenceRanker, type EvalRow } from '../benchmarks/eval.ts';
import { scoreTheme, type JudgedTheme } from '../benchmarks/mention-counts.ts';
import { judgedQueries, type JudgedQuery } from '../benchmarks/relevance.ts';
import { ROOT, SHARED_DIR } from './helpers/corpus-index.ts';
import { requireFile } from './helpers/requirement.ts';
import { copySlice } from './helpers/slice.ts';

const SET = join(SHARED_DIR, 'eval', 'scale', 'known-item.json');
const THEMES = join(SHARED_DIR, 'eval', 'scale', 'every-mention.json');
const SCALE = join(SHARED_DIR, 'scale-corpus');
const BENCH = join(SHARED_DIR, 'bench-corpus');
const needed = requireFile(SET, 'the scale development set (../shared/eval/scale)');

describe.skipIf(needed.skip)('relevance at scale, on the CI slice', () => {
  let index: SearchIndex;
  let embedder: Embedder;
  let queries: JudgedQuery[];
  let themes: JudgedTheme[];
  const rows: Record<string, EvalRow> = {};

  beforeAll(async () => {
    needed.assert();
    queries = judgedQueries(JSON.parse(await readFile(SET, 'utf8')) as { queries: JudgedQuery[] });
    const targets = [...new Set(queries.flatMap((q) => q.relevant.map((r) => r.file)))];
    const corpusDir = resolve(ROOT, 'test', '.tmp', 'relevance-slice');
    await copySlice(corpusDir, [{ from: BENCH }, { from: SCALE, files: targets }]);
    const indexDir = resolve(ROOT, 'test', '.tmp', 'relevance-slice-index');
    await buildIndex({ corpusDir, indexDir, progress: { silent: true } });
    index = await loadIndex(indexDir);
    embedder = await loadIndexEmbedder(index);
    const sliceFiles = new Set(index.docs.map((d) => d.meta.source));
    themes = (JSON.parse(await readFile(THEMES, 'utf8')) as { phrases: JudgedTheme[] }).phrases.map((t) => {
      const files = Object.fromEntries(Object.entries(t.files).filter(([f]) => sliceFiles.has(f)));
      return { ...t, files, occurrences: Object.values(files).reduce((a, b) => a + b, 0), reports: Object.keys(files).length };
    });
  });
  afterAll(async () => {
    await embedder?.dispose();
  });

  it('targets every judged report in the slice', () => {
    const sources = new Set(index.docs.map((d) => d.meta.source));
    for (const q of queries) expect(sources.has(q.relevant[0]!.file), q.relevant[0]!.file).toBe(true);
    expect(index.docs.length).toBeGreaterThan(100);
  });

  it('ranks: hybrid (the default) beats the reference BM25 of the same run, and meaning alone', async () => {
    rows.reference = await evaluateRanker(referenceRanker(index), queries, 'reference');
    const engine = new SearchEngine(index, embedder);
    for (const mode of ['keyword', 'semantic', 'hybrid'] as const) rows[mode] = await evaluate(engine, queries, mode, mode);
    for (const [name, r] of Object.entries(rows)) {
      console.log(`${name}: MRR@10 ${r.scores.mrr10.toFixed(3)} R@10 ${r.scores.recall10.toFixed(3)} R@100 ${r.scores.recall100.toFixed(3)}`);
    }
    expect(rows.hybrid!.scores.mrr10).toBeGreaterThan(rows.reference.scores.mrr10);
    expect(rows.hybrid!.scores.recall10).toBeGreaterThanOrEqual(rows.reference.scores.recall10);
    expect(rows.hybrid!.scores.mrr10).toBeGreaterThan(rows.semantic!.scores.mrr10 + 0.05);
  });

  it('counts every mention of each judged theme as the judged rule does, typed plainly and in quotes', async () => {
    const engine = new SearchEngine(index, null);
    for (const t of themes.filter((x) => x.occurrences > 0)) {
      for (const q of [t.phrase, `"${t.phrase}"`]) {
        const s = await scoreTheme(engine, t, q);
        const hit = s.recall * s.truth;
        const slack = Math.max(1, 0.01 * s.truth) + 1e-9;
        expect(s.truth - hit, `${q}: missed (${s.counted} counted, ${s.truth} judged)`).toBeLessThanOrEqual(slack);
        expect(s.counted - hit, `${q}: extra (${s.counted} counted, ${s.truth} judged)`).toBeLessThanOrEqual(slack);
      }
    }
  });
});
