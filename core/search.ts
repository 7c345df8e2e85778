/**
 * Search over a loaded index in three modes:
 *   keyword   BM25 with stemming and the thesaurus (core/keyword-search.ts)
 *   semantic  cosine similarity of the query embedding with every chunk
 *   hybrid    both, fused (core/fusion.ts)
 * Filters, facets, exclusions and phrase checks apply in every mode; near-identical chunks are
 * collapsed into one result with a count.
 */
import type { ResultItem, SearchMode, SearchResponse } from './api-types.ts';
import type { Embedder } from './embedder.ts';
import { badParam } from './errors.ts';
import { councilKey, councilKeys, docPredicate, facetCounts, isEmpty } from './filters.ts';
import { councilClauses, namedCouncilKeys, ofNamedCouncil } from './coordination.ts';
import { councilNames, meaningText, NOTHING_UNDERSTOOD, understand, unlessFiltered, type Understood } from './understand.ts';
import { DEFAULT_FUSION, fuse, type Fused, type FusionOptions } from './fusion.ts';
import { DEFAULT_KEYWORD_WEIGHTS, excludedIds, planKeywordQuery, runKeyword, type KeywordHit, type KeywordPlan, type KeywordRunOptions, type KeywordWeights } from './keyword-search.ts';
import { prepareQuery } from './prepared-query.ts';
import { semanticText, type Filters, type ParsedQuery } from './query.ts';
import { toResultItem } from './result-item.ts';
import type { SearchIndex } from './search-index.ts';
import { focusSentences, FOCUS_RESULTS } from './focus-sentence.ts';
import { findAll } from './text-match.ts';
import { collapseGroups, type Collapsed as CollapsedOf } from './collapse.ts';
import { TopK } from './top-k.ts';
import { dotRow, type Scored } from './vectors.ts';

export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'keyword', 'semantic'];

export interface SearchRequest {
  q: string;
  mode?: SearchMode;
  limit?: number;
  offset?: number;
  filters?: Partial<Filters>;
  /** Read councils and years in the free text as soft boosts (default true). */
  understand?: boolean;
  /**
   * Awaited before each stage of work on this thread (at the start, when the query vector has
   * arrived, when the focus sentences have), so a server can run the stages of a long search at
   * a lower priority than short requests (server/cooperative.ts backgroundTurn). The answer does
   * not depend on it.
   */
  pause?: () => Promise<void>;
}

export interface SearchTuning {
  fusion: FusionOptions;
  /** Semantic candidates considered (and returned at most) per query. */
  semanticK: number;
  /** Keyword hits fused in hybrid mode (best first). */
  hybridKeywordK: number;
  /** Use the thesaurus in keyword and hybrid modes. */
  thesaurus: boolean;
  keyword: KeywordWeights;
  /** Score factor for a report of a council named in the query (a soft boost, never a filter). */
  councilBoost: number;
  /** Score factor for a report of a year written in the query. */
  yearBoost: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  fusion: DEFAULT_FUSION,
  semanticK: 100,
  hybridKeywordK: 300,
  thesaurus: true,
  keyword: DEFAULT_KEYWORD_WEIGHTS,
  councilBoost: 1.5,
  yearBoost: 1,
};

/** Rows scored between two pauses when every allowed row is scored (~1-3 ms of work). */
const SCAN_BLOCK = 4096;

/** Candidates ranked per query (more only when a page asks for them). */
const CANDIDATES = 1000;

interface Ranked extends Fused {}

type Collapsed = CollapsedOf<Ranked>;

interface RankedList {
  /** Allowed candidates, best first. */
  list: Ranked[];
  /** Every allowed match, near-identical chunks counted once (the list may hold fewer). */
  total: number;
  /** The best candidates whatever the filters (facet counts). */
  facetRows: number[];
  plan: KeywordPlan;
  queryVector: Float32Array | null;
}

