/**
 * The index of the shipped corpus/ that API and search tests share: built once with the real
 * default embedder into test/.tmp/corpus-index, and reused (the indexer's no-op run) while the
 * corpus and the pipeline are unchanged.
 */
import { resolve } from 'node:path';
import { buildIndex } from '../../indexer/build.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CORPUS_DIR = resolve(ROOT, 'corpus');
export const CORPUS_INDEX_DIR = resolve(ROOT, 'test', '.tmp', 'corpus-index');
export const SHARED_DIR = resolve(ROOT, '..', 'shared');

export async function ensureCorpusIndex(): Promise<string> {
  await buildIndex({ corpusDir: CORPUS_DIR, indexDir: CORPUS_INDEX_DIR, progress: { silent: true } });
  return CORPUS_INDEX_DIR;
}
