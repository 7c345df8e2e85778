/** Default folders, from the environment or next to the project. */
import { resolve } from 'node:path';

export function defaultCorpusDir(): string {
  return resolve(process.env.CORPUS_DIR ?? 'corpus');
}

export function defaultIndexDir(): string {
  return resolve(process.env.INDEX_DIR ?? 'data');
}