export class SearchEngine {
  readonly index: SearchIndex;
  readonly embedder: Embedder | null;
  readonly tuning: SearchTuning;
  private readonly groups: Int32Array;
  private readonly councils: ReturnType<typeof councilNames>;

  constructor(index: SearchIndex, embedder: Embedder | null, tuning: Partial<SearchTuning> = {}) {
    this.index = index;
    this.embedder = embedder;
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.groups = index.keyword.groups;
    this.councils = councilNames(index.docs.flatMap((d) => (d.meta.council ? [d.meta.council] : [])));
  }

  /**
   * Councils and years the free text names that the filters do not already fix, and a score
   * factor per document for them; and every council the text names (`named`, filters or not).
   */
  protected understood(parsed: ParsedQuery, filters: Filters): { understood: Understood; docBoost: Float32Array | null; named: string[] } {
    const read = understand(parsed, this.councils);
    const understood = unlessFiltered(read, filters);
    const { councilBoost, yearBoost } = this.tuning;
    const named = read.councils;
    if ((understood.councils.length === 0 || councilBoost === 1) && (understood.years.length === 0 || yearBoost === 1)) return { understood, docBoost: null, named };
    const keys = new Set(understood.councils.flatMap((c) => [...councilKeys(c)]));
    const docBoost = new Float32Array(this.index.docs.length).fill(1);
    this.index.docs.forEach((d, i) => {
      if (d.meta.council && keys.has(councilKey(d.meta.council))) docBoost[i]! *= councilBoost;
      if (d.meta.year !== null && understood.years.includes(d.meta.year)) docBoost[i]! *= yearBoost;
    });
    return { understood, docBoost, named };
  }

  /**
   * The clauses that are the words of the councils a query names, and whether a row is in one of
   * their reports (predecessors and successors count): there the report satisfies those clauses.
   */
  protected reportClauses(plan: KeywordPlan, named: string[]): KeywordRunOptions['reportClauses'] {
    if (named.length === 0) return undefined;
    const { words } = this.index.keyword;
    const typed = plan.clauses.map((terms) => terms.flatMap((t) => (t.field === 'words' && t.alternative === undefined ? [words.terms[t.id]!] : [])));
    const clauses = councilClauses(typed, named);
    if (clauses.length === 0) return undefined;
    const keys = namedCouncilKeys(named);
    const inReport = this.index.docs.map((d) => ofNamedCouncil(d.meta.council, keys));
    return { clauses, has: (row) => inReport[this.index.chunkDoc[row]!]! };
  }

  async search(req: SearchRequest): Promise<SearchResponse> {
    const t0 = performance.now();
    const pause = req.pause ?? (async () => {});
    await pause();
    const mode = req.mode ?? 'hybrid';
    const limit = req.limit ?? 10;
    const offset = req.offset ?? 0;
    const { parsed, filters } = prepareQuery(req.q, req.filters);
    if (mode !== 'keyword' && !this.embedder) throw badParam('mode', `"${mode}" needs the embedding model, which is not loaded; use mode=keyword`);

    const { index } = this;
    const allowDoc = docPredicate(filters);
    const allowed = index.docs.map((d) => allowDoc(d.meta));
    const want = Math.max(CANDIDATES, offset + limit + 100);
    const { understood, docBoost, named } = req.understand === false ? { understood: NOTHING_UNDERSTOOD, docBoost: null, named: [] } : this.understood(parsed, filters);
    // What the meaning side embeds: without the council names read (they are boosts), unless understanding is off.
    const meaning = mode === 'keyword' ? '' : req.understand === false ? semanticText(parsed) : meaningText(parsed, this.councils);
    const boost = docBoost ? (row: number) => docBoost[index.chunkDoc[row]!]! : undefined;
    const boostedDocs = docBoost ? index.docs.flatMap((_, i) => (docBoost[i] !== 1 ? [i] : [])) : [];
    const ranked = await this.rank(parsed, mode, isEmpty(filters) ? undefined : (row) => allowed[index.chunkDoc[row]!]!, want, boost, boostedDocs, named, meaning, pause);
    const { page } = collapseGroups(ranked.list, (row) => this.groups[row]!, offset, limit);
    const results = await this.toResults(page, parsed, ranked, pause);
    // Facets count the best candidates (whatever the filters) per document, then per value.
    const perDoc = new Int32Array(index.docs.length);
    for (const r of ranked.facetRows) perDoc[index.chunkDoc[r]!]!++;
    const candidates = index.docs.flatMap((d, i) => (perDoc[i]! > 0 ? [{ meta: d.meta, count: perDoc[i]! }] : []));
    return {
      query: req.q,
      mode,
      total: ranked.total,
      tookMs: Math.round((performance.now() - t0) * 10) / 10,
      embedder: index.manifest.embedder,
      results,
      facets: facetCounts(candidates, filters),
      understood,
    };
  }

