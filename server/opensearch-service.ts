/**
 * With ENGINE=opensearch: the product over the OpenSearch engine, with the embedder the index
 * was built with. OpenSearch need not answer at start-up: the server then starts with the
 * configured embedder, answers 503 until OpenSearch is back, and refuses meaning searches if the
 * index turns out to be built with another model.
 */
import type { Config } from '../core/config.ts';
import { EngineSearch } from '../core/engine-search.ts';
import { loadEmbedder, resolveEmbedderId } from '../embed/registry.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { OpenSearchEngine } from '../opensearch/engine.ts';

export async function openSearchProduct(cfg: Config, warn: (message: string) => void): Promise<EngineSearch> {
  const engine = new OpenSearchEngine(new OpenSearchClient(cfg.opensearch), { alias: cfg.opensearch.index });
  let embedderId: string;
  try {
    embedderId = (await engine.view()).info.embedder.id;
  } catch (err) {
    embedderId = resolveEmbedderId(undefined, cfg);
    warn(`server: OpenSearch index "${cfg.opensearch.index}" at ${cfg.opensearch.url} not readable at start (${(err as Error).message}); answering 503 until it is, embedder ${embedderId}`);
  }
  // In a worker thread, as for the embedded engine (server/main.ts): embedding never holds the main thread.
  const embedder = await loadEmbedder(embedderId, { thread: true, threads: cfg.queryEmbedThreads, ...(cfg.modelsDir ? { modelsDir: cfg.modelsDir } : {}) });
  return new EngineSearch(engine, embedder);
}
