/**
 * Load the saved index from a folder and open it for search, with the embedder it was built
 * with. Every part is checked against its SHA-256; a missing, damaged or other-version index
 * raises AppError with an "Index: ..." message.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import { MANIFEST_FILE, decodeIndex, parseManifest } from '../core/index-file.ts';
import { openSearchIndex, type SearchIndex } from '../core/search-index.ts';
import type { VectorSearch } from '../core/vectors.ts';
import { config } from '../core/config.ts';
import { nativeExactSearch } from '../embed/native-vector-search.ts';
import { quantizedSearch } from '../embed/quantized-search.ts';
import { loadEmbedder, type LoadEmbedderOptions } from '../embed/registry.ts';

export async function loadIndex(indexDir: string): Promise<SearchIndex> {
  let json: string;
  try {
    json = await readFile(join(indexDir, MANIFEST_FILE), 'utf8');
  } catch (cause) {
    throw new AppError('index_missing', `Index: no index in ${indexDir}; build one with "npm run index"`, { cause });
  }
  const manifest = parseManifest(json);
  const data = await decodeIndex(manifest, (f) => readFile(join(indexDir, f)));
  return openSearchIndex(manifest, data, vectorSearchFor(manifest.counts.chunks));
}

/** Exact float32 search for most indexes; the int8 scan with exact re-scoring for large ones. */
export function vectorSearchFor(chunks: number, minQuantized = config().quantizedMinChunks): (vectors: Float32Array, dim: number) => VectorSearch {
  return chunks >= minQuantized ? quantizedSearch : nativeExactSearch;
}

/**
 * The embedder the index was built with (query vectors must come from the same model); with
 * `thread`, in a worker thread (the server: embedding then never holds its main thread).
 */
export async function loadIndexEmbedder(index: SearchIndex, options: LoadEmbedderOptions = {}): Promise<Embedder> {
  const embedder = await loadEmbedder(index.manifest.embedder.id, options);
  if (embedder.info.dim !== index.manifest.embedder.dim) {
    await embedder.dispose();
    throw new AppError(
      'embedder_mismatch',
      `Embedder: model "${embedder.info.id}" gives ${embedder.info.dim}-d vectors but the index holds ${index.manifest.embedder.dim}-d; rebuild the index`,
    );
  }
  return embedder;
}
