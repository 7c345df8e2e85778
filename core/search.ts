/**
 * Search over an index held in this process: the product (core/engine-search.ts) over the
 * embedded engine (core/embedded-engine.ts), with the index at hand for what only a local index
 * has (examples in the API description, the search CLI, tests and benchmarks).
 */
import type { Embedder } from './embedder.ts';
import { EmbeddedEngine } from './embedded-engine.ts';
import { EngineSearch } from './engine-search.ts';
import type { SearchTuning } from './search-request.ts';
import type { SearchIndex } from './search-index.ts';

export class SearchEngine extends EngineSearch {
  readonly index: SearchIndex;
  readonly embedded: EmbeddedEngine;

  constructor(index: SearchIndex, embedder: Embedder | null, tuning: Partial<SearchTuning> = {}) {
    const embedded = new EmbeddedEngine(index);
    super(embedded, embedder, tuning);
    this.embedded = embedded;
    this.index = index;
  }
}
