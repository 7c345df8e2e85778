/**
 * The OpenSearch engine (core/engine.ts): keyword candidates by BM25 (opensearch/keyword-query.ts),
 * vector candidates by k-NN, chunks and documents by id, and every candidate paragraph of a
 * mention streamed with a point in time and search_after. A view is one concrete index (the
 * alias resolved, at most every `aliasTtlMs`), with its documents' metadata loaded once, so one
 * request never mixes two builds. A request on an index that a rebuild replaced and is deleting
 * under it fails (never a partial answer: a missing chunk, a shard that answered nothing) and
 * runs again, whole, on the index the alias names now.
 */
import type { DocEntry, Engine, EngineInfo, EngineView, KeywordCandidates, KeywordCandidatesRequest, MentionCandidates, ScoredChunk, SimilarSource, TermScoresRequest, VectorCandidatesRequest, ChunkRecord } from '../core/engine.ts';
import { termBoost } from '../core/more-like-this.ts';
import { clauseWeight, coordinationOn, councilClauses, namedCouncilKeys } from '../core/coordination.ts';
import { AppError } from '../core/errors.ts';
import { luceneIdf } from '../core/inverted-index.ts';
import { restoreDoc, type StoredDoc } from '../core/index-file.ts';
import { anyOf, fuzzyExpansions } from '../core/keyword-search.ts';
import { fuzzyFor } from '../core/keyword-options.ts';
import type { PreparedQuery } from '../core/prepared-query.ts';
import { tokensOf } from '../core/text-match.ts';
import type { Chunk, DocMeta, Paragraph, ProcessedDoc } from '../core/types.ts';
import { IndexGone, isIndexGone, Unreachable, type OpenSearchClient, type OpenSearchError } from './client.ts';
import { clauseQuery, coordinated, keywordDsl, unitQuery, type Dsl, type KeywordDsl, type WeightProbe } from './keyword-query.ts';
import { aliasTargetsPath, CHUNK_ID, DOC_ID, LAYOUT_VERSION, pairToken, TERM_FIELDS, type IndexMeta } from './layout.ts';
import { scan, whole, type Hit, type SearchResult } from './scan.ts';

interface ChunkKey {
  text?: string;
}

/**
 * Best first, equal scores by chunk id: the same order whatever the shards or segment merges
 * (Lucene's own tie order follows internal document numbers, which merges change).
 */
const BY_SCORE = [{ _score: 'desc' }, { id: 'asc' }];

/** A chunk's keys, read from doc values (no record JSON is parsed). */
const KEY_FIELDS = ['id', 'docId', 'group'];

function keyOf(h: Hit<ChunkKey>): ScoredChunk {
  const f = h.fields!;
  return { id: f.id![0] as string, docId: f.docId![0] as string, group: f.group![0] as number, score: h._score ?? 0 };
}

/** HNSW candidates explored per query (more: closer to exact nearest neighbours, slower). */
const EF_SEARCH = 512;
/**
 * Up to this many chunks, vector search scores every allowed chunk exactly (`knn_score`): the
 * HNSW graph misses true nearest neighbours of some queries on this corpus (near-identical
 * boilerplate chunks; docs/scale-out.md), and exact costs tens of ms at this size. Past it, HNSW.
 */
const EXACT_KNN_MAX_CHUNKS = 100_000;
/** Chunk counts kept per index (coordination weights). */
const MAX_COUNTS = 50_000;
/** Runs of one request on successive builds, when rebuilds switch the alias again and again under it. */
const MAX_RUNS = 3;

export interface OpenSearchEngineOptions {
  alias: string;
  /** Re-read where the alias points at most this often (ms, default 1000). */
  aliasTtlMs?: number;
  /** Vector search scores every allowed chunk exactly up to this many chunks in the index, HNSW past it (default EXACT_KNN_MAX_CHUNKS). */
  exactKnnMaxChunks?: number;
}

export class OpenSearchEngine implements Engine {
  readonly client: OpenSearchClient;
  readonly alias: string;
  private readonly aliasTtlMs: number;
  private readonly exactKnnMaxChunks: number;
  private resolved: { index: string; at: number } | null = null;
  private views = new Map<string, Promise<OpenSearchView>>();

  constructor(client: OpenSearchClient, options: OpenSearchEngineOptions) {
    this.client = client;
    this.alias = options.alias;
    this.aliasTtlMs = options.aliasTtlMs ?? 1000;
    this.exactKnnMaxChunks = options.exactKnnMaxChunks ?? EXACT_KNN_MAX_CHUNKS;
  }

