/**
 * GET /api/similar ("practice like this elsewhere") through app.request() on the real index of
 * corpus/: other councils only, one result per report, best first, cited; boilerplate copies of
 * the paragraph left out and counted; the filters; errors.
 */
import type { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimilarResponse } from '../core/api-types.ts';
import { NEAR_COPY_COSINE } from '../core/duplicates.ts';
import { judgementMatches } from '../core/judgements.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { createApp } from '../server/app.ts';
import { loadIndex } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { dotRow } from '../core/vectors.ts';
import { distinctiveTerms, keywordCounts, moreLikeThisScores } from '../core/more-like-this.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';

let app: Hono;
let index: SearchIndex;

beforeAll(async () => {
  index = await loadIndex(await ensureCorpusIndex());
  // No embedder: the paragraph's own vector is the query.
  app = createApp(new Service(new SearchEngine(index, null), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
});

async function get<T>(path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(status);
  return JSON.parse(body) as T;
}

/** A care-leaver paragraph of Hackney's 2024 inspection. */
function hackneyCareLeavers(): string {
  const row = index.chunks.findIndex((c) => {
    const meta = index.docs[index.chunkDoc[index.chunkById.get(c.id)!]!]!.meta;
    return meta.council === 'Hackney' && meta.year === 2024 && /care leavers/i.test(c.section.at(-1) ?? '') && c.words > 40;
  });
  expect(row).toBeGreaterThanOrEqual(0);
  return index.chunks[row]!.id;
}

function cosine(a: number, b: number): number {
  return dotRow(index.vectors, b, index.vectors.subarray(a * index.dim, (a + 1) * index.dim));
}

const similarUrl = (id: string, rest = ''): string => `/api/similar?id=${encodeURIComponent(id)}${rest}`;

describe('GET /api/similar', () => {
  it("answers the nearest paragraphs of other councils' reports, best first, one per report, cited", async () => {
    const id = hackneyCareLeavers();
    const r = await get<SimilarResponse>(similarUrl(id));
    expect(r.source.id).toBe(id);
    expect(r.source.doc.council).toBe('Hackney');
    expect(r.areas.map((a) => a.key)).toEqual(['care-leavers']);
    expect(r.judgementAreas.map((a) => a.key)).toEqual(expect.arrayContaining(['overall', 'care-leavers', 'children-in-care']));
    // One per report: every report of the other councils (8 in corpus/) has a nearest paragraph.
    const others = index.docs.filter((d) => d.meta.council !== 'Hackney').length;
    expect(r.results.length).toBe(Math.min(10, others));
    expect(r.results.every((x) => x.doc.council !== 'Hackney')).toBe(true);
    expect(new Set(r.results.map((x) => x.doc.id)).size).toBe(r.results.length);
    const scores = r.results.map((x) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const x of r.results) {
      expect(x.match).toEqual({ keyword: expect.any(Boolean), semantic: true, terms: [] });
      expect(x.url).toBe(`/doc/${x.doc.id}#${x.anchor}`);
      expect(x.citation).toContain(x.doc.title);
    }
    // The nearest paragraph of a care-leaver paragraph is about care leavers too.
    expect(r.results[0]!.text).toMatch(/care leaver|leaving care|young (people|adults)/i);
  });

  it('leaves out near-identical copies of the paragraph and counts the reports that hold one', async () => {
    const groups = index.keyword.groups;
    const councilOf = (row: number): string | null => index.docs[index.chunkDoc[row]!]!.meta.council;
    // A paragraph whose near-identical copy is in another council's report (boilerplate).
    const row = index.chunks.findIndex((_, r) => groups.some((g, o) => g === groups[r] && councilOf(o) !== councilOf(r)));
    expect(row).toBeGreaterThanOrEqual(0);
    const copies = new Set(index.chunks.flatMap((_, o) => (groups[o] === groups[row] && councilOf(o) !== councilOf(row) ? [index.chunkDoc[o]!] : [])));
    const r = await get<SimilarResponse>(similarUrl(index.chunks[row]!.id, '&limit=50'));
    // Copies in its near-identical group, and passages nearly the same in meaning (NEAR_COPY_COSINE).
    expect(r.nearIdentical).toBeGreaterThanOrEqual(copies.size);
    expect(r.source.duplicates).toBe(1 + r.nearIdentical);
    expect(r.results.every((x) => cosine(row, index.chunkById.get(x.id)!) < NEAR_COPY_COSINE)).toBe(true);
    const resultGroups = r.results.map((x) => groups[index.chunkById.get(x.id)!]);
    expect(resultGroups).not.toContain(groups[row]);
    expect(new Set(resultGroups).size).toBe(resultGroups.length);
  });

  it('applies the filters: type, years, judgement of an area with alternative grades, limit', async () => {
    const id = hackneyCareLeavers();
    const ilacs = await get<SimilarResponse>(similarUrl(id, '&type=ilacs&limit=50'));
    expect(ilacs.results.length).toBeGreaterThan(0);
    expect(ilacs.results.every((x) => x.doc.type === 'ilacs')).toBe(true);
    const years = await get<SimilarResponse>(similarUrl(id, '&from=2018&to=2020'));
    expect(years.results.length).toBeGreaterThan(0);
    expect(years.results.every((x) => x.doc.year! >= 2018 && x.doc.year! <= 2020)).toBe(true);
    const judged = await get<SimilarResponse>(similarUrl(id, `&judgement=${encodeURIComponent('care leavers:good|outstanding')}&limit=50`));
    expect(judged.results.length).toBeGreaterThan(0);
    expect(judged.results.every((x) => judgementMatches(x.doc.judgements, 'care leavers:good|outstanding'))).toBe(true);
    // Havering's 2023 report judged care leavers "requires improvement": never in that list.
    expect(judged.results.some((x) => x.doc.council === 'Havering' && x.doc.year === 2023)).toBe(false);
    const all = await get<SimilarResponse>(similarUrl(id, '&limit=50'));
    expect(all.results.some((x) => x.doc.council === 'Havering' && x.doc.year === 2023)).toBe(true);
    expect((await get<SimilarResponse>(similarUrl(id, '&limit=3'))).results.map((x) => x.id)).toEqual(all.results.slice(0, 3).map((x) => x.id));
  });

  it('answers 404 for an unknown paragraph and 400 naming a bad parameter', async () => {
    const missing = await get<{ error: { code: string; message: string } }>(similarUrl('no-such-doc#p1'), 404);
    expect(missing.error.code).toBe('not_found');
    expect(missing.error.message).toMatch(/no paragraph/);
    expect((await get<{ error: { message: string } }>('/api/similar', 400)).error.message).toMatch(/"id"/);
    const id = hackneyCareLeavers();
    expect((await get<{ error: { message: string } }>(similarUrl(id, '&limit=0'), 400)).error.message).toMatch(/"limit"/);
    expect((await get<{ error: { message: string } }>(similarUrl(id, '&from=2020&to=2019'), 400)).error.message).toMatch(/"from"/);
    expect((await get<{ error: { message: string } }>(similarUrl(id, '&type=novel'), 400)).error.message).toMatch(/"type"/);
  });
});

describe('word evidence: the distinctive terms of the paragraph', () => {
  it('are its rarer terms and pairs, without numbers, with the topic sentence counted twice', () => {
    const row = index.chunkById.get(hackneyCareLeavers())!;
    const text = index.chunks[row]!.text;
    const terms = distinctiveTerms(keywordCounts(index.keyword), text);
    expect(terms.length).toBeGreaterThan(0);
    for (const t of terms) {
      const ii = t.part === 'words' ? index.keyword.words : index.keyword.pairs;
      expect(t.term).not.toMatch(/^[\d.]+$/);
      expect(ii.df(ii.termId(t.term))).toBeGreaterThanOrEqual(5);
      expect(ii.df(ii.termId(t.term))).toBeLessThanOrEqual(ii.size * 0.1);
    }
    // Weights are tf x idf: a term of the first sentence counts once more than it occurs.
    const first = 'Care leavers praised their personal advisers. Inspectors visited several district offices.';
    const once = distinctiveTerms(keywordCounts(index.keyword), first).find((t) => t.term === 'advis');
    const plain = distinctiveTerms(keywordCounts(index.keyword), 'Inspectors visited several district offices. Care leavers praised their personal advisers.').find((t) => t.term === 'advis');
    expect(once && plain).toBeTruthy();
    expect(once!.weight).toBeCloseTo(2 * plain!.weight, 5);
    // The paragraph scores highest for its own terms.
    const scores = moreLikeThisScores(index.keyword, terms);
    expect(Math.max(...scores)).toBe(scores[row]);
  });

  it("ranks by cosine plus the weighted share of the paragraph's own word score", async () => {
    const id = hackneyCareLeavers();
    const row = index.chunkById.get(id)!;
    const r = await get<SimilarResponse>(similarUrl(id, '&limit=20'));
    const words = moreLikeThisScores(index.keyword, distinctiveTerms(keywordCounts(index.keyword), index.chunks[row]!.text));
    for (const x of r.results) {
      const other = index.chunkById.get(x.id)!;
      const expected = cosine(row, other) + 0.4 * Math.min(1, words[other]! / words[row]!);
      expect(x.score).toBeCloseTo(expected, 3);
      expect(x.match.keyword).toBe(words[other]! > 0);
    }
    // Some results share its words, and the word evidence changes the order of the cosines.
    expect(r.results.some((x) => x.match.keyword)).toBe(true);
    const cosines = r.results.map((x) => cosine(row, index.chunkById.get(x.id)!));
    expect([...cosines].sort((a, b) => b - a)).not.toEqual(cosines);
  });
});

describe('GET /api/similar from a paragraph of the reader', () => {
  it('takes a paragraph id and answers for the passage that holds it', async () => {
    const doc = index.docs.find((d) => d.chunks.some((c) => c.paragraphs.length > 1) || d.paragraphs.length > d.chunks.length)!;
    // A paragraph that is not the first of its passage, so its id is no passage id.
    const row = index.docStart[index.docs.indexOf(doc)]!;
    const chunks = index.chunks.slice(row, index.docStart[index.docs.indexOf(doc) + 1]!);
    const p = doc.paragraphs.find((x) => !x.heading && !index.chunkById.has(`${doc.meta.id}#${x.anchor}`))!;
    expect(p).toBeTruthy();
    const holder = chunks.find((c) => c.start <= p.start && c.end > p.start)!;
    const r = await get<SimilarResponse>(similarUrl(`${doc.meta.id}#${p.anchor}`));
    expect(r.source.id).toBe(holder.id);
    await get(similarUrl(`${doc.meta.id}#no-such-anchor`), 404);
  });
});
