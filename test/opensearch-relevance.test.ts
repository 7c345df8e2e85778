/**
 * Relevance parity on the judged dev queries: the same seed reports indexed by the embedded
 * engine and written into a real OpenSearch (OPENSEARCH_TEST_URL, default 127.0.0.1:9200), each
 * mode scored by the same harness, the embedded engine with its default ranking. OpenSearch must
 * be within 0.02 nDCG@10 and MRR@10 of the embedded engine or better; the figures are printed and
 * recorded in docs/scale-out.md.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchMode } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import type { EngineSearch } from '../core/engine-search.ts';
import { SearchEngine } from '../core/search.ts';
import type { OpenSearchClient } from '../opensearch/client.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { evaluate, evaluateRanker } from '../benchmarks/eval.ts';
import type { JudgedQuery } from '../benchmarks/relevance.ts';
import { CORPUS_DIR, ROOT, SHARED_DIR } from './helpers/corpus-index.ts';
import { deleteIndexes, openSearchProduct, requireOpenSearch, writeTestIndex } from './helpers/opensearch.ts';
import { requireFile } from './helpers/requirement.ts';

const QUERIES = join(SHARED_DIR, 'eval', 'dev-queries.json');
const ALIAS = 'test-relevance-seeds';
const judged = requireFile(QUERIES, 'the judged dev queries (../shared/eval)');
/** How far below the embedded engine OpenSearch may score (nDCG@10, MRR@10). */
const TOLERANCE = 0.02;

describe.skipIf(judged.skip)('relevance parity on the dev queries: OpenSearch against the embedded engine', () => {
  let embedded: SearchEngine;
  let remote: EngineSearch;
  let embedder: Embedder;
  let client: OpenSearchClient;
  let queries: JudgedQuery[];

  beforeAll(async () => {
    judged.assert();
    client = await requireOpenSearch();
    queries = (JSON.parse(await readFile(QUERIES, 'utf8')) as { queries: JudgedQuery[] }).queries;
    const indexDir = resolve(ROOT, 'test', '.tmp', 'seeds-index');
    await buildIndex({ corpusDir: join(CORPUS_DIR, 'seeds'), indexDir, progress: { silent: true } });
    const index = await loadIndex(indexDir);
    embedder = await loadIndexEmbedder(index);
    embedded = new SearchEngine(index, embedder);
    await deleteIndexes(client, ALIAS);
    await writeTestIndex(client, index, ALIAS);
    remote = openSearchProduct(client, ALIAS, embedder, 60_000);
  });
  afterAll(async () => {
    await embedder?.dispose();
    if (client) await deleteIndexes(client, ALIAS);
  });

  for (const mode of ['keyword', 'semantic', 'hybrid'] as SearchMode[]) {
    it(`${mode}: within ${TOLERANCE} nDCG@10 and MRR@10 of the embedded engine's default ranking, or better`, async () => {
      const a = await evaluate(embedded, queries, mode, `embedded ${mode}`);
      const b = await evaluateRanker(async (q) => (await remote.search({ q, mode, limit: 100 })).results, queries, `opensearch ${mode}`);
      const line = (r: typeof a): string => `nDCG@10 ${r.scores.ndcg10.toFixed(3)} MRR@10 ${r.scores.mrr10.toFixed(3)} recall@10 ${r.scores.recall10.toFixed(3)}`;
      console.log(`${mode}: embedded ${line(a)} | opensearch ${line(b)}`);
      expect(b.scores.ndcg10).toBeGreaterThanOrEqual(a.scores.ndcg10 - TOLERANCE);
      expect(b.scores.mrr10).toBeGreaterThanOrEqual(a.scores.mrr10 - TOLERANCE);
    });
  }
});