  /** The concrete index behind the alias now. */
  private async currentIndex(): Promise<string> {
    const now = performance.now();
    if (this.resolved && now - this.resolved.at < this.aliasTtlMs) return this.resolved.index;
    const res = await this.client.request<Record<string, unknown> | null>('GET', aliasTargetsPath(this.alias), undefined, { allow404: true });
    const names = Object.keys(res ?? {});
    if (names.length !== 1) {
      throw new AppError('index_missing', `Index: the OpenSearch alias "${this.alias}" at ${this.client.url} points to ${names.length === 0 ? 'no index' : `${names.length} indexes`}; build one with "npm run index:opensearch"`, { status: 503 });
    }
    // A lookup sent earlier than the one kept (answered later) does not replace it: it may name the index a rebuild just replaced.
    if (!this.resolved || this.resolved.at <= now) this.resolved = { index: names[0]!, at: now };
    return names[0]!;
  }

  async view(): Promise<EngineView> {
    return this.viewOf(await this.currentIndex());
  }

  private viewOf(index: string): Promise<OpenSearchView> {
    let v = this.views.get(index);
    if (!v) {
      const opening = OpenSearchView.open(this.client, index, this.exactKnnMaxChunks);
      v = opening;
      this.views.set(index, v);
      // A failed load is not kept: the next request tries again (OpenSearch may be back).
      v.catch(() => {
        if (this.views.get(index) === opening) this.views.delete(index);
      });
      // Older builds' views are dropped once the alias names this one (a request still on an old index does not drop the new view).
      if (this.resolved?.index === index) for (const k of [...this.views.keys()]) if (k !== index) this.views.delete(k);
    }
    return v;
  }

  /**
   * Run `fn` on one view, start to end. When it fails - whatever the error: while an index is
   * being deleted OpenSearch answers index_not_found, or 503 with no shard available, or a search
   * phase failure - and the alias has moved to another index meanwhile, the whole request runs
   * again on the new view: nothing gathered from the old index is kept, so the answer is the old
   * build's or the new one's, never a failure or a mix. When the alias has not moved, the error
   * is the answer (an index gone that the alias still names is 'engine_unavailable').
   */
  async withView<T>(fn: (view: EngineView) => Promise<T>): Promise<T> {
    let index = await this.currentIndex();
    for (let run = 1; ; run++) {
      try {
        // Opening the view (mapping, documents) is part of the run: the index may go meanwhile.
        return await fn(await this.viewOf(index));
      } catch (err) {
        // An answer such as 404 (no such report) or 400 is the request's own, whatever the build;
        // OpenSearch not answering at all is no rebuild, and asking it where the alias points would wait again.
        if ((err instanceof AppError && err.status < 500) || err instanceof Unreachable) throw err;
        const next = await this.movedFrom(index);
        if (next === null) {
          if (err instanceof IndexGone) throw new AppError('engine_unavailable', `Engine: the OpenSearch index ${index} is gone and the alias "${this.alias}" still names it`, { cause: err });
          throw err;
        }
        if (run === MAX_RUNS) {
          throw new AppError('engine_unavailable', `Engine: the OpenSearch alias "${this.alias}" moved ${run} times during one request (rebuilds in a row); try again`, { cause: err });
        }
        index = next;
      }
    }
  }

  /** The index the alias names now, if it is not `index` (a rebuild replaced it); else null. */
  private async movedFrom(index: string): Promise<string | null> {
    this.resolved = null;
    try {
      const now = await this.currentIndex();
      return now === index ? null : now;
    } catch {
      // OpenSearch unreachable, or the alias gone: the first error says more.
      return null;
    }
  }
}

class OpenSearchView implements EngineView {
  readonly index: string;
  readonly info: EngineInfo;
  readonly documents: DocEntry[];
  private readonly client: OpenSearchClient;
  private readonly metaById: Map<string, DocMeta>;
  /** Chunks per word (or prefix), for coordination weights; oldest dropped past MAX_COUNTS. */
  private readonly counts = new Map<string, number>();

  private readonly exactKnn: boolean;

  private constructor(client: OpenSearchClient, index: string, info: EngineInfo, documents: DocEntry[], exactKnnMaxChunks: number) {
    this.client = client;
    this.index = index;
    this.info = info;
    this.documents = documents;
    this.metaById = new Map(documents.map((d) => [d.meta.id, d.meta]));
    this.exactKnn = info.chunks <= exactKnnMaxChunks;
  }

