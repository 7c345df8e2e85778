/**
 * A test file's scratch folder under test/.tmp (emptied before the file runs) and the real
 * default embedder, loaded once for the file and disposed after it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Embedder } from '../../core/embedder.ts';
import { loadEmbedder, resolveEmbedderId } from '../../embed/registry.ts';
import { ROOT } from './corpus-index.ts';

export interface Scratch {
  dir: string;
  /** The embedder (available once the file's beforeAll hooks have run). */
  embedder(): Embedder;
}

export function useScratch(name: string): Scratch {
  const dir = resolve(ROOT, 'test', '.tmp', name);
  let embedder: Embedder | undefined;
  beforeAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    embedder = await loadEmbedder(resolveEmbedderId());
  });
  afterAll(async () => {
    await embedder?.dispose();
  });
  return {
    dir,
    embedder: () => {
      if (!embedder) throw new Error('useScratch: the embedder is loaded in beforeAll');
      return embedder;
    },
  };
}
