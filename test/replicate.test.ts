/**
 * benchmarks/replicate.ts (the index of `npm run bench:scale10`): k copies of a small real index
 * under other ids give exactly k times every every-mention count and keyword total, reuse the
 * vectors, and are up to date for the indexer over a corpus laid out with the same copies.
 */
import { copyFile, cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, parseManifest } from '../core/index-file.ts';
import { SearchEngine } from '../core/search.ts';
import { docPredicate } from '../core/filters.ts';
import { planKeywordQuery, runKeyword } from '../core/keyword-search.ts';
import { prepareQuery } from '../core/prepared-query.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { buildIndex } from '../indexer/build.ts';
import { REPLICA_INFO_FILE, copyId, replicaCorpus, replicateIndex } from '../benchmarks/replicate.ts';
import { loadIndex } from '../server/load-index.ts';
import { SHARED_DIR } from './helpers/corpus-index.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('replicate');
const TMP = scratch.dir;
const CORPUS = join(TMP, 'corpus');
const INDEX = join(TMP, 'index');
const SOURCES: Array<[string, string]> = [
  [join(SHARED_DIR, 'corpus', 'seeds', '000_1086bae144af7f91.txt'), 'seeds/hackney 2005.txt'],
  [join(SHARED_DIR, 'corpus', 'seeds', '004_23e61ca61d325768.txt'), 'seeds/hertfordshire 2006.txt'],
  [join(SHARED_DIR, 'corpus', 'ofsted-ilacs', '80500_havering', "children's services inspection - 16 february 2024.pdf"), 'havering/ilacs 2024.pdf'],
];
/** Plain words, phrases, OR, exclusions, prefixes and filters: each counted exactly k times. */
const QUERIES = [
  'children', 'care leavers', '"looked after children"', 'social workers', 'education', 'assessment',
  'placement OR placements', 'young people -school', 'inspect*', 'council:havering children', 'year:2005 education', 'good',
];

let single: SearchIndex;

beforeAll(async () => {
  for (const [from, to] of SOURCES) {
    await mkdir(join(CORPUS, to, '..'), { recursive: true });
    await copyFile(from, join(CORPUS, to));
  }
  await buildIndex({ corpusDir: CORPUS, indexDir: INDEX, embedder: scratch.embedder(), progress: { silent: true } });
  single = await loadIndex(INDEX);
});

/**
 * Every-mention counts, and the chunks keyword search matches. (A search's `total` counts
 * near-identical passages once, so the copies collapse there by design: the matches below are
 * counted before that.)
 */
async function counts(index: SearchIndex): Promise<Array<{ q: string; total: number; occurrences: number; keyword: number }>> {
  const out = [];
  for (const q of QUERIES) {
    const m = await new SearchEngine(index, null).mentions({ q });
    const { parsed } = prepareQuery(q);
    const plan = planKeywordQuery(parsed, index.keyword);
    const allowDoc = docPredicate(prepareQuery(q).filters);
    const k = runKeyword(index.keyword, plan, parsed.exclude, { textOf: (i) => index.chunks[i]!.text, k: 10, allow: (r) => allowDoc(index.docs[index.chunkDoc[r]!]!.meta) });
    out.push({ q, total: m.total, occurrences: m.occurrences, keyword: k.total });
  }
  return out;
}

describe.each([3, 10])('replicated x%i', (k) => {
  const dir = join(TMP, `x${k}`);
  let replica: SearchIndex;

  beforeAll(async () => {
    const summary = await replicateIndex(INDEX, dir, k);
    expect(summary.reused).toBe(false);
    expect(summary.chunks).toBe(single.chunks.length * k);
    replica = await loadIndex(dir);
  });

  it('has k times the documents and chunks, under distinct ids, with the same metadata', () => {
    expect(replica.docs).toHaveLength(single.docs.length * k);
    expect(replica.chunks).toHaveLength(single.chunks.length * k);
    expect(replica.manifest.counts.words).toBe(single.manifest.counts.words * k);
    expect(new Set(replica.docs.map((d) => d.meta.id)).size).toBe(replica.docs.length);
    expect(new Set(replica.chunks.map((c) => c.id)).size).toBe(replica.chunks.length);
    for (const d of single.docs) {
      for (let copy = 1; copy < k; copy++) {
        const c = replica.docById.get(copyId(d.meta.id, copy))!;
        expect(c.meta.source).toBe(`copy-${copy}/${d.meta.source}`);
        expect({ ...c.meta, id: d.meta.id, source: d.meta.source }).toEqual(d.meta);
        expect(c.text).toBe(d.text);
        expect(c.chunks.every((ch, i) => ch.docId === c.meta.id && ch.id === copyId(d.chunks[i]!.id, copy))).toBe(true);
      }
    }
  });

  it('reuses every chunk vector (no embedding)', () => {
    const dim = single.dim;
    for (let row = 0; row < replica.chunks.length; row += 7) {
      const ch = replica.chunks[row]!;
      const original = single.chunkById.get(ch.id.replace(/^copy\d+-/, ''))!;
      expect(original).toBeGreaterThanOrEqual(0);
      expect(replica.vectors.subarray(row * dim, (row + 1) * dim)).toEqual(single.vectors.subarray(original * dim, (original + 1) * dim));
    }
  });

  it('gives exactly k times every every-mention count and keyword total', async () => {
    const one = await counts(single);
    const many = await counts(replica);
    expect(one.filter((c) => c.occurrences > 0).length).toBeGreaterThanOrEqual(QUERIES.length - 2);
    expect(many).toEqual(one.map((c) => ({ q: c.q, total: c.total * k, occurrences: c.occurrences * k, keyword: c.keyword * k })));
  });

  it('is reused when asked again, and up to date for the indexer over a corpus of the same copies', async () => {
    const again = await replicateIndex(INDEX, dir, k);
    expect(again.reused).toBe(true);
    const corpus = join(TMP, `corpus-x${k}`);
    expect(await replicaCorpus(CORPUS, corpus, k)).toBe(SOURCES.length * k);
    const copy = join(TMP, `x${k}-reindex`);
    await cp(dir, copy, { recursive: true });
    const s = await buildIndex({ corpusDir: corpus, indexDir: copy, progress: { silent: true } });
    expect(s.noop).toBe(true);
    expect(s.chunks).toBe(single.chunks.length * k);
    const manifest = parseManifest(await readFile(join(copy, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest.files)).toHaveLength(SOURCES.length * k);
    expect(JSON.parse(await readFile(join(dir, REPLICA_INFO_FILE), 'utf8'))).toMatchObject({ copies: k, fromBuildId: single.manifest.buildId });
  });
});