  static async open(client: OpenSearchClient, index: string, exactKnnMaxChunks: number): Promise<OpenSearchView> {
    const mapping = await client.request<Record<string, { mappings: { _meta?: IndexMeta } }>>('GET', `/${index}/_mapping`);
    const meta = Object.values(mapping)[0]?.mappings._meta;
    if (!meta || meta.layout !== LAYOUT_VERSION) {
      throw new AppError('index_format', `Index: the OpenSearch index ${index} has layout ${meta?.layout ?? 'none'}, not ${LAYOUT_VERSION}; rebuild it with "npm run index:opensearch"`, { status: 503 });
    }
    const documents: DocEntry[] = [];
    const body = { query: { term: { kind: 'doc' } }, _source: ['stored.meta', 'chunks', 'paragraphs'] };
    for await (const hits of scan<{ stored: { meta: DocMeta }; chunks: number; paragraphs: number }>(client, index, body)) {
      for (const h of hits) documents.push({ meta: h._source.stored.meta, chunks: h._source.chunks, paragraphs: h._source.paragraphs });
    }
    const info: EngineInfo = { buildId: meta.buildId, builtAt: meta.builtAt, embedder: { id: meta.embedder.id, dim: meta.embedder.dim }, documents: meta.counts.documents, chunks: meta.counts.chunks };
    return new OpenSearchView(client, index, info, documents, exactKnnMaxChunks);
  }

  private async search<S>(body: unknown): Promise<SearchResult<S>> {
    return whole(await this.client.request<SearchResult<S>>('POST', `/${this.index}/_search`, body));
  }

  private async msearch<S>(bodies: unknown[]): Promise<Array<SearchResult<S>>> {
    const ndjson = bodies.map((b) => `${JSON.stringify({ index: this.index })}\n${JSON.stringify(b)}`).join('\n');
    const res = await this.client.request<{ responses: Array<SearchResult<S> & { error?: { type?: string; reason?: string }; status?: number }> }>('POST', '/_msearch', `${ndjson}\n`);
    return res.responses.map((r) => {
      if (r.error) {
        if (isIndexGone(r.error)) throw new IndexGone(`Engine: ${r.error.reason ?? 'index gone'}`);
        // 401/403 as opensearch/client.ts reads them: the server's user or its role, a configuration to fix.
        if ((r.status ?? 500) >= 500 || r.status === 429 || r.status === 401 || r.status === 403) throw new AppError('engine_unavailable', `Engine: OpenSearch search failed (${r.status}): ${r.error.reason ?? r.error.type}`);
        throw new AppError('internal', `Engine: OpenSearch refused a search (${r.status}): ${r.error.reason ?? r.error.type}`);
      }
      return whole(r);
    });
  }

  private filter(allowDocs: ReadonlySet<string> | null, kind: 'chunk' | 'paragraph'): Dsl[] {
    return [{ term: { kind } }, ...(allowDocs ? [{ terms: { docId: [...allowDocs] } }] : [])];
  }

