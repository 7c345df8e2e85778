/**
 * The product over an engine (core/engine.ts): search in three modes, every mention, the
 * document list and the reader, a council's record and similar paragraphs, answered in the JSON
 * contract of core/api-schema.ts whichever engine holds the index (core/embedded-engine.ts in this
 * process, opensearch/engine.ts on a cluster). The engine only finds candidates; the query
 * language, filters and facets, understanding, fusion, near-duplicate collapsing, snippets,
 * citations, phrase checks and counting are the shared modules of core/.
 */
import type { CouncilResponse, DocumentResponse, DocumentsResponse, SimilarResponse, ResultItem, SearchMode, SearchResponse } from './api-types.ts';
import { councilDocs, councilFilter, councilRecordOf } from './council.ts';
import { documentResponse, docListItem, sortedList } from './documents.ts';
import type { Embedder } from './embedder.ts';
import type { ChunkRecord, DocEntry, Engine, EngineInfo, EngineView, KeywordCandidates, ScoredChunk } from './engine.ts';
import { distinctiveTerms } from './more-like-this.ts';
import { notFound, OVERFETCH, paragraphChunk, pickSimilar, similarDocs, similarResponse, similarScore, WORD_CANDIDATES, type Kept, type SimilarRequest } from './similar.ts';
import { AppError, badParam } from './errors.ts';
import { councilKey, councilKeys, docPredicate, facetCounts, isEmpty } from './filters.ts';
import { fuse } from './fusion.ts';
import { findMentionsInSteps, mentionsAnswer, newestFirst, runSteps, type MentionsAnswer, type MentionsRequest } from './mentions.ts';
import { prepareQuery, type PreparedQuery } from './prepared-query.ts';
import { semanticText, type Filters, type ParsedQuery } from './query.ts';
import { toResultItem } from './result-item.ts';
import { DEFAULT_TUNING, type SearchRequest, type SearchTuning } from './search-request.ts';
import { focusSentences, FOCUS_RESULTS } from './focus-sentence.ts';
import { findAll, type Matchable } from './text-match.ts';
import { queryParts, runSynonyms } from './word-runs.ts';
import { collapseGroups, type Collapsed as CollapsedOf } from './collapse.ts';
import { councilNames, meaningText, NOTHING_UNDERSTOOD, understand, unlessFiltered, type Understood } from './understand.ts';
import type { DocMeta, Paragraph, ProcessedDoc } from './types.ts';

/** Candidates ranked per query (more only when a page asks for them). */
const CANDIDATES = 1000;

interface Ranked {
  index: number;
  score: number;
  keyword: boolean;
  semantic: boolean;
}

type Collapsed = CollapsedOf<Ranked>;

/** Per view: documents by id and the council names understanding reads. */
interface ViewDocs {
  byId: Map<string, DocEntry>;
  councils: ReturnType<typeof councilNames>;
}

const viewDocs = new WeakMap<EngineView, ViewDocs>();

function docsOf(view: EngineView): ViewDocs {
  let v = viewDocs.get(view);
  if (!v) {
    v = {
      byId: new Map(view.documents.map((d) => [d.meta.id, d])),
      councils: councilNames(view.documents.flatMap((d) => (d.meta.council ? [d.meta.council] : []))),
    };
    viewDocs.set(view, v);
  }
  return v;
}

export class EngineSearch {
  readonly engine: Engine;
  readonly embedder: Embedder | null;
  readonly tuning: SearchTuning;

