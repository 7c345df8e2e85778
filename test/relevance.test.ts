/**
 * The relevance harness on the judged dev queries: hybrid must not be worse than keyword, and
 * each mode must stay above a floor set a little under the figures in docs/relevance.md.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchMode } from '../core/api-types.ts';
import { SearchEngine } from '../core/search.ts';
import type { Embedder } from '../core/embedder.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { evaluate } from '../benchmarks/eval.ts';
import type { JudgedQuery } from '../benchmarks/relevance.ts';
import { CORPUS_DIR, ROOT, SHARED_DIR } from './helpers/corpus-index.ts';
import { requireFile } from './helpers/requirement.ts';

const QUERIES = join(SHARED_DIR, 'eval', 'dev-queries.json');
const SEEDS = join(CORPUS_DIR, 'seeds');
const judged = requireFile(QUERIES, 'the judged dev queries (../shared/eval)');

const FLOORS: Record<SearchMode, number> = { keyword: 0.5, semantic: 0.53, hybrid: 0.6 };

describe.skipIf(judged.skip)('relevance on the dev queries', () => {
  let engine: SearchEngine;
  let embedder: Embedder;
  let queries: JudgedQuery[];
  const ndcg: Partial<Record<SearchMode, number>> = {};

  beforeAll(async () => {
    judged.assert();
    queries = (JSON.parse(await readFile(QUERIES, 'utf8')) as { queries: JudgedQuery[] }).queries;
    const indexDir = resolve(ROOT, 'test', '.tmp', 'seeds-index');
    await buildIndex({ corpusDir: SEEDS, indexDir, progress: { silent: true } });
    const index = await loadIndex(indexDir);
    embedder = await loadIndexEmbedder(index);
    engine = new SearchEngine(index, embedder);
  });
  afterAll(async () => {
    await embedder?.dispose();
  });

  for (const mode of ['keyword', 'semantic', 'hybrid'] as SearchMode[]) {
    it(`${mode} stays above its floor`, async () => {
      const row = await evaluate(engine, queries, mode, mode);
      ndcg[mode] = row.scores.ndcg10;
      console.log(`${mode}: nDCG@10 ${row.scores.ndcg10.toFixed(3)} MRR@10 ${row.scores.mrr10.toFixed(3)} recall@10 ${row.scores.recall10.toFixed(3)} recall@100 ${row.scores.recall100.toFixed(3)}`);
      expect(row.scores.ndcg10).toBeGreaterThan(FLOORS[mode]);
    });
  }

  it('hybrid is not worse than keyword', () => {
    expect(ndcg.hybrid).toBeDefined();
    expect(ndcg.hybrid!).toBeGreaterThanOrEqual(ndcg.keyword!);
  });
});