  /**
   * Rank the allowed candidates of the mode, best first (at most `want`); count every match; and
   * keep the best rows whatever the filters, for facet counts.
   */
  private async rank(
    parsed: ParsedQuery,
    mode: SearchMode,
    allowRow: ((row: number) => boolean) | undefined,
    want: number,
    boost: ((row: number) => number) | undefined,
    boostedDocs: number[],
    named: string[],
    meaning: string,
    pause: () => Promise<void>,
  ): Promise<RankedList> {
    const { index, tuning } = this;
    // The query vector is made (by the embedder, on its own thread in the server) while the keyword side runs here.
    const vector = mode === 'keyword' ? null : this.embedder!.embedQuery(meaning);
    vector?.catch(() => undefined); // awaited below; a keyword-side error must not leave it unhandled
    const plan = planKeywordQuery(parsed, index.keyword, tuning.thesaurus && mode !== 'semantic', tuning.keyword);
    const textOf = (i: number): string => index.chunks[i]!.text;
    // Phrases bind every mode: their keyword hits (phrase-checked) are the only rows meaning may add.
    const needsKeyword = mode !== 'semantic' || plan.phrases.length > 0;
    const keyword = needsKeyword
      ? runKeyword(index.keyword, plan, parsed.exclude, { textOf, k: want, allow: allowRow, boost, groupOf: this.groups, reportClauses: this.reportClauses(plan, named) }, tuning.keyword.bm25)
      : { hits: [], unfiltered: [], total: 0, groups: new Set<number>() };
    const facetRows = keyword.unfiltered.map((h) => h.index);
    if (mode === 'keyword') {
      return { list: keyword.hits.map((h) => ({ index: h.index, score: h.score, keyword: true, semantic: false })), total: keyword.total, facetRows, plan, queryVector: null };
    }
    const queryVector = await vector!;
    await pause();
    const cosine = (row: number): number => dotRow(index.vectors, row, queryVector) * (boost ? boost(row) : 1);
    const gate = this.semanticGate(parsed, plan, keyword.hits);
    const semantic = await this.nearest(queryVector, cosine, gate && allowRow ? (row) => allowRow(row) && gate(row) : gate ?? allowRow, boostedDocs, pause);
    await pause();
    if (mode === 'semantic') {
      const rows = semantic.map((h) => h.index);
      const total = new Set(rows.map((r) => this.groups[r]!)).size;
      return { list: semantic.map((h) => ({ index: h.index, score: h.score, keyword: false, semantic: true })), total, facetRows: rows, plan, queryVector };
    }
    const fused = fuse(keyword.hits.slice(0, tuning.hybridKeywordK), semantic, cosine, tuning.fusion);
    // Keyword hits beyond the fused head keep their BM25 order after it.
    const tail = keyword.hits.slice(tuning.hybridKeywordK).map((h) => ({ index: h.index, score: 0, keyword: true, semantic: false }));
    const semanticOnly = new Set(fused.filter((f) => !f.keyword).map((f) => this.groups[f.index]!).filter((g) => !keyword.groups.has(g))).size;
    return { list: [...fused, ...tail], total: keyword.total + semanticOnly, facetRows: [...facetRows, ...semantic.map((h) => h.index)], plan, queryVector };
  }

