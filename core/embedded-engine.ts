/**
 * The embedded engine: the engine interface (core/engine.ts) over an index held in this process
 * (core/search-index.ts). Its one view is the index itself; a new build is a new engine (the
 * server swaps the product, server/service.ts). Candidates come from the in-memory structures:
 * BM25 over the keyword index (core/keyword-search.ts), the vector search and exact cosines
 * (core/vectors.ts), "more like this" scores (core/more-like-this.ts). What is done with them -
 * ranking, fusion, snippets, citations, counting - is core/engine-search.ts, as for OpenSearch.
 */
import type { ChunkRecord, DocEntry, Engine, EngineInfo, EngineView, KeywordCandidates, KeywordCandidatesRequest, MentionCandidates, ScoredChunk, SimilarSource, TermScoresRequest, VectorCandidatesRequest } from './engine.ts';
import { councilClauses, namedCouncilKeys, ofNamedCouncil } from './coordination.ts';
import { excludedIds, planKeywordQuery, runKeyword, type KeywordPlan, type KeywordRunOptions } from './keyword-search.ts';
import { keywordCounts, moreLikeThisScores, type DistinctiveTerm } from './more-like-this.ts';
import type { PreparedQuery } from './prepared-query.ts';
import type { SearchIndex } from './search-index.ts';
import { TopK } from './top-k.ts';
import type { ProcessedDoc } from './types.ts';
import { dotRow } from './vectors.ts';

/** Allowed rows at most 1/FEW_ROWS of the index are scored directly rather than searched for. */
const FEW_ROWS = 8;

/** Rows scored between two pauses when every allowed row is scored (~1-3 ms of work). */
const SCAN_BLOCK = 4096;

export class EmbeddedEngine implements Engine, EngineView {
  readonly index: SearchIndex;
  readonly info: EngineInfo;
  readonly documents: DocEntry[];
  /** Position in `index.docs` of each document id. */
  private readonly docAt: Map<string, number>;
  /** "More like this" scores of every chunk per list of terms (a similar-paragraphs answer asks for them three times). */
  private readonly termScoresOf = new WeakMap<readonly DistinctiveTerm[], Float32Array>();

  constructor(index: SearchIndex) {
    this.index = index;
    const { manifest, docs, chunks } = index;
    this.info = { buildId: manifest.buildId, builtAt: manifest.builtAt, embedder: manifest.embedder, documents: docs.length, chunks: chunks.length };
    this.documents = docs.map((d) => ({ meta: d.meta, chunks: d.chunks.length, paragraphs: d.paragraphs.length }));
    this.docAt = new Map(docs.map((d, i) => [d.meta.id, i]));
  }

  async view(): Promise<EngineView> {
    return this;
  }