  async keyword(req: KeywordCandidatesRequest): Promise<KeywordCandidates> {
    let dsl = keywordDsl(req.prepared.parsed, req.thesaurus, req.weights);
    if (dsl.should.length === 0) return { hits: [], total: 0, groups: new Set(), unfiltered: [] };
    // Typed words no chunk has: their typo expansions instead (as the embedded engine does).
    const counts = await this.chunkCounts(dsl.clauses.flatMap((c) => c.probes));
    const missing = dsl.clauses.flatMap((c) => c.probes).flatMap((p) => (p.term !== undefined && counts.get(p.key) === 0 ? [p.term] : []));
    const expansions = await this.expansions(missing);
    if (expansions.size > 0) dsl = keywordDsl(req.prepared.parsed, req.thesaurus, req.weights, expansions);
    const checkText = dsl.phrases.length > 0;
    const matchers = dsl.phrases.map(anyOf);
    const coordinate = await this.coordination(dsl, req);
    const query = (allowDocs: ReadonlySet<string> | null): Dsl => {
      const bool: Dsl = { bool: { should: dsl.should, minimum_should_match: 1, filter: [...this.filter(allowDocs, 'chunk'), ...dsl.must], must_not: dsl.mustNot } };
      const scored = coordinate(bool);
      if (req.boosts.size === 0) return scored;
      // Soft boosts: one factor per group of documents (a council and a year named in the query).
      const byFactor = new Map<number, string[]>();
      for (const [id, f] of req.boosts) byFactor.set(f, [...(byFactor.get(f) ?? []), id]);
      return {
        function_score: {
          query: scored,
          functions: [...byFactor].map(([weight, ids]) => ({ filter: { terms: { docId: ids } }, weight })),
          score_mode: 'first',
          boost_mode: 'multiply',
        },
      };
    };
    // Keys from doc values; the text only when phrases are to be checked.
    const source = { _source: checkText ? ['text'] : false, docvalue_fields: KEY_FIELDS };
    const bodies: unknown[] = [{
      size: req.k,
      sort: BY_SCORE,
      track_total_hits: true,
      ...source,
      query: query(req.allowDocs),
      aggs: { groups: { cardinality: { field: 'group', precision_threshold: 40_000 } } },
    }];
    if (req.allowDocs) bodies.push({ size: req.k, sort: BY_SCORE, ...source, query: query(null) });
    const [filtered, unfiltered] = await this.msearch<ChunkKey>(bodies);
    const accept = (h: Hit<ChunkKey>): boolean => {
      if (!checkText) return true;
      const toks = tokensOf(h._source?.text ?? '');
      return matchers.every((m) => m(toks));
    };
    const scored = (r: SearchResult<ChunkKey>): ScoredChunk[] =>
      r.hits.hits.filter(accept).map((h) => keyOf(h));
    const hits = scored(filtered!);
    const matched = filtered!.hits.total?.value ?? hits.length;
    const groups = new Set(hits.map((h) => h.group));
    // Every match fetched: the count is exact (phrases checked); else OpenSearch's count of groups.
    const total = matched <= filtered!.hits.hits.length ? groups.size : (filtered!.aggregations?.groups?.value ?? groups.size);
    return { hits, total, groups, unfiltered: unfiltered ? scored(unfiltered) : hits, expanded: [...expansions.values()].flat() };
  }

  /**
   * Coordination (core/coordination.ts) for the query: each clause's weight from the number of
   * chunks its words are in (counted once per index and word), the clauses of a council the
   * query names; a function wrapping a query in it (the query itself when it does not apply).
   */
  private async coordination(dsl: KeywordDsl, req: KeywordCandidatesRequest): Promise<(query: Dsl) => Dsl> {
    const same = (query: Dsl): Dsl => query;
    if (req.weights.coord <= 0 || dsl.clauses.length < 2) return same;
    const counts = await this.chunkCounts(dsl.clauses.flatMap((c) => c.probes));
    const n = this.info.chunks;
    // A word no chunk has weighs nothing (it is no term of the embedded index either).
    const weights = dsl.clauses.map((c) => clauseWeight(c.probes.map((p) => (counts.get(p.key)! > 0 ? luceneIdf(n, counts.get(p.key)!) * p.factor : 0)), []));
    if (!coordinationOn(dsl.clauses.length, weights.reduce((a, b) => a + b, 0), req.weights.coord)) return same;
    const council = { clauses: councilClauses(dsl.clauses.map((c) => c.stems), req.named), keys: [...namedCouncilKeys(req.named)] };
    return (query) => coordinated(query, dsl.clauses, weights, council);
  }

  /**
   * The typo expansions of stems no chunk has (core/keyword-search.ts fuzzyExpansions), from
   * OpenSearch's term suggester over the index terms: candidates within two edits, with counts.
   */
  private async expansions(stems: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const ask = [...new Set(stems)].filter((s) => fuzzyFor(s, 5) > 0);
    if (ask.length === 0) return out;
    const res = await this.msearch<unknown>(ask.map((stem) => ({
      size: 0,
      suggest: { typo: { text: stem, term: { field: TERM_FIELDS.words, suggest_mode: 'always', analyzer: 'terms', max_edits: fuzzyFor(stem, 5), prefix_length: 0, min_word_length: 1, size: 50, max_inspections: 50, string_distance: 'damerau_levenshtein' } } },
    })));
    res.forEach((r, i) => {
      const options = (r as { suggest?: { typo?: Array<{ options: Array<{ text: string; freq: number }> }> } }).suggest?.typo?.[0]?.options ?? [];
      const picked = fuzzyExpansions(ask[i]!, options.map((o) => o.text), (k) => options[k]!.freq);
      if (picked.length > 0) out.set(ask[i]!, picked.map((k) => options[k]!.text));
    });
    return out;
  }

