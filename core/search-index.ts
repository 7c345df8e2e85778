/**
 * The loaded, searchable index: documents, a flat chunk table in vector order, the vectors and
 * the keyword index. Built from decoded index data (core/index-file.ts); no I/O here.
 */
import type { IndexData, IndexManifest } from './index-file.ts';
import { KeywordIndex } from './keyword-index.ts';
import { bruteForce, type VectorSearch } from './vectors.ts';
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
  /** One embedding per chunk (unit length), row i for chunk i. */
  vectors: Float32Array;
  /** Nearest rows to a query vector over `vectors`. */
  vectorSearch: VectorSearch;
  dim: number;
  /** First chunk of each document, and the chunk count at the end (length docs + 1). */
  docStart: Int32Array;
  keyword: KeywordIndex;
}

/** Open decoded index data; `vectorSearch` defaults to exact search in JavaScript. */
export function openSearchIndex(manifest: IndexManifest, data: IndexData, vectorSearch?: (vectors: Float32Array, dim: number) => VectorSearch): SearchIndex {
  let total = 0;
  for (const d of data.docs) total += d.chunks.length;
  const chunks = new Array<Chunk>(total);
  const chunkDoc = new Int32Array(total);
  const docStart = new Int32Array(data.docs.length + 1);
  let row = 0;
  data.docs.forEach((d, i) => {
    docStart[i] = row;
    for (const c of d.chunks) {
      chunks[row] = c;
      chunkDoc[row++] = i;
    }
  });
  docStart[data.docs.length] = row;
  const keyword = KeywordIndex.decode(data.keyword);
  // Built at its first use (looking a chunk up by id is rare; at 424 000 chunks the map takes
  // ~0.1 s and tens of MB that a start need not wait for).
  let chunkById: Map<string, number> | null = null;
  return {
    manifest,
    docs: data.docs,
    docById: new Map(data.docs.map((d) => [d.meta.id, d])),
    chunks,
    chunkDoc,
    get chunkById(): Map<string, number> {
      return (chunkById ??= new Map(chunks.map((c, i) => [c.id, i])));
    },
    vectors: data.vectors,
    vectorSearch: vectorSearch ? vectorSearch(data.vectors, manifest.embedder.dim) : bruteForce(data.vectors),
    docStart,
    dim: manifest.embedder.dim,
    keyword,
  };
}
