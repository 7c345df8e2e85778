/**
 * A search engine: only what differs between where the index lives (in this process, or an
 * OpenSearch cluster, opensearch/engine.ts). Everything else - the query language, fusion,
 * near-duplicate collapsing, snippets, citations, understanding, phrase checks and counting -
 * is shared, in core/engine-search.ts and the modules it uses.
 *
 * Chunks are named by their id (`docId#anchor`); scores are an engine's own (BM25 for keyword
 * candidates, cosine similarity for vector candidates). No I/O here: an engine is given.
 */
import type { PreparedQuery } from './prepared-query.ts';
import type { KeywordWeights } from './keyword-search.ts';
import type { DistinctiveTerm, TermCounts } from './more-like-this.ts';
import type { Chunk, DocMeta, EmbedderInfo, Paragraph, ProcessedDoc } from './types.ts';

/** A chunk id with a score, best first in every list. */
export interface ScoredChunk {
  id: string;
  score: number;
  /** Near-identical group of the chunk (chunks of one group are one result). */
  group: number;
  docId: string;
}

export interface KeywordCandidatesRequest {
  prepared: PreparedQuery;
  /** Best allowed candidates wanted (the rest are only counted). */
  k: number;
  /** Documents that may be returned (filters), or null for all. */
  allowDocs: ReadonlySet<string> | null;
  /** A score factor per document (soft boosts of councils and years named in the query). */
  boosts: ReadonlyMap<string, number>;
  /** Councils the query names, whatever the filters: their reports match the council's words (coordination, core/coordination.ts). */
  named: readonly string[];
  thesaurus: boolean;
  weights: KeywordWeights;
}

export interface KeywordCandidates {
  /** Best allowed matches, phrases checked, at most k. */
  hits: ScoredChunk[];
  /** Allowed matching chunks, near-identical groups counted once. */
  total: number;
  /** The groups of every allowed match, when the engine knows them all (else those of `hits`). */
  groups: Set<number>;
  /** The best matches whatever the filters (facet counts), at most k. */
  unfiltered: ScoredChunk[];
  /** Index terms searched in place of typed words no chunk has (typo expansions): marked in snippets as the words are. */
  expanded?: string[];
}

export interface VectorCandidatesRequest {
  vector: Float32Array;
  k: number;
  /** Documents that may be returned, or null for all. */
  allowDocs: ReadonlySet<string> | null;
  /** Only these chunks (e.g. the phrase-checked keyword hits), or null for any. */
  within: readonly string[] | null;
  /** Chunks holding any of these excluded words or phrases are left out. */
  excludeQuery: PreparedQuery | null;
  /** Awaited between blocks of work on this thread when a search scores many chunks here (SearchRequest.pause). */
  pause?: () => Promise<void>;
}

/** What "practice like this elsewhere" needs of its paragraph's chunk (core/similar.ts). */
export interface SimilarSource {
  /** The chunk's stored embedding. */
  vector: Float32Array;
  group: number;
  /** Chunk counts of the chunk's own index terms and pairs (core/more-like-this.ts). */
  counts: TermCounts;
}

export interface TermScoresRequest {
  terms: readonly DistinctiveTerm[];
  k: number;
  allowDocs: ReadonlySet<string> | null;
  /** Only these chunks, or null for any. */
  within: readonly string[] | null;
}

/** A chunk with what a cited result needs. */
export interface ChunkRecord {
  chunk: Chunk;
  meta: DocMeta;
}

/** A document's metadata with its sizes (the document list). */
export interface DocEntry {
  meta: DocMeta;
  chunks: number;
  paragraphs: number;
}

/** What is served: the build, its embedder and counts. */
export interface EngineInfo {
  buildId: string;
  builtAt: string;
  embedder: EmbedderInfo;
  documents: number;
  chunks: number;
}

/** Paragraphs of one document that may mention a query (the shared matcher decides). */
export interface MentionCandidates {
  docId: string;
  paragraphs: Paragraph[];
  /** The whole document, when the engine holds it (then `paragraphs` are all of its paragraphs). */
  doc?: ProcessedDoc;
}

/**
 * One consistent view of an index (one build): every call of one request goes to the same view,
 * so a rebuild switching underneath never mixes two builds in one answer.
 */
export interface EngineView {
  info: EngineInfo;
  /** Every document, in no particular order. */
  documents: DocEntry[];
  keyword(req: KeywordCandidatesRequest): Promise<KeywordCandidates>;
  /** Nearest chunks by cosine similarity, best first, at most k. */
  nearest(req: VectorCandidatesRequest): Promise<ScoredChunk[]>;
  /** The chunk's embedding, group and term counts, or null if there is no such chunk. */
  similarSource(id: string): Promise<SimilarSource | null>;
  /** BM25 of chunks for distinctive terms, each at its boost (core/more-like-this.ts termBoost), best first, at most k. */
  termScores(req: TermScoresRequest): Promise<ScoredChunk[]>;
  /** Every chunk of a near-identical group in the allowed documents. */
  groupChunks(group: number, allowDocs: ReadonlySet<string> | null): Promise<ScoredChunk[]>;
  /** Chunks by id (missing ids are left out). */
  chunks(ids: readonly string[]): Promise<Map<string, ChunkRecord>>;
  /** One whole document (text, paragraphs, chunks), or null. */
  document(id: string): Promise<ProcessedDoc | null>;
  /**
   * Every paragraph of the allowed documents that may mention the query: a superset of those the
   * shared matcher (core/text-match.ts) accepts, streamed a batch at a time, uncapped.
   */
  mentionCandidates(prepared: PreparedQuery, allowDocs: ReadonlySet<string> | null): AsyncIterable<MentionCandidates[]>;
}

export interface Engine {
  /** The current view; a request takes one and uses it throughout. */
  view(): Promise<EngineView>;
  /**
   * Run `fn` on the current view; when it fails because that view's index went away under it
   * (a rebuild replaced it), run it again, whole, on the new view (nothing of the failed run kept).
   */
  withView<T>(fn: (view: EngineView) => Promise<T>): Promise<T>;
}
