/**
 * Incremental writes into OpenSearch (opensearch/write-index.ts) against a real OpenSearch
 * (OPENSEARCH_TEST_URL, default 127.0.0.1:9200): the shipped reports written in full; then a
 * changed corpus (the first report removed, a seed text modified, one added that repeats another's
 * text) rebuilt by the embedded indexer and written incrementally. Only the changed documents'
 * records are written or deleted; the index then holds exactly what a full write of the same build
 * holds (every record's JSON and vector, the same near-identical groups up to their ids) and
 * answers searches and mentions identically, scores included. Searches during the write answer
 * from the old build or the new one, never a mix; a failure mid-write leaves the alias and the old
 * index as they were.
 */
import { appendFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse, MentionsResponse } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { buildIndex } from '../indexer/build.ts';
import { walkCorpus } from '../indexer/walk.ts';
import type { OpenSearchClient } from '../opensearch/client.ts';
import { scan } from '../opensearch/scan.ts';
import { writeOpenSearchIndex, type WriteSummary } from '../opensearch/write-index.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { deleteIndexes, openSearchProduct, requireOpenSearch } from './helpers/opensearch.ts';

const PREFIX = 'test-incr-';
const INCR = `${PREFIX}incremental`;
const FULL = `${PREFIX}full`;
const TMP = resolve(ROOT, 'test', '.tmp', 'incremental');

let client: OpenSearchClient;
let before: SearchIndex;
let after: SearchIndex;
let embedder: Embedder;
let removed: string;
let modified: string;
let added: string;
let incremental: WriteSummary;

const write = (index: SearchIndex, alias: string, extra: Partial<Parameters<typeof writeOpenSearchIndex>[2]> = {}): Promise<WriteSummary> =>
  writeOpenSearchIndex(client, index, { alias, shards: 1, replicas: 0, ...extra });

const recordsOf = (i: SearchIndex, ids: Iterable<string>): number => {
  let n = 0;
  for (const id of ids) {
    const d = i.docById.get(id)!;
    n += 1 + d.paragraphs.length + d.chunks.length;
  }
  return n;
};

async function concrete(alias: string): Promise<string> {
  return Object.keys(await client.request<Record<string, unknown>>('GET', `/_alias/${alias}`))[0]!;
}

