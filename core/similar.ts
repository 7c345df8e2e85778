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
import { NEAR_COPY_COSINE } from './duplicates.ts';
import { AppError } from './errors.ts';
import { councilKey, councilKeys, docPredicate } from './filters.ts';
import { JUDGEMENT_AREAS, paragraphAreas } from './judgements.ts';
import { emptyFilters, type Filters } from './query.ts';
import { distinctiveTerms, moreLikeThisScores } from './more-like-this.ts';
import { toResultItem } from './result-item.ts';
import type { SearchIndex } from './search-index.ts';
import { TopK } from './top-k.ts';
import { dotRow } from './vectors.ts';

export interface SimilarRequest {
  /** Chunk id of the paragraph (a search result's id), or a paragraph id from the reader. */
  id: string;
  filters?: Partial<Filters>;
  limit?: number;
}

/** Nearest rows fetched per wanted result before every allowed row is scored. */
const OVERFETCH = 40;
/** Best rows by shared distinctive terms added to the candidates, per wanted result. */
const WORD_CANDIDATES = 20;
/**
 * Weight of the word evidence: a result's score is its cosine plus this times its share of the
 * paragraph's own "more like this" score (0-1). Cosines of a top 10 span about 0.05-0.1; 0.4 is
 * what moved a two-subject paragraph's list back to its subject on the 20 judged paragraphs
 * (docs/relevance.md: what was tried).
 */
const WORD_WEIGHT = 0.4;

interface Hit {
  index: number;
  /** Cosine of the embeddings (near-copy test). */
  cosine: number;
  /** Ranking score: cosine plus the weighted word evidence. */
  score: number;
}

interface Kept {
  row: number;
  score: number;
  docs: Set<number>;
}

/**
 * The chunk row of a chunk id, or of a paragraph id (`<docId>#<anchor>`, as the reader has them):
 * the chunk that holds the paragraph (or, for a heading, the first chunk after it).
 */
export function rowOf(index: SearchIndex, id: string): number | null {
  const direct = index.chunkById.get(id);
  if (direct !== undefined) return direct;
  const hash = id.lastIndexOf('#');
  const d = hash > 0 ? index.docs.findIndex((x) => x.meta.id === id.slice(0, hash)) : -1;
  if (d < 0) return null;
  const p = index.docs[d]!.paragraphs.find((x) => x.anchor === id.slice(hash + 1));
  if (!p) return null;
  for (let r = index.docStart[d]!; r < index.docStart[d + 1]!; r++) if (index.chunks[r]!.end > p.start) return r;
  return null;
}

export function similar(index: SearchIndex, req: SimilarRequest): SimilarResponse {
  const t0 = performance.now();
  const row = rowOf(index, req.id);
  if (row === null) throw new AppError('not_found', `Request: no paragraph with id "${req.id.slice(0, 100)}"`);
  const limit = req.limit ?? 10;
  const filters: Filters = { ...emptyFilters(), ...req.filters };
  const sourceDocIndex = index.chunkDoc[row]!;
  const sourceDoc = index.docs[sourceDocIndex]!;
  const own = sourceDoc.meta.council ? councilKeys(sourceDoc.meta.council) : null;
  const pass = docPredicate(filters);
  const allowed = index.docs.map((d, i) => i !== sourceDocIndex && pass(d.meta) && !(own && d.meta.council && own.has(councilKey(d.meta.council))));
  const groups = index.keyword.groups;
  const group = groups[row]!;

  // Near-identical copies of the paragraph in the allowed reports: left out, counted.
  const copies = new Set<number>();
  for (let r = 0; r < groups.length; r++) if (groups[r] === group && r !== row && allowed[index.chunkDoc[r]!]) copies.add(index.chunkDoc[r]!);

  // Word evidence: the passages sharing the paragraph's distinctive terms (BM25 "more like
  // this"), as a share of the paragraph's own score for them.
  const chunk = index.chunks[row]!;
  const terms = distinctiveTerms(index.keyword, chunk.text);
  const words = moreLikeThisScores(index.keyword, terms);
  const self = words[row]! || 1;
  const wordShare = (r: number): number => Math.min(1, words[r]! / self);

  // A copy: a native search may read a view's whole underlying buffer.
  const query = index.vectors.slice(row * index.dim, (row + 1) * index.dim);
  const rows = index.chunks.length;
  const byWords = new TopK(Math.min(rows, limit * WORD_CANDIDATES));
  for (let r = 0; r < rows; r++) if (words[r]! > 0 && allowed[index.chunkDoc[r]!]) byWords.offer(r, words[r]!);
  const wordRows = byWords.result().map((h) => h.index);
  let kept: Kept[] = [];
  for (let k = Math.min(rows, limit * OVERFETCH); ; k = rows) {
    const cosine = new Map<number, number>();
    for (const h of index.vectorSearch.nearest(query, k)) cosine.set(h.index, h.score);
    for (const r of wordRows) if (!cosine.has(r)) cosine.set(r, dotRow(index.vectors, r, query));
    const hits: Hit[] = [...cosine].map(([r, cos]) => ({ index: r, cosine: cos, score: cos + WORD_WEIGHT * wordShare(r) }));
    hits.sort((a, b) => b.score - a.score || a.index - b.index);
    kept = pick(hits, limit);
    if (kept.length >= limit || k >= rows) break;
  }

  function pick(hits: Hit[], want: number): Kept[] {
    const out: Kept[] = [];
    const byGroup = new Map<number, Kept>();
    const docsSeen = new Set<number>();
    for (const h of hits) {
      const d = index.chunkDoc[h.index]!;
      if (!allowed[d] || groups[h.index] === group) continue;
      if (h.cosine >= NEAR_COPY_COSINE) {
        copies.add(d);
        continue;
      }
      if (docsSeen.has(d)) continue;
      const g = groups[h.index]!;
      const same = byGroup.get(g);
      if (same) {
        same.docs.add(d);
        docsSeen.add(d);
        continue;
      }
      if (out.length >= want) continue;
      const entry = { row: h.index, score: h.score, docs: new Set([d]) };
      byGroup.set(g, entry);
      out.push(entry);
      docsSeen.add(d);
    }
    return out;
  }

  const source = toResultItem(chunk, sourceDoc.meta, [], { keyword: false, semantic: false }, { score: 1, duplicates: 1 + copies.size });
  const areas = paragraphAreas(chunk.section).map((key) => ({ key, label: JUDGEMENT_AREAS.find((a) => a.key === key)!.label }));
  return {
    source,
    areas,
    judgementAreas: JUDGEMENT_AREAS.map((a) => ({ key: a.key, label: a.label })),
    nearIdentical: copies.size,
    results: kept.map((k) => {
      const c = index.chunks[k.row]!;
      const meta = index.docs[index.chunkDoc[k.row]!]!.meta;
      const others = [...k.docs].map((d) => index.docs[d]!.meta.id).filter((id) => id !== meta.id);
      return toResultItem(c, meta, [], { keyword: words[k.row]! > 0, semantic: true }, { score: k.score, duplicates: k.docs.size, duplicateDocs: others });
    }),
    tookMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}
