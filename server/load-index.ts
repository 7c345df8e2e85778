/**
 * Load the saved index from a folder and open it for search, with the embedder it was built
 * with. Every part is checked against its SHA-256 before it is used (each part read and hashed in
 * a worker thread of its own, server/part-reader.ts, all at once); a missing, damaged or
 * other-version index raises AppError with an "Index: ..." message.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import { MANIFEST_FILE, decodeIndex, parseManifest, type IndexManifest } from '../core/index-file.ts';
import { openSearchIndex, type SearchIndex } from '../core/search-index.ts';
import type { VectorSearch } from '../core/vectors.ts';
import { config } from '../core/config.ts';
import { nativeExactSearch } from '../embed/native-vector-search.ts';
import { quantizedSearch } from '../embed/quantized-search.ts';
import { loadEmbedder, type LoadEmbedderOptions } from '../embed/registry.ts';
import { PartPrefetch, readPartInWorker } from './part-reader.ts';

export async function loadIndex(indexDir: string): Promise<SearchIndex> {
  return openIndex(indexDir, await readIndexManifest(indexDir));
}

/** The manifest of the index in a folder (AppError index_missing when there is none). */
export async function readIndexManifest(indexDir: string): Promise<IndexManifest> {
  let json: string;
  try {
    json = await readFile(join(indexDir, MANIFEST_FILE), 'utf8');
  } catch (cause) {
    throw new AppError('index_missing', `Index: no index in ${indexDir}; build one with "npm run index"`, { cause });
  }
  return parseManifest(json);
}

/**
 * Read, verify and open the parts of the index whose manifest this is; `prefetch`: parts already
 * being read (used when they are of this build, else cancelled).
 */
export async function openIndex(indexDir: string, manifest: IndexManifest, prefetch?: PartPrefetch): Promise<SearchIndex> {
  const ahead = prefetch?.buildId === manifest.buildId && prefetch.indexDir === indexDir ? prefetch : null;
  if (prefetch && !ahead) prefetch.cancel();
  const data = await decodeIndex(manifest, (f) => (ahead ? ahead.read(f) : readPartInWorker(join(indexDir, f))));
  return openSearchIndex(manifest, data, vectorSearchFor(manifest.counts.chunks));
}

/** Start reading and hashing the parts of the index in a folder ahead of its load (null: no index there). */
export async function prefetchIndex(indexDir: string): Promise<PartPrefetch | null> {
  const manifest = await readIndexManifest(indexDir).catch(() => null);
  if (!manifest) return null;
  return new PartPrefetch(indexDir, manifest.buildId, [manifest.parts.docs.file, manifest.parts.vectors.file, manifest.parts.keyword.file]);
}

/**
 * The index and its embedder, loaded side by side: the model loads on this thread while the
 * parts are read and hashed in worker threads. Both are checked as by loadIndex and
 * loadIndexEmbedder; when either fails, the other is released.
 */
export async function loadIndexWithEmbedder(
  indexDir: string,
  prefetch?: PartPrefetch,
  embedderOptions: LoadEmbedderOptions = {},
): Promise<{ index: SearchIndex; embedder: Embedder }> {
  let manifest: IndexManifest;
  try {
    manifest = await readIndexManifest(indexDir);
  } catch (err) {
    prefetch?.cancel();
    throw err;
  }
  const opening = openIndex(indexDir, manifest, prefetch);
  opening.catch(() => {});
  let embedder: Embedder;
  try {
    embedder = await loadEmbedderFor(manifest, embedderOptions);
  } catch (err) {
    // A damaged index is the error to report (npm start rebuilds on it), whatever the model did.
    await opening;
    throw err;
  }
  try {
    return { index: await opening, embedder };
  } catch (err) {
    await embedder.dispose();
    throw err;
  }
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
  return loadEmbedderFor(index.manifest, options);
}

async function loadEmbedderFor(manifest: IndexManifest, options: LoadEmbedderOptions): Promise<Embedder> {
  const embedder = await loadEmbedder(manifest.embedder.id, options);
  if (embedder.info.dim !== manifest.embedder.dim) {
    await embedder.dispose();
    throw new AppError(
      'embedder_mismatch',
      `Embedder: model "${embedder.info.id}" gives ${embedder.info.dim}-d vectors but the index holds ${manifest.embedder.dim}-d; rebuild the index`,
    );
  }
  return embedder;
}