/** Every record of an index by id: its JSON, and for chunks the stored vector. */
async function records(index: string): Promise<Map<string, { source: Record<string, unknown>; vector?: number[] }>> {
  const out = new Map<string, { source: Record<string, unknown>; vector?: number[] }>();
  for await (const hits of scan<Record<string, unknown>>(client, index, { query: { match_all: {} } })) {
    for (const h of hits) out.set(h._id, { source: h._source });
  }
  // One search per chunk (in _msearch batches): a script field reading `doc['vector']` over many
  // hits of one search repeats the first hit's vector (k-NN 2.19.1), one hit per search reads right.
  const chunks = [...out].filter(([, r]) => r.source.kind === 'chunk').map(([id]) => id);
  for (let i = 0; i < chunks.length; i += 200) {
    const batch = chunks.slice(i, i + 200);
    const lines = batch.flatMap((id) => [{ index }, { size: 1, _source: false, query: { ids: { values: [id] } }, script_fields: { vector: { script: { source: "doc['vector'].value" } } } }]);
    const res = await client.request<{ responses: Array<{ hits: { hits: Array<{ _id: string; fields: { vector: number[][] } }> } }> }>('POST', '/_msearch', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    res.responses.forEach((r, k) => {
      const hit = r.hits.hits[0]!;
      expect(hit._id).toBe(batch[k]);
      out.get(hit._id)!.vector = hit.fields.vector[0];
    });
  }
  return out;
}

const withoutTook = <T extends { tookMs?: number }>(r: T): Omit<T, 'tookMs'> => {
  const { tookMs: _t, ...rest } = r;
  return rest;
};

beforeAll(async () => {
  client = await requireOpenSearch();
  await deleteIndexes(client, PREFIX);
  before = await loadIndex(await ensureCorpusIndex());
  embedder = await loadIndexEmbedder(before);
  // The changed corpus: a copy of the shipped reports with the first (in corpus order) removed, a
  // seed text with a paragraph added, and a new text that repeats most of another (near-identical
  // chunks: groups shared with unchanged documents).
  const corpus = join(TMP, 'corpus');
  const indexDir = join(TMP, 'index');
  await rm(TMP, { recursive: true, force: true });
  await mkdir(TMP, { recursive: true });
  await cp(CORPUS_DIR, corpus, { recursive: true });
  await cp(CORPUS_INDEX_DIR, indexDir, { recursive: true });
  const files = (await walkCorpus(corpus)).files;
  const sourceOf = (f: string): string => before.docs.find((d) => d.meta.source === f)!.meta.id;
  removed = sourceOf(files[0]!);
  await rm(join(corpus, files[0]!));
  const seeds = files.filter((f) => f.startsWith('seeds/'));
  modified = sourceOf(seeds[0]!);
  await appendFile(join(corpus, seeds[0]!), '\n\nInspectors found that care leavers were helped by the staying close project to find homes near their friends and schools.\n');
  const copied = await readFile(join(corpus, seeds[seeds.length - 1]!), 'utf8');
  await writeFile(join(corpus, 'seeds', 'zzz_incremental.txt'), `A new report written for this test.\n\n${copied}`);
  await buildIndex({ corpusDir: corpus, indexDir, progress: { silent: true } });
  after = await loadIndex(indexDir);
  added = after.docs.find((d) => d.meta.source === 'seeds/zzz_incremental.txt')!.meta.id;
}, 600_000);

afterAll(async () => {
  await embedder?.dispose();
  if (client) await deleteIndexes(client, PREFIX);
});

describe(`incremental writes into OpenSearch`, () => {
  it('writes only the changed documents, and the index then equals a full write of the same build', async () => {
    const first = await write(before, INCR);
    expect(first.mode).toBe('full');
    expect(first.written).toBe(first.records);

    // Searches while the incremental write runs: answers from the old build or the new one only.
    const product = openSearchProduct(client, INCR, null);
    const gone = before.docById.get(removed)!;
    const q = gone.chunks[2]!.text.split(/\s+/).slice(0, 6).join(' ');
    const keyOf = (s: SearchResponse): string => JSON.stringify([s.total, s.results.map((r) => [r.id, r.score]), s.facets]);
    const mentionKey = (m: MentionsResponse): string => JSON.stringify([m.total, m.occurrences, m.byYear, m.byCouncil]);
    const old = { s: keyOf(await product.search({ q, mode: 'keyword' })), m: mentionKey(await product.mentions({ q: 'care leavers' })) };
    let running = true;
    const seen = { s: new Set<string>(), m: new Set<string>() };
    const failures: string[] = [];
    let answered = 0;
    const load = async (): Promise<void> => {
      while (running) {
        try {
          const [s, m] = await Promise.all([product.search({ q, mode: 'keyword' }), product.mentions({ q: 'care leavers' })]);
          seen.s.add(keyOf(s));
          seen.m.add(mentionKey(m));
          answered++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const clients = [load(), load()];
    const steps: string[] = [];
    try {
      incremental = await write(after, INCR, {
        afterStep: async (step, name) => {
          steps.push(step);
          // Mid-write the alias still names the old index.
          expect(await concrete(INCR)).toBe(first.index);
          expect(name).not.toBe(first.index);
        },
      });
    } finally {
      const settle = Date.now() + 1500;
      while (Date.now() < settle) await new Promise((ok) => setTimeout(ok, 100));
      running = false;
      await Promise.all(clients);
    }
    const now = { s: keyOf(await product.search({ q, mode: 'keyword' })), m: mentionKey(await product.mentions({ q: 'care leavers' })) };
    expect(now.s).not.toBe(old.s);
    expect(now.m).not.toBe(old.m);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(2);
    expect([...seen.s].every((k) => k === old.s || k === now.s), 'search answers are from one build').toBe(true);
    expect([...seen.m].every((k) => k === old.m || k === now.m), 'mention counts are from one build').toBe(true);
    expect(steps).toEqual(['clone', 'delete', 'merge', 'write']);

    // Only the changed documents' records were written or deleted.
    expect(incremental.mode).toBe('incremental');
    expect(incremental.docs).toEqual({ added: 1, changed: 1, removed: 1, unchanged: before.docs.length - 2 });
    expect(incremental.written).toBe(recordsOf(after, [modified, added]));
    expect(incremental.deleted).toBe(recordsOf(before, [removed, modified]));
    expect(incremental.copied).toBe(first.records - incremental.deleted);
    expect(incremental.groupsMoved).toBe(0);
    expect(incremental.records).toBe(incremental.copied + incremental.written);
    expect(incremental.written).toBeLessThan(incremental.records / 4);
    // The old index is gone; only the new one is behind the alias.
    expect(incremental.previous).toEqual([first.index]);
    const left = await client.request<Array<{ index: string }>>('GET', `/_cat/indices/${INCR}*?format=json`);
    expect(left.map((i) => i.index)).toEqual([incremental.index]);

    // The same build written in full: the same records, vectors and groups (up to their ids).
    const full = await write(after, FULL, { full: true });
    expect(full.mode).toBe('full');
    expect(full.records).toBe(incremental.records);
    const [a, b] = await Promise.all([records(incremental.index), records(full.index)]);
    expect(a.size).toBe(b.size);
    const groupMap = new Map<number, number>();
    const reverse = new Map<number, number>();
    let chunks = 0;
    for (const [id, y] of b) {
      const x = a.get(id);
      expect(x, id).toBeDefined();
      const { group: gx, ...restX } = x!.source;
      const { group: gy, ...restY } = y.source;
      expect(restX, id).toEqual(restY);
      if (y.source.kind === 'chunk') {
        // The build's vector, as written (6 decimals).
        const row = after.chunkById.get(id.slice(2))!;
        const want = Array.from(after.vectors.subarray(row * after.dim, (row + 1) * after.dim), (v) => Math.round(v * 1e6) / 1e6 + 0);
        expect(y.vector!.map((v) => Math.round(v * 1e6) / 1e6 + 0), id).toEqual(want);
      }
      expect(x!.vector, id).toEqual(y.vector);
      if (y.source.kind !== 'chunk') continue;
      chunks++;
      expect(y.vector, id).toHaveLength(after.dim);
      // One group id of the incremental index for each group of the full write, and back.
      const [i, f] = [gx as number, gy as number];
      expect(groupMap.get(f) ?? i, `${id} group`).toBe(i);
      expect(reverse.get(i) ?? f, `${id} group`).toBe(f);
      groupMap.set(f, i);
      reverse.set(i, f);
    }
    expect(chunks).toBe(after.chunks.length);
    // The added text repeats another's: groups shared by new and unchanged chunks exist.
    const addedGroups = new Set(after.docById.get(added)!.chunks.map((c) => b.get(`c:${c.id}`)!.source.group));
    const shared = [...b.values()].filter((r) => r.source.kind === 'chunk' && r.source.docId !== added && addedGroups.has(r.source.group));
    expect(shared.length).toBeGreaterThan(0);
    // The mapping's build and counts are the new build's.
    const metaOf = async (name: string): Promise<unknown> => (await client.request<Record<string, { mappings: { _meta: unknown } }>>('GET', `/${name}/_mapping`))[name]!.mappings._meta;
    expect(await metaOf(incremental.index)).toEqual(await metaOf(full.index));
  });

  it('searches, mentions and similar paragraphs answer exactly as from the full write, scores included', async () => {
    const x = openSearchProduct(client, INCR, embedder);
    const y = openSearchProduct(client, FULL, embedder);
    for (const q of ['care leavers accommodation', '"staying close"', 'children missing education', 'exploitation -sexual', 'foster* year:2015..2024', 'Hackney scrutiny commission']) {
      for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
        const [a, b] = await Promise.all([x.search({ q, mode, limit: 20 }), y.search({ q, mode, limit: 20 })]);
        expect(withoutTook(a), `${mode} ${q}`).toEqual(withoutTook(b));
      }
      const [ma, mb] = await Promise.all([x.mentions({ q, limit: 500 }), y.mentions({ q, limit: 500 })]);
      expect(ma, q).toEqual(mb);
    }
    const chunk = after.chunks.find((c) => c.docId === added && c.text.length > 300)!;
    const [sa, sb] = await Promise.all([x.similar({ id: chunk.id, limit: 10 }), y.similar({ id: chunk.id, limit: 10 })]);
    expect(withoutTook(sa)).toEqual(withoutTook(sb));
    expect(await x.listDocuments()).toEqual(await y.listDocuments());
  });

  it('the same build again writes nothing; a failure mid-write leaves the alias and the old index as they were', async () => {
    const same = await write(after, INCR);
    expect(same.mode).toBe('unchanged');
    expect(same.index).toBe(incremental.index);
    expect(same.written).toBe(0);

    // Back to the first build, failing after the writes: the new index goes, the old one serves.
    const product = openSearchProduct(client, INCR, null);
    const answer = JSON.stringify(withoutTook(await product.search({ q: 'care leavers', mode: 'keyword' })));
    let failedIn = '';
    await expect(write(before, INCR, {
      afterStep: async (step, name) => {
        if (step !== 'write') return;
        failedIn = name;
        throw new Error('stopped by the test');
      },
    })).rejects.toThrow('stopped by the test');
    expect(await concrete(INCR)).toBe(incremental.index);
    const left = await client.request<Array<{ index: string }>>('GET', `/_cat/indices/${INCR}*?format=json`);
    expect(left.map((i) => i.index)).toEqual([incremental.index]);
    expect(failedIn).not.toBe('');
    const settings = await client.request<Record<string, { settings: Record<string, string> }>>('GET', `/${incremental.index}/_settings?flat_settings=true`);
    expect(settings[incremental.index]!.settings['index.blocks.write']).toBeUndefined();
    expect(JSON.stringify(withoutTook(await product.search({ q: 'care leavers', mode: 'keyword' })))).toBe(answer);

    // And again without the failure: the first build's records back, written incrementally.
    const back = await write(before, INCR);
    expect(back.mode).toBe('incremental');
    expect(back.docs).toEqual({ added: 1, changed: 1, removed: 1, unchanged: before.docs.length - 2 });
    expect(back.written).toBe(recordsOf(before, [removed, modified]));
  });

  it('a different shard count, or --full, writes in full; two shards write incrementally too', async () => {
    const resharded = await write(before, INCR, { shards: 2 });
    expect([resharded.mode, resharded.reason]).toEqual(['full', expect.stringMatching(/primary shard/)]);
    // Two shards: cloned with two, the statistics checked shard by shard.
    const again = await write(after, INCR, { shards: 2 });
    expect([again.mode, again.written, again.deleted]).toEqual(['incremental', recordsOf(after, [modified, added]), recordsOf(before, [removed, modified])]);
    const forced = await write(before, INCR, { shards: 2, full: true });
    expect([forced.mode, forced.written]).toEqual(['full', forced.records]);
  });
});
