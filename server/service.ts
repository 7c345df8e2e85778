/**
 * What the routes serve from: the product (core/engine-search.ts) over the current index in
 * memory, swapped atomically when a new index is loaded (a request sees the old index or the new
 * one, never a mix); or, with ENGINE=opensearch, over OpenSearch, whose own views switch builds.
 */
import type { RefusedIndex } from '../core/api-types.ts';
import { EngineSearch } from '../core/engine-search.ts';
import { SearchEngine } from '../core/search.ts';

export interface ServiceOptions {
  /** Folder of the original reports, for /files/. */
  corpusDir: string;
  /** Built web UI (dist/web), or null to serve the API only. */
  webDir: string | null;
  /** Requests per minute per client before 429 (0 = no limit). */
  rateLimitPerMinute?: number;
  /** Clock of the rate limit in ms (default Date.now). */
  now?: () => number;
  /** Log one line per request (default true). */
  log?: ((line: string) => void) | null;
}

export class Service {
  private current: EngineSearch;
  readonly options: ServiceOptions;
  /** A newer index on disk that failed to load (shown by /api/health), until one loads or the manifest is back to the served build. */
  refused: RefusedIndex | null = null;

  constructor(product: EngineSearch, options: ServiceOptions) {
    this.current = product;
    this.options = options;
  }

  /** The product every route answers from: over the index in memory, or over OpenSearch. */
  get product(): EngineSearch {
    return this.current;
  }

  /** The product over the index in memory, or null with ENGINE=opensearch (examples in the API description come from it). */
  get embedded(): SearchEngine | null {
    return this.current instanceof SearchEngine ? this.current : null;
  }

  /** Switch to the product over a new index; requests already running keep the one they started with. */
  swap(engine: SearchEngine): EngineSearch {
    const old = this.current;
    this.current = engine;
    return old;
  }
}