  /** An index in memory never goes away under a request: `fn` runs once. */
  withView<T>(fn: (view: EngineView) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async keyword(req: KeywordCandidatesRequest): Promise<KeywordCandidates> {
    const { index } = this;
    const { parsed } = req.prepared;
    const plan = planKeywordQuery(parsed, index.keyword, req.thesaurus, req.weights);
    const allowed = this.docMask(req.allowDocs);
    const boosts = this.docFactors(req.boosts);
    const { chunkDoc } = index;
    const r = runKeyword(index.keyword, plan, parsed.exclude, {
      textOf: (row) => index.chunks[row]!.text,
      k: req.k,
      allow: allowed ? (row) => allowed[chunkDoc[row]!] === 1 : undefined,
      boost: boosts ? (row) => boosts[chunkDoc[row]!]! : undefined,
      groupOf: index.keyword.groups,
      reportClauses: this.reportClauses(plan, req.named),
    }, req.weights.bm25);
    const hits = r.hits.map((h) => this.scored(h.index, h.score));
    // Without filters the best matches whatever the filters are the hits.
    return { hits, total: r.total, groups: r.groups, unfiltered: allowed ? r.unfiltered.map((h) => this.scored(h.index, h.score)) : hits, expanded: plan.expanded };
  }

  async nearest(req: VectorCandidatesRequest): Promise<ScoredChunk[]> {
    const { index } = this;
    const q = req.vector;
    const allowed = this.docMask(req.allowDocs);
    const excluded = req.excludeQuery ? this.excluded(req.excludeQuery) : null;
    const allow = allowed || excluded
      ? (row: number) => (!allowed || allowed[index.chunkDoc[row]!] === 1) && (!excluded || !excluded.has(row))
      : undefined;
    let top = new TopK(req.k);
    if (req.within) {
      for (const id of req.within) {
        const row = index.chunkById.get(id);
        if (row !== undefined && (!allow || allow(row))) top.offer(row, dotRow(index.vectors, row, q));
      }
      return top.result().map((h) => this.scored(h.index, h.score));
    }
    const rows = index.chunks.length;
    const ranges = allowed ? this.docRanges(allowed) : [[0, rows] as const];
    const allowedRows = ranges.reduce((n, [from, to]) => n + to - from, 0);
    // A few documents' rows (a council's reports, the reports a query's council or year lifts)
    // are scored exactly, at less cost than searching every row. Otherwise the nearest rows
    // overall (more of them when filters may drop some), scored exactly; when too few pass,
    // every allowed row is scored.
    let passed = 0;
    if (allowedRows > rows / FEW_ROWS) {
      for (const h of index.vectorSearch.nearest(q, allow ? req.k * 8 : req.k)) {
        if (allow && !allow(h.index)) continue;
        passed++;
        top.offer(h.index, dotRow(index.vectors, h.index, q));
      }
    }
    if (allowedRows <= rows / FEW_ROWS || (allow && passed < req.k)) {
      top = new TopK(req.k);
      // Scoring every row is long at scale (tens of ms): a pause between blocks of rows.
      let scored = 0;
      for (const [from, to] of ranges) {
        for (let r = from; r < to; r++) {
          if (++scored % SCAN_BLOCK === 0) await req.pause?.();
          if (!excluded || !excluded.has(r)) top.offer(r, dotRow(index.vectors, r, q));
        }
      }
    }
    return top.result().map((h) => this.scored(h.index, h.score));
  }

  async similarSource(id: string): Promise<SimilarSource | null> {
    const { index } = this;
    const row = index.chunkById.get(id);
    if (row === undefined) return null;
    // A copy: a native search may read a view's whole underlying buffer.
    return { vector: index.vectors.slice(row * index.dim, (row + 1) * index.dim), group: index.keyword.groups[row]!, counts: keywordCounts(index.keyword) };
  }

  async termScores(req: TermScoresRequest): Promise<ScoredChunk[]> {
    const { index } = this;
    let scores = this.termScoresOf.get(req.terms);
    if (!scores) this.termScoresOf.set(req.terms, (scores = moreLikeThisScores(index.keyword, req.terms)));
    const allowed = this.docMask(req.allowDocs);
    const top = new TopK(req.k);
    const offer = (row: number): void => {
      if (scores[row]! > 0 && (!allowed || allowed[index.chunkDoc[row]!] === 1)) top.offer(row, scores[row]!);
    };
    if (req.within) {
      for (const id of req.within) {
        const row = index.chunkById.get(id);
        if (row !== undefined) offer(row);
      }
    } else for (let r = 0; r < scores.length; r++) offer(r);
    return top.result().map((h) => this.scored(h.index, h.score));
  }

  async groupChunks(group: number, allowDocs: ReadonlySet<string> | null): Promise<ScoredChunk[]> {
    const { groups } = this.index.keyword;
    const allowed = this.docMask(allowDocs);
    const out: ScoredChunk[] = [];
    for (let r = 0; r < groups.length; r++) {
      if (groups[r] === group && (!allowed || allowed[this.index.chunkDoc[r]!] === 1)) out.push(this.scored(r, 0));
    }
    return out;
  }

  async chunks(ids: readonly string[]): Promise<Map<string, ChunkRecord>> {
    const { index } = this;
    const out = new Map<string, ChunkRecord>();
    for (const id of ids) {
      const row = index.chunkById.get(id);
      if (row !== undefined) out.set(id, { chunk: index.chunks[row]!, meta: index.docs[index.chunkDoc[row]!]!.meta });
    }
    return out;
  }

  async document(id: string): Promise<ProcessedDoc | null> {
    return this.index.docById.get(id) ?? null;
  }

  /** Every allowed document, whole, in one batch: the shared matcher finds its paragraphs in the document's text. */
  async *mentionCandidates(_prepared: PreparedQuery, allowDocs: ReadonlySet<string> | null): AsyncIterable<MentionCandidates[]> {
    const docs = allowDocs ? this.index.docs.filter((d) => allowDocs.has(d.meta.id)) : this.index.docs;
    yield docs.map((doc) => ({ docId: doc.meta.id, paragraphs: doc.paragraphs, doc }));
  }

  private scored(row: number, score: number): ScoredChunk {
    return new RowChunk(this.index, row, score);
  }

  /** 1 for each allowed document (by position), or null for all. */
  private docMask(allowDocs: ReadonlySet<string> | null): Uint8Array | null {
    if (!allowDocs) return null;
    const mask = new Uint8Array(this.index.docs.length);
    for (const id of allowDocs) {
      const d = this.docAt.get(id);
      if (d !== undefined) mask[d] = 1;
    }
    return mask;
  }

  /** The row ranges of the allowed documents, in index order. */
  private docRanges(allowed: Uint8Array): Array<readonly [number, number]> {
    const { docStart } = this.index;
    const out: Array<readonly [number, number]> = [];
    for (let d = 0; d < allowed.length; d++) if (allowed[d] === 1) out.push([docStart[d]!, docStart[d + 1]!]);
    return out;
  }

  /** A score factor per document (by position), or null when none differs from 1. */
  private docFactors(boosts: ReadonlyMap<string, number>): Float32Array | null {
    if (boosts.size === 0) return null;
    const factors = new Float32Array(this.index.docs.length).fill(1);
    for (const [id, f] of boosts) {
      const d = this.docAt.get(id);
      if (d !== undefined) factors[d] = f;
    }
    return factors;
  }

  /** Rows holding an excluded word or phrase. */
  private excluded(prepared: PreparedQuery): Set<number> {
    return excludedIds(this.index.keyword, prepared.parsed.exclude, (row) => this.index.chunks[row]!.text);
  }

  /**
   * The clauses that are the words of the councils a query names, and whether a row is in one of
   * their reports (predecessors and successors count): there the report satisfies those clauses.
   */
  reportClauses(plan: KeywordPlan, named: readonly string[]): KeywordRunOptions['reportClauses'] {
    if (named.length === 0) return undefined;
    const { index } = this;
    const { words } = index.keyword;
    const typed = plan.clauses.map((terms) => terms.flatMap((t) => (t.field === 'words' && t.alternative === undefined ? [words.terms[t.id]!] : [])));
    const clauses = councilClauses(typed, [...named]);
    if (clauses.length === 0) return undefined;
    const keys = namedCouncilKeys([...named]);
    const inReport = index.docs.map((d) => ofNamedCouncil(d.meta.council, keys));
    return { clauses, has: (row) => inReport[index.chunkDoc[row]!]! };
  }
}

/**
 * A scored row of the index as a ScoredChunk. Its id and document are read when asked: a search
 * ranks a thousand candidates and shows ten, and reading each candidate's chunk record costs a
 * memory fetch per row that a keyword search would otherwise spend most of its time on.
 */
class RowChunk implements ScoredChunk {
  constructor(
    private readonly index: SearchIndex,
    private readonly row: number,
    readonly score: number,
  ) {}

  get id(): string {
    return this.index.chunks[this.row]!.id;
  }

  get group(): number {
    return this.index.keyword.groups[this.row]!;
  }

  get docId(): string {
    return this.index.docs[this.index.chunkDoc[this.row]!]!.meta.id;
  }
}
