/**
 * The API app over the shared corpus index, answered through `app.request()` (no socket), with
 * keyword search only (no model loaded): for tests of routes that need no meaning search.
 */
import type { Hono } from 'hono';
import { beforeAll, expect } from 'vitest';
import { SearchEngine } from '../../core/search.ts';
import type { SearchIndex } from '../../core/search-index.ts';
import { createApp } from '../../server/app.ts';
import { loadIndex } from '../../server/load-index.ts';
import { Service } from '../../server/service.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './corpus-index.ts';

export interface ApiApp {
  /** The loaded index (after the file's beforeAll hooks have run). */
  index(): SearchIndex;
  /** GET a path, check its status, parse the JSON body. */
  get<T>(path: string, status?: number): Promise<T>;
}

export function useApiApp(): ApiApp {
  let app: Hono | undefined;
  let index: SearchIndex | undefined;
  beforeAll(async () => {
    index = await loadIndex(await ensureCorpusIndex());
    app = createApp(new Service(new SearchEngine(index, null), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
  });
  return {
    index: () => {
      if (!index) throw new Error('useApiApp: the index is loaded in beforeAll');
      return index;
    },
    async get<T>(path: string, status = 200): Promise<T> {
      if (!app) throw new Error('useApiApp: the app is made in beforeAll');
      const res = await app.request(path);
      const body = await res.text();
      expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(status);
      return JSON.parse(body) as T;
    },
  };
}