  /** Chunks each probe's query matches (cached per index: a view's index does not change). */
  private async chunkCounts(probes: WeightProbe[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const ask = new Map<string, WeightProbe>();
    for (const p of probes) {
      const known = this.counts.get(p.key);
      if (known !== undefined) out.set(p.key, known);
      else ask.set(p.key, p);
    }
    if (ask.size === 0) return out;
    const list = [...ask.values()];
    const res = await this.msearch<unknown>(list.map((p) => ({ size: 0, track_total_hits: true, query: { bool: { filter: [{ term: { kind: 'chunk' } }, p.query] } } })));
    res.forEach((r, i) => {
      const n = r.hits.total?.value ?? 0;
      out.set(list[i]!.key, n);
      if (this.counts.size >= MAX_COUNTS) this.counts.delete(this.counts.keys().next().value!);
      this.counts.set(list[i]!.key, n);
    });
    return out;
  }

  async nearest(req: VectorCandidatesRequest): Promise<ScoredChunk[]> {
    const filter: Dsl[] = this.filter(req.allowDocs, 'chunk');
    if (req.within) filter.push({ terms: { id: [...req.within] } });
    const mustNot = req.excludeQuery ? req.excludeQuery.parsed.exclude.map((u) => unitQuery(u)).filter((q): q is Dsl => q !== null) : [];
    const k = Math.max(1, Math.min(req.k, 10_000));
    const vector = Array.from(req.vector);
    const bool = { bool: { filter, must_not: mustNot } };
    // Exact (every allowed chunk scored, as the embedded engine does) up to EXACT_KNN_MAX_CHUNKS; past that the HNSW graph.
    const query = this.exactKnn
      ? { script_score: { query: bool, script: { source: 'knn_score', lang: 'knn', params: { field: 'vector', query_value: vector, space_type: 'cosinesimil' } } } }
      : { knn: { vector: { vector, k, method_parameters: { ef_search: Math.max(EF_SEARCH, k) }, filter: bool } } };
    const res = await this.search<ChunkKey>({ size: k, sort: BY_SCORE, _source: false, docvalue_fields: KEY_FIELDS, query });
    // The lucene engine's cosine score, exact or not, is (1 + cosine) / 2.
    return res.hits.hits.map((h) => ({ ...keyOf(h), score: 2 * (h._score ?? 0) - 1 }));
  }

  async similarSource(id: string): Promise<SimilarSource | null> {
    const [res, tv] = await Promise.all([
      this.search<unknown>({ size: 1, _source: false, docvalue_fields: KEY_FIELDS, query: { ids: { values: [CHUNK_ID(id)] } }, script_fields: { vector: { script: { source: "doc['vector'].value" } } } }),
      this.client.request<{ found: boolean; term_vectors?: Record<string, { terms: Record<string, { doc_freq?: number }> }> } | null>(
        'GET', `/${this.index}/_termvectors/${encodeURIComponent(CHUNK_ID(id))}?fields=${TERM_FIELDS.words},${TERM_FIELDS.pairs}&term_statistics=true&field_statistics=false&positions=false&offsets=false&payloads=false`,
        undefined, { allow404: true },
      ),
    ]);
    const hit = res.hits.hits[0];
    if (!hit) return null;
    if (!tv) throw new IndexGone(`Engine: index ${this.index} is gone`);
    const df = (field: string): Map<string, number> => new Map(Object.entries(tv.term_vectors?.[field]?.terms ?? {}).map(([t, v]) => [t, v.doc_freq ?? 0]));
    const words = df(TERM_FIELDS.words);
    const pairs = df(TERM_FIELDS.pairs);
    const vector = Float32Array.from((hit.fields!.vector![0] as number[]));
    return {
      vector,
      group: keyOf(hit as Hit<ChunkKey>).group,
      counts: {
        size: this.info.chunks,
        // Terms of the chunk's own text only (what distinctiveTerms asks about); a pair "a b" is the token a_b.
        df: (part, term) => (part === 'words' ? words.get(term) : pairs.get(pairToken(...(term.split(' ') as [string, string])))) ?? 0,
      },
    };
  }

  async termScores(req: TermScoresRequest): Promise<ScoredChunk[]> {
    if (req.terms.length === 0 || req.k <= 0) return [];
    const boost = termBoost(req.terms);
    const field = { words: TERM_FIELDS.words, pairs: TERM_FIELDS.pairs } as const;
    const should = req.terms.map((t) => ({ term: { [field[t.part]]: { value: t.part === 'words' ? t.term : pairToken(...(t.term.split(' ') as [string, string])), boost: boost(t) } } }));
    const filter = this.filter(req.allowDocs, 'chunk');
    if (req.within) filter.push({ terms: { id: [...req.within] } });
    const res = await this.search<ChunkKey>({ size: Math.min(req.k, 10_000), sort: BY_SCORE, _source: false, docvalue_fields: KEY_FIELDS, query: { bool: { should, minimum_should_match: 1, filter } } });
    return res.hits.hits.map((h) => keyOf(h));
  }

  async groupChunks(group: number, allowDocs: ReadonlySet<string> | null): Promise<ScoredChunk[]> {
    const out: ScoredChunk[] = [];
    const body = { query: { bool: { filter: [...this.filter(allowDocs, 'chunk'), { term: { group } }] } }, _source: false, docvalue_fields: KEY_FIELDS };
    for await (const hits of scan<ChunkKey>(this.client, this.index, body)) out.push(...hits.map((h) => keyOf(h)));
    return out;
  }

  async chunks(ids: readonly string[]): Promise<Map<string, ChunkRecord>> {
    const out = new Map<string, ChunkRecord>();
    if (ids.length === 0) return out;
    const res = await this.client.request<{ docs: Array<{ found?: boolean; error?: OpenSearchError; _source?: { text: string; stored: Omit<Chunk, 'text'> } }> }>(
      'POST', `/${this.index}/_mget?_source_includes=text,stored`, { ids: ids.map(CHUNK_ID) },
    );
    // A document that could not be read is an error, never a chunk left out: while the index is
    // being deleted every one fails (no shard available, caused by index_not_found).
    const failed = res.docs.find((d) => d.error);
    if (failed) {
      if (isIndexGone(failed.error)) throw new IndexGone(`Engine: index ${this.index} is gone`);
      throw new AppError('engine_unavailable', `Engine: OpenSearch could not read chunks of ${this.index}: ${failed.error!.type ?? 'error'}: ${failed.error!.reason ?? ''}`.slice(0, 400));
    }
    for (const d of res.docs) {
      if (!d.found || !d._source) continue;
      const chunk: Chunk = { ...d._source.stored, text: d._source.text };
      const meta = this.metaById.get(chunk.docId);
      if (meta) out.set(chunk.id, { chunk, meta });
    }
    return out;
  }

  async document(id: string): Promise<ProcessedDoc | null> {
    if (!this.metaById.has(id)) return null;
    const res = await this.client.request<{ found: boolean; _source?: { stored: StoredDoc } } | null>('GET', `/${this.index}/_doc/${encodeURIComponent(DOC_ID(id))}?_source_includes=stored`, undefined, { allow404: true });
    if (!res) {
      // A 404 is either a missing record or a missing index: ask which.
      const exists = await this.client.request<unknown>('GET', `/${this.index}/_count`, undefined, { allow404: true });
      if (exists === null) throw new IndexGone(`Engine: index ${this.index} is gone`);
      return null;
    }
    return res.found && res._source ? restoreDoc(res._source.stored) : null;
  }

  async *mentionCandidates(prepared: PreparedQuery, allowDocs: ReadonlySet<string> | null): AsyncIterable<MentionCandidates[]> {
    const required = prepared.mentionClauses.map((units) => clauseQuery(units, true, 'paragraph'));
    if (required.some((q) => q === null) || required.length === 0) return;
    const body = {
      query: { bool: { filter: [...this.filter(allowDocs, 'paragraph'), ...(required as Dsl[])] } },
      _source: ['docId', 'paragraph', 'stored'],
    };
    for await (const hits of scan<{ docId: string; paragraph: string; stored: Omit<Paragraph, 'text'> }>(this.client, this.index, body)) {
      const byDoc = new Map<string, Paragraph[]>();
      for (const h of hits) {
        const p: Paragraph = { ...h._source.stored, text: h._source.paragraph };
        const list = byDoc.get(h._source.docId);
        if (list) list.push(p);
        else byDoc.set(h._source.docId, [p]);
      }
      yield [...byDoc].map(([docId, paragraphs]) => ({ docId, paragraphs }));
    }
  }
}
