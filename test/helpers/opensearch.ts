/**
 * The OpenSearch the tests use: OPENSEARCH_TEST_URL, default http://127.0.0.1:9200 (CI starts
 * one node there with `npm run opensearch -- start`). Not reachable is a failure, never a skip:
 * the message says how to start one. Each test file writes its own aliases (a prefix per file)
 * and deletes them and their indexes afterwards.
 */
import type { Embedder } from '../../core/embedder.ts';
import { EngineSearch } from '../../core/engine-search.ts';
import type { SearchIndex } from '../../core/search-index.ts';
import { OpenSearchClient } from '../../opensearch/client.ts';
import { OpenSearchEngine } from '../../opensearch/engine.ts';
import { writeOpenSearchIndex, type WriteSummary } from '../../opensearch/write-index.ts';

export const OPENSEARCH_TEST_URL = (process.env.OPENSEARCH_TEST_URL ?? 'http://127.0.0.1:9200').replace(/\/+$/, '');

/** First HTTP port of the failover test's own 2-node cluster (default 9280). */
export const OPENSEARCH_FAILOVER_PORT = Number(process.env.OPENSEARCH_FAILOVER_PORT ?? 9280);

export function testClient(url = OPENSEARCH_TEST_URL, timeoutMs = 30_000): OpenSearchClient {
  return new OpenSearchClient({ url, user: null, password: null, ca: null, timeoutMs });
}

/** Throws (the test fails) unless OpenSearch answers at OPENSEARCH_TEST_URL. */
export async function requireOpenSearch(): Promise<OpenSearchClient> {
  const client = testClient();
  try {
    await client.request('GET', '/_cluster/health?wait_for_status=yellow&timeout=30s', undefined, { timeoutMs: 40_000 });
  } catch (err) {
    throw new Error(
      `OpenSearch is not reachable at ${OPENSEARCH_TEST_URL} (${(err as Error).message}). ` +
        'Start one with "npm run opensearch -- start" (or start one on another port and set OPENSEARCH_TEST_URL).',
    );
  }
  return client;
}

/** Write `index` behind `alias` (a new build each call). */
export function writeTestIndex(
  client: OpenSearchClient,
  index: SearchIndex,
  alias: string,
  options: { beforeSwitch?: (name: string) => Promise<void>; shards?: number; replicas?: number } = {},
): Promise<WriteSummary> {
  return writeOpenSearchIndex(client, index, { alias, shards: 1, replicas: 0, ...options });
}

/** The product over the OpenSearch alias. */
export function openSearchProduct(client: OpenSearchClient, alias: string, embedder: Embedder | null, aliasTtlMs = 0): EngineSearch {
  return new EngineSearch(new OpenSearchEngine(client, { alias, aliasTtlMs }), embedder);
}

/** Delete every index whose name starts with `prefix` (and so their aliases). */
export async function deleteIndexes(client: OpenSearchClient, prefix: string): Promise<void> {
  const rows = await client.request<Array<{ index: string }>>('GET', `/_cat/indices/${prefix}*?format=json`);
  for (const r of rows) await client.request('DELETE', `/${r.index}`, undefined, { allow404: true });
}
