/**
 * What the routes serve from: the search engine over the current index, swapped atomically when
 * a new index is loaded (a request sees the old engine or the new one, never a mix).
 */
import type { RefusedIndex } from '../core/api-types.ts';
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
  private current: SearchEngine;
  readonly options: ServiceOptions;
  /** A newer index on disk that failed to load (shown by /api/health), until one loads or the manifest is back to the served build. */
  refused: RefusedIndex | null = null;

  constructor(engine: SearchEngine, options: ServiceOptions) {
    this.current = engine;
    this.options = options;
  }

  get engine(): SearchEngine {
    return this.current;
  }

  /** Switch to a new engine; requests already running keep the one they started with. */
  swap(engine: SearchEngine): SearchEngine {
    const old = this.current;
    this.current = engine;
    return old;
  }
}
