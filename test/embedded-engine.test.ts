/**
 * The embedded engine (core/embedded-engine.ts) keeps the engine contract (core/engine.ts) on the
 * real index of corpus/: candidates name real chunks with their group and document, nearest
 * chunks are the exact best by cosine over the allowed documents (a few documents scored
 * directly, the rest through the vector search), restrictions (`within`, exclusions, filters)
 * hold, and mentions get whole documents.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../core/embedded-engine.ts';
import { prepareQuery } from '../core/prepared-query.ts';
import { DEFAULT_TUNING } from '../core/search-request.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { findAll } from '../core/text-match.ts';
import { dotRow } from '../core/vectors.ts';
import { loadIndex } from '../server/load-index.ts';
import { ensureCorpusIndex } from './helpers/corpus-index.ts';

let index: SearchIndex;
let engine: EmbeddedEngine;

beforeAll(async () => {
  index = await loadIndex(await ensureCorpusIndex());
  engine = new EmbeddedEngine(index);
});

/** The exact top k rows by cosine with `q` among rows passing `allow`, best first. */
function bruteForce(q: Float32Array, k: number, allow: (row: number) => boolean): Array<{ id: string; score: number }> {
  const all: Array<{ row: number; score: number }> = [];
  for (let r = 0; r < index.chunks.length; r++) if (allow(r)) all.push({ row: r, score: dotRow(index.vectors, r, q) });
  all.sort((a, b) => b.score - a.score || a.row - b.row);
  return all.slice(0, k).map((h) => ({ id: index.chunks[h.row]!.id, score: h.score }));
}

const vectorOf = (row: number): Float32Array => index.vectors.slice(row * index.dim, (row + 1) * index.dim);
const keywordRequest = (q: string, allowDocs: ReadonlySet<string> | null = null) => ({
  prepared: prepareQuery(q),
  k: 50,
  allowDocs,
  boosts: new Map<string, number>(),
  named: [],
  thesaurus: true,
  weights: DEFAULT_TUNING.keyword,
});

describe('the embedded engine', () => {
  it('names each keyword candidate by its chunk, group and document, best first, and counts the matches', async () => {
    const res = await engine.keyword(keywordRequest('care leavers accommodation'));
    expect(res.hits.length).toBeGreaterThan(10);
    // Matches are counted with near-identical chunks once: at least the distinct groups of the hits.
    expect(res.total).toBeGreaterThanOrEqual(new Set(res.hits.map((h) => h.group)).size);
    for (let i = 0; i < res.hits.length; i++) {
      const h = res.hits[i]!;
      const row = index.chunkById.get(h.id);
      expect(row, h.id).toBeDefined();
      expect(h.group).toBe(index.keyword.groups[row!]);
      expect(h.docId).toBe(index.docs[index.chunkDoc[row!]!]!.meta.id);
      if (i > 0) expect(h.score).toBeLessThanOrEqual(res.hits[i - 1]!.score);
    }
    // Without filters the facet candidates are the hits themselves.
    expect(res.unfiltered).toBe(res.hits);
  });

  it('keeps keyword candidates to the allowed documents, and still lists the best whatever the filters', async () => {
    const one = index.docs.find((d) => d.chunks.some((c) => /care leavers/i.test(c.text)))!.meta.id;
    const res = await engine.keyword(keywordRequest('care leavers', new Set([one])));
    expect(res.hits.length).toBeGreaterThan(0);
    expect(res.hits.every((h) => h.docId === one)).toBe(true);
    expect(res.unfiltered.some((h) => h.docId !== one)).toBe(true);
  });

  it('reports the typo expansions it searched instead of a word no chunk has', async () => {
    const res = await engine.keyword(keywordRequest('fostring'));
    expect(res.expanded?.length ?? 0).toBeGreaterThan(0);
    expect(res.hits.length).toBeGreaterThan(0);
    // Each expansion is an index term that occurs in some hit.
    expect(res.hits.some((h) => findAll(index.chunks[index.chunkById.get(h.id)!]!.text, res.expanded!.map((t) => ({ kind: 'stems' as const, stems: [t] }))).length > 0)).toBe(true);
  });

  it('gives the exact nearest chunks overall, and over a few documents scored directly', async () => {
    const q = vectorOf(Math.floor(index.chunks.length / 3));
    const overall = await engine.nearest({ vector: q, k: 20, allowDocs: null, within: null, excludeQuery: null });
    expect(overall.map((h) => h.id)).toEqual(bruteForce(q, 20, () => true).map((h) => h.id));
    const few = new Set(index.docs.slice(0, 2).map((d) => d.meta.id));
    const allowed = (r: number) => few.has(index.docs[index.chunkDoc[r]!]!.meta.id);
    const inFew = await engine.nearest({ vector: q, k: 20, allowDocs: few, within: null, excludeQuery: null });
    const expected = bruteForce(q, 20, allowed);
    expect(inFew.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    inFew.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 6));
  });

  it('scores only the chunks it is given (within), and leaves out chunks holding an excluded word', async () => {
    const q = vectorOf(5);
    const within = index.chunks.slice(0, 30).map((c) => c.id);
    const res = await engine.nearest({ vector: q, k: 10, allowDocs: null, within, excludeQuery: null });
    expect(res.map((h) => h.id)).toEqual(bruteForce(q, 10, (r) => r < 30).map((h) => h.id));
    const excludeQuery = prepareQuery('children -fostering');
    const kept = await engine.nearest({ vector: q, k: 50, allowDocs: null, within: null, excludeQuery });
    expect(kept.length).toBe(50);
    for (const h of kept) expect(index.chunks[index.chunkById.get(h.id)!]!.text).not.toMatch(/\bfoster/i);
  });

  it('hands mentions the allowed documents whole', async () => {
    const allow = new Set(index.docs.slice(0, 3).map((d) => d.meta.id));
    const batches = [];
    for await (const b of engine.mentionCandidates(prepareQuery('children'), allow)) batches.push(...b);
    expect(batches.map((c) => c.docId).sort()).toEqual([...allow].sort());
    for (const c of batches) {
      expect(c.doc).toBe(index.docById.get(c.docId));
      expect(c.paragraphs).toBe(c.doc!.paragraphs);
    }
  });

  it('answers a missing chunk or document with nothing, not an error', async () => {
    expect(await engine.similarSource('no-such-chunk')).toBeNull();
    expect(await engine.document('no-such-doc')).toBeNull();
    expect((await engine.chunks(['no-such-chunk'])).size).toBe(0);
  });
});