  constructor(engine: Engine, embedder: Embedder | null, tuning: Partial<SearchTuning> = {}) {
    this.engine = engine;
    this.embedder = embedder;
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  info(): Promise<EngineInfo> {
    return this.engine.withView(async (view) => view.info);
  }

  /** The metadata of the document whose original file is `source`, or null. */
  docBySource(source: string): Promise<DocMeta | null> {
    return this.engine.withView(async (view) => view.documents.find((d) => d.meta.source === source)?.meta ?? null);
  }

  listDocuments(): Promise<DocumentsResponse> {
    return this.engine.withView(async (view) => sortedList(view.documents.map((d) => docListItem(d.meta, d.chunks, d.paragraphs))));
  }

  document(id: string, q?: string): Promise<DocumentResponse> {
    // The query is checked before the engine is asked.
    if (q) prepareQuery(q);
    return this.engine.withView(async (view) => documentResponse(await view.document(id), id, q));
  }

  search(req: SearchRequest): Promise<SearchResponse> {
    const mode = req.mode ?? 'hybrid';
    const prepared = prepareQuery(req.q, req.filters);
    if (mode !== 'keyword' && !this.embedder) throw badParam('mode', `"${mode}" needs the embedding model, which is not loaded; use mode=keyword`);
    return this.engine.withView((view) => this.searchView(view, req, mode, prepared));
  }

  private async searchView(view: EngineView, req: SearchRequest, mode: SearchMode, prepared: PreparedQuery): Promise<SearchResponse> {
    const t0 = performance.now();
    const pause = req.pause ?? (async () => {});
    await pause();
    const limit = req.limit ?? 10;
    const offset = req.offset ?? 0;
    const { parsed, filters } = prepared;
    const { tuning } = this;
    if (mode !== 'keyword' && view.info.embedder.id !== this.embedder!.info.id) {
      throw new AppError('embedder_mismatch', `Embedder: the index was built with "${view.info.embedder.id}" but the server runs "${this.embedder!.info.id}"; restart the server`);
    }
    const docs = docsOf(view);
    const allowDocs = isEmpty(filters) ? null : new Set(view.documents.filter((d) => docPredicate(filters)(d.meta)).map((d) => d.meta.id));
    const { understood, boosts, named } = req.understand === false ? { understood: NOTHING_UNDERSTOOD, boosts: new Map<string, number>(), named: [] } : this.understood(view, parsed, filters);
    // What the meaning side embeds: without the council names read (they are boosts), unless understanding is off.
    const meaning = mode === 'keyword' ? '' : req.understand === false ? semanticText(parsed) : meaningText(parsed, docs.councils);
    const want = Math.max(CANDIDATES, offset + limit + 100);

    // Chunks are numbered per request, for fusion and collapsing (a keyword search's hits are distinct: no lookup).
    const rows: ScoredChunk[] = [];
    const rowOf = mode === 'keyword' ? null : new Map<string, number>();
    const row = (c: ScoredChunk): number => {
      if (!rowOf) return rows.push(c) - 1;
      let r = rowOf.get(c.id);
      if (r === undefined) {
        r = rows.length;
        rows.push(c);
        rowOf.set(c.id, r);
      }
      return r;
    };

    // The query vector is made (by the embedder, on its own thread in the server) while the keyword side runs.
    const vector = mode === 'keyword' ? null : this.embedder!.embedQuery(meaning);
    vector?.catch(() => undefined); // awaited below; a keyword-side error must not leave it unhandled
    const hasPhrases = parsed.clauses.some((c) => c.any.some((u) => u.kind === 'phrase' || u.kind === 'exact'));
    const needsKeyword = mode !== 'semantic' || hasPhrases;
    const keyword: KeywordCandidates = needsKeyword
      ? await view.keyword({ prepared, k: want, allowDocs, boosts, named, thesaurus: tuning.thesaurus && mode !== 'semantic', weights: tuning.keyword })
      : { hits: [], total: 0, groups: new Set(), unfiltered: [] };
    let list: Ranked[];
    let total: number;
    let facetChunks: ScoredChunk[] = keyword.unfiltered;
    let queryVector: Float32Array | null = null;
    if (mode === 'keyword') {
      list = keyword.hits.map((h) => ({ index: row(h), score: h.score, keyword: true, semantic: false }));
      total = keyword.total;
    } else {
      const keywordList = keyword.hits.map((h) => ({ index: row(h), score: h.score }));
      queryVector = await vector!;
      await pause();
      const boostOf = (c: ScoredChunk): number => boosts.get(c.docId) ?? 1;
      const within = hasPhrases ? keyword.hits.map((h) => h.id) : null;
      const excludeQuery = parsed.exclude.length > 0 ? prepared : null;
      const nearest = within && within.length === 0 ? [] : await view.nearest({ vector: queryVector, k: tuning.semanticK, allowDocs, within, excludeQuery, pause });
      // Reports of a council or year named in the query: their chunks may be lifted in by the boost.
      const boosted = [...boosts.keys()].filter((id) => !allowDocs || allowDocs.has(id));
      const lifted = boosted.length > 0 && (!within || within.length > 0)
        ? await view.nearest({ vector: queryVector, k: tuning.semanticK, allowDocs: new Set(boosted), within, excludeQuery, pause })
        : [];
      const cosine = new Map<number, number>();
      for (const c of [...nearest, ...lifted]) cosine.set(row(c), c.score * boostOf(c));
      await pause();
      const semantic = [...cosine].map(([index, score]) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index).slice(0, tuning.semanticK);
      if (mode === 'semantic') {
        list = semantic.map((h) => ({ ...h, keyword: false, semantic: true }));
        total = new Set(semantic.map((h) => rows[h.index]!.group)).size;
        facetChunks = semantic.map((h) => rows[h.index]!);
      } else {
        const head = keywordList.slice(0, tuning.hybridKeywordK);
        // The exact cosine of every keyword hit fused.
        const missing = head.filter((h) => !cosine.has(h.index)).map((h) => rows[h.index]!.id);
        if (missing.length > 0) {
          for (const c of await view.nearest({ vector: queryVector, k: missing.length, allowDocs: null, within: missing, excludeQuery: null })) cosine.set(row(c), c.score * boostOf(c));
        }
        const fused = fuse(head, semantic, (i) => cosine.get(i) ?? 0, tuning.fusion);
        const tail = keywordList.slice(tuning.hybridKeywordK).map((h) => ({ index: h.index, score: 0, keyword: true, semantic: false }));
        list = [...fused, ...tail];
        const semanticOnly = new Set(fused.filter((f) => !f.keyword).map((f) => rows[f.index]!.group).filter((g) => !keyword.groups.has(g))).size;
        total = keyword.total + semanticOnly;
        facetChunks = [...keyword.unfiltered, ...semantic.map((h) => rows[h.index]!)];
      }
    }
    const { page } = collapseGroups(list, (row) => rows[row]!.group, offset, limit);
    const results = await this.toResults(view, page, rows, parsed, mode !== 'semantic' && tuning.thesaurus, keyword.expanded ?? [], queryVector, pause);
    const perDoc = new Map<string, number>();
    for (const c of facetChunks) perDoc.set(c.docId, (perDoc.get(c.docId) ?? 0) + 1);
    const candidates = [...perDoc].flatMap(([id, count]) => {
      const d = docs.byId.get(id);
      return d ? [{ meta: d.meta, count }] : [];
    });
    return {
      query: req.q,
      mode,
      total,
      tookMs: Math.round((performance.now() - t0) * 10) / 10,
      embedder: view.info.embedder,
      results,
      facets: facetCounts(candidates, filters),
      understood,
    };
  }

  /** Councils and years named in the text that the filters do not already fix, as score factors per document; and every council named (`named`, filters or not). */
  protected understood(view: EngineView, parsed: ParsedQuery, filters: Filters): { understood: Understood; boosts: Map<string, number>; named: string[] } {
    const read = understand(parsed, docsOf(view).councils);
    const understood = unlessFiltered(read, filters);
    const { councilBoost, yearBoost } = this.tuning;
    const boosts = new Map<string, number>();
    const named = read.councils;
    if ((understood.councils.length === 0 || councilBoost === 1) && (understood.years.length === 0 || yearBoost === 1)) return { understood, boosts, named };
    const keys = new Set(understood.councils.flatMap((c) => [...councilKeys(c)]));
    for (const { meta } of view.documents) {
      let f = 1;
      if (meta.council && keys.has(councilKey(meta.council))) f *= councilBoost;
      if (meta.year !== null && understood.years.includes(meta.year)) f *= yearBoost;
      if (f !== 1) boosts.set(meta.id, f);
    }
    return { understood, boosts, named };
  }

  private async toResults(
    view: EngineView,
    page: Collapsed[],
    rows: ScoredChunk[],
    parsed: ParsedQuery,
    thesaurus: boolean,
    expanded: readonly string[],
    queryVector: Float32Array | null,
    pause: () => Promise<void>,
  ): Promise<ResultItem[]> {
    const records = await view.chunks(page.map((r) => rows[r.index]!.id));
    const highlight = highlightOf(parsed, thesaurus, expanded);
    const items = page.flatMap((r) => {
      const rec = records.get(rows[r.index]!.id);
      return rec ? [{ r, rec, spans: findAll(rec.chunk.text, highlight) }] : [];
    });
    // Only the first few meaning-only hits get a sentence embedding pass: it costs a model call.
    const unmarked = items.filter((i) => i.spans.length === 0).slice(0, FOCUS_RESULTS);
    let focus: number[] = [];
    if (queryVector && unmarked.length > 0) {
      focus = await focusSentences(this.embedder, unmarked.map((i) => i.rec.chunk.text), queryVector);
      await pause();
    }
    let f = 0;
    return items.map(({ r, rec, spans }) => {
      const others = [...new Set(r.others.map((o) => rows[o]!.docId))].filter((id) => id !== rec.meta.id);
      return toResultItem(rec.chunk, rec.meta, spans, { keyword: r.keyword, semantic: r.semantic }, {
        score: r.score,
        duplicates: r.duplicates,
        duplicateDocs: others,
        focusSentence: spans.length === 0 ? focus[f++] ?? null : null,
      });
    });
  }

  /** Every mention, exactly and uncapped: the engine streams candidate paragraphs, the shared matcher decides and counts. */
  mentions(req: MentionsRequest): Promise<MentionsAnswer> {
    const prepared = prepareQuery(req.q, req.filters);
    return this.engine.withView((view) => this.mentionsOn(view, req, prepared));
  }

  /**
   * Practice like this elsewhere (core/similar.ts, the same steps as the embedded engine): the
   * paragraph's nearest chunks by its own embedding and its distinctive terms' best chunks, each
   * scored by cosine plus word share, picked by the shared rules.
   */
  similar(req: SimilarRequest): Promise<SimilarResponse> {
    return this.engine.withView(async (view) => {
      const t0 = performance.now();
      const limit = req.limit ?? 10;
      const chunk = await this.similarChunk(view, req.id);
      if (!chunk) throw notFound(req.id);
      const source = await view.similarSource(chunk.chunk.id);
      if (!source) throw notFound(req.id);
      const allowMeta = similarDocs(chunk.meta, req.filters);
      const allowDocs = new Set(view.documents.filter((d) => allowMeta(d.meta)).map((d) => d.meta.id));
      const allowed = (doc: string): boolean => allowDocs.has(doc);
      const copies = new Set((await view.groupChunks(source.group, allowDocs)).filter((c) => c.id !== chunk.chunk.id).map((c) => c.docId));
      const terms = distinctiveTerms(source.counts, chunk.chunk.text);
      const self = (await view.termScores({ terms, k: 1, allowDocs: null, within: [chunk.chunk.id] }))[0]?.score ?? 0;
      const byWords = await view.termScores({ terms, k: limit * WORD_CANDIDATES, allowDocs, within: null });
      const words = new Map(byWords.map((c) => [c.id, c.score]));
      const keys = new Map(byWords.map((c) => [c.id, c]));
      const allowedChunks = view.documents.reduce((n, d) => n + (allowDocs.has(d.meta.id) ? d.chunks : 0), 0);
      let kept: Kept<string, string>[] = [];
      // As the embedded engine: the nearest chunks overall, then, if too few pass, every allowed one (as many as OpenSearch returns).
      for (let pass = 0; pass < 2; pass++) {
        const nearest = pass === 0
          ? await view.nearest({ vector: source.vector, k: limit * OVERFETCH, allowDocs: null, within: null, excludeQuery: null })
          : await view.nearest({ vector: source.vector, k: allowedChunks, allowDocs, within: null, excludeQuery: null });
        const cosine = new Map(nearest.map((c) => [c.id, c.score]));
        for (const c of nearest) keys.set(c.id, c);
        const missingCos = byWords.filter((c) => !cosine.has(c.id)).map((c) => c.id);
        if (missingCos.length > 0) for (const c of await view.nearest({ vector: source.vector, k: missingCos.length, allowDocs: null, within: missingCos, excludeQuery: null })) cosine.set(c.id, c.score);
        const missingWords = nearest.filter((c) => !words.has(c.id) && allowed(c.docId)).map((c) => c.id);
        for (const c of await view.termScores({ terms, k: missingWords.length, allowDocs: null, within: missingWords })) words.set(c.id, c.score);
        const hits = [...cosine].map(([id, cos]) => {
          const c = keys.get(id)!;
          return { key: id, doc: c.docId, group: c.group, cosine: cos, score: similarScore(cos, words.get(id) ?? 0, self) };
        });
        hits.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        kept = pickSimilar(hits, source.group, allowed, copies, limit);
        if (kept.length >= limit) break;
      }
      const records = await view.chunks(kept.map((k) => k.key));
      return similarResponse(chunk, copies.size, kept.flatMap((k) => {
        const r = records.get(k.key);
        return r ? [{ chunk: r.chunk, meta: r.meta, score: k.score, keyword: (words.get(k.key) ?? 0) > 0, docs: [...k.docs] }] : [];
      }), t0);
    });
  }

  /** The chunk of a chunk id, or of a paragraph id (`<docId>#<anchor>`: the chunk holding it), or null. */
  private async similarChunk(view: EngineView, id: string): Promise<ChunkRecord | null> {
    const direct = (await view.chunks([id])).get(id);
    if (direct) return direct;
    const hash = id.lastIndexOf('#');
    if (hash <= 0 || !docsOf(view).byId.has(id.slice(0, hash))) return null;
    const doc = await view.document(id.slice(0, hash));
    const chunk = doc ? paragraphChunk(doc.paragraphs, doc.chunks, id.slice(hash + 1)) : null;
    return chunk ? (await view.chunks([chunk.id])).get(chunk.id) ?? null : null;
  }

  /** A council's record (core/council.ts): its reports from the view's documents, a theme's mentions counted by the shared matcher. */
  council(name: string, q?: string): Promise<CouncilResponse> {
    const prepared = q !== undefined ? prepareQuery(q, councilFilter(name)) : null;
    return this.engine.withView(async (view) => {
      const docs = councilDocs(view.documents, name);
      const found = prepared ? (await this.mentionsOn(view, { q: q!, filters: councilFilter(name), limit: 0 }, prepared)).all : [];
      return councilRecordOf(docs, name, q, found);
    });
  }

  private async mentionsOn(view: EngineView, req: MentionsRequest, prepared: PreparedQuery): Promise<MentionsAnswer> {
    const allow = docPredicate(prepared.filters);
    const docs = view.documents.filter((d) => allow(d.meta));
    const allowDocs = isEmpty(prepared.filters) ? null : new Set(docs.map((d) => d.meta.id));
    // Per document: the whole document when the engine holds it, else its candidate paragraphs.
    const found = new Map<string, ProcessedDoc | Paragraph[]>();
    for await (const batch of view.mentionCandidates(prepared, allowDocs)) {
      for (const c of batch) {
        const had = found.get(c.docId);
        if (c.doc) found.set(c.docId, c.doc);
        else if (Array.isArray(had)) had.push(...c.paragraphs);
        else if (!had) found.set(c.docId, [...c.paragraphs]);
      }
    }
    const ordered = docs
      .filter((d) => found.has(d.meta.id))
      .sort(newestFirst)
      .map((d) => {
        const f = found.get(d.meta.id)!;
        return Array.isArray(f) ? partialDoc(d.meta, f) : f;
      });
    const steps = findMentionsInSteps(ordered, prepared);
    return mentionsAnswer(req, docs, req.steps ? await req.steps(steps) : runSteps(steps));
  }
}

/** What is marked in results: the query's units, the typo and prefix expansions the engine searched, and with the thesaurus the alternatives of its word runs (core/word-runs.ts, as the keyword engines search them). */
function highlightOf(parsed: ParsedQuery, thesaurus: boolean, expanded: readonly string[]): Matchable[] {
  const out: Matchable[] = [...parsed.clauses.flatMap((c) => c.any), ...expanded.map((t): Matchable => ({ kind: 'stems', stems: [t] }))];
  if (!thesaurus) return out;
  for (const { run } of queryParts(parsed)) {
    if (run) for (const span of runSynonyms(run)) for (const alt of span.alternatives) if (alt.length > 0) out.push({ kind: 'stems', stems: alt });
  }
  return out;
}

/** A document holding only some of its paragraphs (offsets re-based onto their joined text), for the shared matcher. */
function partialDoc(meta: DocMeta, paragraphs: Paragraph[]): ProcessedDoc {
  const sorted = [...paragraphs].sort((a, b) => a.start - b.start);
  let at = 0;
  const rebased = sorted.map((p) => {
    const q = { ...p, start: at, end: at + p.text.length };
    at = q.end + 2;
    return q;
  });
  return { meta, text: rebased.map((p) => p.text).join('\n\n'), paragraphs: rebased, chunks: [] };
}
