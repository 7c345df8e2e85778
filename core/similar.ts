/**
 * "Practice like this elsewhere": the paragraphs of OTHER councils' reports nearest in meaning
 * to one paragraph, best first, one per report. The paragraph's own embedding is the query (no
 * model call), so this works whatever embedder is loaded; its distinctive terms
 * (core/more-like-this.ts) add word evidence, so that a paragraph whose last clause wanders off
 * its subject still finds passages on that subject (docs/relevance.md). Near-identical copies of
 * the paragraph (the same boilerplate in many reports: its core/duplicates.ts group, or a passage
 * at least NEAR_COPY_COSINE close) are left out and counted; near-identical results among
 * themselves are shown once, with the reports they also appear in.
 * The usual filters apply to the other reports (type, years, judgement such as
 * "care leavers:good|outstanding", councils); the paragraph's own council, with its predecessors
 * and successors, never appears.
 */
import type { SimilarResponse } from './api-types.ts';
import type { Chunk, DocMeta, Paragraph } from './types.ts';
import { NEAR_COPY_COSINE } from './duplicates.ts';
import { AppError } from './errors.ts';
import { councilKey, councilKeys, docPredicate } from './filters.ts';
import { JUDGEMENT_AREAS, paragraphAreas } from './judgements.ts';
import { emptyFilters, type Filters } from './query.ts';
import { toResultItem } from './result-item.ts';

export interface SimilarRequest {
  /** Chunk id of the paragraph (a search result's id), or a paragraph id from the reader. */
  id: string;
  filters?: Partial<Filters>;
  limit?: number;
}

/** Nearest rows fetched per wanted result before every allowed row is scored. */
export const OVERFETCH = 40;
/** Best rows by shared distinctive terms added to the candidates, per wanted result. */
export const WORD_CANDIDATES = 20;
/**
 * Weight of the word evidence: a result's score is its cosine plus this times its share of the
 * paragraph's own "more like this" score (0-1). Cosines of a top 10 span about 0.05-0.1; 0.4 is
 * what moved a two-subject paragraph's list back to its subject on the 20 judged paragraphs
 * (docs/relevance.md: what was tried).
 */
const WORD_WEIGHT = 0.4;

/** A candidate's ranking score: its cosine plus the weighted share of the paragraph's own word score. */
export function similarScore(cosine: number, words: number, self: number): number {
  return cosine + WORD_WEIGHT * Math.min(1, words / (self || 1));
}

/** The reports a paragraph's similar passages may come from: not its own, none of its council (predecessors and successors included), within the filters. */
export function similarDocs(source: DocMeta, filters: Partial<Filters> | undefined): (meta: DocMeta) => boolean {
  const own = source.council ? councilKeys(source.council) : null;
  const pass = docPredicate({ ...emptyFilters(), ...filters });
  return (m) => m.id !== source.id && pass(m) && !(own && m.council && own.has(councilKey(m.council)));
}

/** The chunk holding a paragraph of a document (for a heading, the first chunk after it), or null. */
export function paragraphChunk<C extends { end: number }>(paragraphs: readonly Paragraph[], chunks: readonly C[], anchor: string): C | null {
  const p = paragraphs.find((x) => x.anchor === anchor);
  if (!p) return null;
  return chunks.find((c) => c.end > p.start) ?? null;
}

/** A candidate: its chunk (`key`), report (`doc`), near-identical group, cosine and score. */
export interface SimilarHit<K, D> {
  key: K;
  doc: D;
  group: number;
  cosine: number;
  score: number;
}

export interface Kept<K, D> {
  key: K;
  score: number;
  /** Its report and those of near-identical results shown with it. */
  docs: Set<D>;
}

/**
 * The results from candidates best first: allowed reports only, not the paragraph's group, a
 * near copy (cosine at least NEAR_COPY_COSINE) counted in `copies` and left out, one result per
 * report, near-identical results (one group) shown once with their reports; at most `want`.
 */
export function pickSimilar<K, D>(hits: readonly SimilarHit<K, D>[], sourceGroup: number, allowed: (doc: D) => boolean, copies: Set<D>, want: number): Kept<K, D>[] {
  const out: Kept<K, D>[] = [];
  const byGroup = new Map<number, Kept<K, D>>();
  const docsSeen = new Set<D>();
  for (const h of hits) {
    const d = h.doc;
    if (!allowed(d) || h.group === sourceGroup) continue;
    if (h.cosine >= NEAR_COPY_COSINE) {
      copies.add(d);
      continue;
    }
    if (docsSeen.has(d)) continue;
    const same = byGroup.get(h.group);
    if (same) {
      same.docs.add(d);
      docsSeen.add(d);
      continue;
    }
    if (out.length >= want) continue;
    const entry = { key: h.key, score: h.score, docs: new Set([d]) };
    byGroup.set(h.group, entry);
    out.push(entry);
    docsSeen.add(d);
  }
  return out;
}

/** The answer: the paragraph (with its near copies counted), the areas it is about, the results with citations. */
export function similarResponse(
  source: { chunk: Chunk; meta: DocMeta },
  nearIdentical: number,
  results: ReadonlyArray<{ chunk: Chunk; meta: DocMeta; score: number; keyword: boolean; docs: string[] }>,
  t0: number,
): SimilarResponse {
  const areas = paragraphAreas(source.chunk.section).map((key) => ({ key, label: JUDGEMENT_AREAS.find((a) => a.key === key)!.label }));
  return {
    source: toResultItem(source.chunk, source.meta, [], { keyword: false, semantic: false }, { score: 1, duplicates: 1 + nearIdentical }),
    areas,
    judgementAreas: JUDGEMENT_AREAS.map((a) => ({ key: a.key, label: a.label })),
    nearIdentical,
    results: results.map((r) => {
      const others = r.docs.filter((id) => id !== r.meta.id);
      return toResultItem(r.chunk, r.meta, [], { keyword: r.keyword, semantic: true }, { score: r.score, duplicates: r.docs.length, duplicateDocs: others });
    }),
    tookMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}

export function notFound(id: string): AppError {
  return new AppError('not_found', `Request: no paragraph with id "${id.slice(0, 100)}"`);
}
