/**
 * What the routes serve from: the search engine over the current index, swapped atomically when
 * a new index is loaded (a request sees the old engine or the new one, never a mix); or, with
 * ENGINE=opensearch, the product over a remote engine (`remote`), whose own views switch builds.
 */
import type { RefusedIndex } from '../core/api-types.ts';
import { EngineSearch } from '../core/engine-search.ts';
import { AppError } from '../core/errors.ts';
import type { SearchEngine } from '../core/search.ts';

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
  private current: SearchEngine | null;
  /** The remote engine's product (ENGINE=opensearch), or null for the embedded engine. */
  readonly remote: EngineSearch | null;
  readonly options: ServiceOptions;
  /** A newer index on disk that failed to load (shown by /api/health), until one loads or the manifest is back to the served build. */
  refused: RefusedIndex | null = null;

  constructor(engine: SearchEngine | EngineSearch, options: ServiceOptions) {
    this.remote = engine instanceof EngineSearch ? engine : null;
    this.current = engine instanceof EngineSearch ? null : engine;
    this.options = options;
  }

  /** The embedded engine; with a remote engine every route answers from `remote`, so reaching this is a route's mistake (501). */
  get engine(): SearchEngine {
    if (!this.current) throw new AppError('not_implemented', 'Request: this endpoint is not answered with ENGINE=opensearch yet (docs/scale-out.md); use ENGINE=embedded');
    return this.current;
  }

  /** The embedded engine, or null with a remote one. */
  get embedded(): SearchEngine | null {
    return this.current;
  }

  /** Switch to a new engine; requests already running keep the one they started with. */
  swap(engine: SearchEngine): SearchEngine {
    const old = this.engine;
    this.current = engine;
    return old;
  }
}
