/**
 * The loaded, searchable index: documents, a flat chunk table in vector order, the vectors and
 * the keyword index. Built from decoded index data (core/index-file.ts); no I/O here.
 */
import type { IndexData, IndexManifest } from './index-file.ts';
import { KeywordIndex } from './keyword-index.ts';
import type { Chunk, ProcessedDoc } from './types.ts';

export interface SearchIndex {
  manifest: IndexManifest;
  docs: ProcessedDoc[];
  docById: Map<string, ProcessedDoc>;
  /** Every chunk, in the order of the vectors and the keyword index ids. */
  chunks: Chunk[];
  /** Index into `docs` of each chunk's document. */
  chunkDoc: Int32Array;
  chunkById: Map<string, number>;
  /** Embedding rows: one per chunk, or several (sentence windows) when `vectorChunk` is set. */
  vectors: Float32Array;
  /** The chunk of each row of `vectors`, or null for one row per chunk. */
  vectorChunk: Uint32Array | null;
  dim: number;
  keyword: KeywordIndex;
}

export function openSearchIndex(manifest: IndexManifest, data: IndexData): SearchIndex {
  const chunks: Chunk[] = [];
  const chunkDocList: number[] = [];
  data.docs.forEach((d, i) => {
    for (const c of d.chunks) {
      chunks.push(c);
      chunkDocList.push(i);
    }
  });
  const keyword = KeywordIndex.decode(data.keyword);
  return {
    manifest,
    docs: data.docs,
    docById: new Map(data.docs.map((d) => [d.meta.id, d])),
    chunks,
    chunkDoc: Int32Array.from(chunkDocList),
    chunkById: new Map(chunks.map((c, i) => [c.id, i])),
    vectors: data.vectors,
    vectorChunk: null,
    dim: manifest.embedder.dim,
    keyword,
  };
}