  /**
   * The semantic candidates: the nearest allowed rows by `cosine` (boosts applied). The nearest
   * rows overall come from the index's vector search (more of them when filters may drop some);
   * when too few pass the filters, every allowed row is scored; rows of boosted documents are
   * scored too, as their boost may lift them in.
   */
  private async nearest(q: Float32Array, cosine: (row: number) => number, allow: ((row: number) => boolean) | undefined, boostedDocs: number[], pause: () => Promise<void>): Promise<Scored[]> {
    const { index } = this;
    const k = this.tuning.semanticK;
    let top = new TopK(k);
    const seen = new Set<number>();
    let passed = 0;
    for (const h of index.vectorSearch.nearest(q, allow ? k * 8 : k)) {
      seen.add(h.index);
      if (allow && !allow(h.index)) continue;
      passed++;
      top.offer(h.index, cosine(h.index));
    }
    if (allow && passed < k) {
      top = new TopK(k);
      seen.clear();
      for (let r = 0; r < index.chunks.length; r++) {
        // Scoring every row is long at scale (tens of ms): a pause between blocks of rows.
        if (r > 0 && r % SCAN_BLOCK === 0) await pause();
        seen.add(r);
        if (allow(r)) top.offer(r, cosine(r));
      }
    }
    for (const d of boostedDocs) {
      for (let r = index.docStart[d]!; r < index.docStart[d + 1]!; r++) if (!seen.has(r) && (!allow || allow(r))) top.offer(r, cosine(r));
    }
    return top.result();
  }

  /** Semantic hits must still honour phrases and exclusions. */
  private semanticGate(parsed: ParsedQuery, plan: KeywordPlan, keyword: KeywordHit[]): ((row: number) => boolean) | undefined {
    if (plan.phrases.length > 0) {
      const rows = new Set(keyword.map((h) => h.index));
      return (row) => rows.has(row);
    }
    if (parsed.exclude.length === 0) return undefined;
    const excluded = excludedIds(this.index.keyword, parsed.exclude, (i) => this.index.chunks[i]!.text);
    return (row) => !excluded.has(row);
  }

  private async toResults(
    page: Collapsed[],
    parsed: ParsedQuery,
    ranked: RankedList,
    pause: () => Promise<void>,
  ): Promise<ResultItem[]> {
    const { index } = this;
    const { plan, queryVector } = ranked;
    // The plan lists what to mark: words, phrases, thesaurus alternatives (whole), typo and prefix expansions.
    const highlight = plan.highlight.length > 0 ? plan.highlight : parsed.clauses.flatMap((c) => c.any);
    const items = page.map((r) => {
      const chunk = index.chunks[r.index]!;
      return { r, chunk, spans: findAll(chunk.text, highlight) };
    });
    // Only the first few meaning-only hits get a sentence embedding pass: it costs a model call.
    const unmarked = items.filter((i) => i.spans.length === 0).slice(0, FOCUS_RESULTS);
    let focus: number[] = [];
    if (queryVector && unmarked.length > 0) {
      focus = await focusSentences(this.embedder, unmarked.map((i) => i.chunk.text), queryVector);
      await pause();
    }
    let f = 0;
    return items.map(({ r, chunk, spans }) => {
      const doc = index.docs[index.chunkDoc[r.index]!]!;
      const others = [...new Set(r.others.map((o) => index.docs[index.chunkDoc[o]!]!.meta.id))].filter((id) => id !== doc.meta.id);
      return toResultItem(chunk, doc.meta, spans, { keyword: r.keyword, semantic: r.semantic }, {
        score: r.score,
        duplicates: r.duplicates,
        duplicateDocs: others,
        focusSentence: spans.length === 0 ? focus[f++] ?? null : null,
      });
    });
  }
}
