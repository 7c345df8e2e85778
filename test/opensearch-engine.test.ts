/**
 * ENGINE=opensearch against a real OpenSearch (OPENSEARCH_TEST_URL, default 127.0.0.1:9200;
 * CI starts it): the same API requests answered by the embedded engine and by OpenSearch built
 * from the same index of the shipped reports, through the real app (app.request), with the real
 * model. Contract parity (the strict response schemas, the same documents, reader and exact
 * mention counts, top results that agree), a rebuild switching the alias while requests run (no
 * failed and no mixed answer), and 503 with a JSON error when OpenSearch is unreachable or too
 * slow, recovering when it is back.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouncilResponse, DocumentResponse, DocumentsResponse, SimilarResponse, HealthResponse, MentionsResponse, MentionYearsResponse, SearchResponse } from '../core/api-schema.ts';
import type { SearchResponse as SearchResult, MentionsResponse as MentionsResult, SimilarResponse as SimilarResult } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import { EngineSearch } from '../core/engine-search.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { OpenSearchEngine } from '../opensearch/engine.ts';
import { createApp } from '../server/app.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { OPENSEARCH_TEST_URL, deleteIndexes, openSearchProduct, requireOpenSearch, writeTestIndex } from './helpers/opensearch.ts';

const ALIAS = 'test-engine-contract';
const SWAP_ALIAS = 'test-engine-swap';

let index: SearchIndex;
let embedder: Embedder;
let client: OpenSearchClient;
let embeddedApp: Hono;
let remoteApp: Hono;

const appOf = (engine: SearchEngine | EngineSearch): Hono => createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: null, log: null }));

async function call(app: Hono, path: string): Promise<{ status: number; body: string; type: string }> {
  const res = await app.request(path);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

async function both(path: string): Promise<[unknown, unknown]> {
  const [a, b] = await Promise.all([call(embeddedApp, path), call(remoteApp, path)]);
  expect(a.status, `embedded ${path}: ${a.body.slice(0, 300)}`).toBe(200);
  expect(b.status, `opensearch ${path}: ${b.body.slice(0, 300)}`).toBe(200);
  return [JSON.parse(a.body), JSON.parse(b.body)];
}

beforeAll(async () => {
  client = await requireOpenSearch();
  await deleteIndexes(client, 'test-engine-');
  index = await loadIndex(await ensureCorpusIndex());
  embedder = await loadIndexEmbedder(index);
  await writeTestIndex(client, index, ALIAS);
  embeddedApp = appOf(new SearchEngine(index, embedder));
  remoteApp = appOf(openSearchProduct(client, ALIAS, embedder));
});

afterAll(async () => {
  await embedder?.dispose();
  if (client) await deleteIndexes(client, 'test-engine-');
});

const SEARCHES = [
  'care leavers accommodation',
  '"return home interview"',
  'LAC placement stability',
  'fostering -private',
  'safeguard* council:Hackney',
  'exploitation year:2015..2019',
  'Havering social work caseloads',
];

describe(`contract parity: the same requests to the embedded engine and to OpenSearch at ${OPENSEARCH_TEST_URL}`, () => {
  for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
    it(`/api/search in ${mode} mode: the contract, and top results and counts that agree`, async () => {
      for (const q of SEARCHES) {
        const path = `/api/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=10`;
        const [a, b] = (await both(path)) as [SearchResult, SearchResult];
        SearchResponse.parse(a);
        SearchResponse.parse(b);
        expect(b.understood, q).toEqual(a.understood);
        expect(b.embedder, q).toEqual(a.embedder);
        expect(b.results.length, q).toBe(a.results.length);
        const ids = (r: SearchResult): string[] => r.results.map((x) => x.id);
        const shared = ids(b).filter((id) => ids(a).includes(id)).length;
        if (mode === 'semantic') {
          // The same vectors, scored exactly by both (opensearch/engine.ts): the same nearest chunks.
          expect(ids(b), q).toEqual(ids(a));
          expect(b.total, q).toBe(a.total);
        } else {
          // The same index terms, BM25 and coordination (opensearch/keyword-query.ts); Lucene rounds
          // document lengths to one byte, so near-equal scores may swap. A prefix's expansions are
          // all scored in OpenSearch (the 100 most frequent here): looser agreement.
          const prefix = q.includes('*');
          expect(shared, `${mode} ${q}: ${ids(a).join(' ')} vs ${ids(b).join(' ')}`).toBeGreaterThanOrEqual(Math.min(prefix ? 5 : 8, a.results.length));
          expect(ids(a).slice(0, prefix ? 3 : 2), `${mode} ${q}: best of OpenSearch in the embedded top 2 (top 3 for a prefix)`).toContain(ids(b)[0]);
          expect(Math.abs(b.total - a.total) / Math.max(1, a.total), `${mode} ${q}: totals ${a.total} vs ${b.total}`).toBeLessThanOrEqual(0.05);
        }
        // The same citation, text and link for a chunk both return.
        for (const x of b.results) {
          const y = a.results.find((r) => r.id === x.id);
          if (!y) continue;
          expect([x.citation, x.text, x.url, x.page, x.paragraph, x.doc]).toEqual([y.citation, y.text, y.url, y.page, y.paragraph, y.doc]);
        }
        // Facets count the same candidates' documents by the same rules: the same values.
        expect(b.facets.council.map((f) => f.value).sort(), `${mode} ${q} council facet`).toEqual(a.facets.council.map((f) => f.value).sort());
      }
    });
  }

  it('filters keep every result inside them', async () => {
    const [, b] = (await both('/api/search?q=children&mode=hybrid&council=Hackney&from=2016&to=2024&limit=50')) as [SearchResult, SearchResult];
    expect(b.results.length).toBeGreaterThan(5);
    for (const r of b.results) {
      expect(r.doc.council).toBe('Hackney');
      expect(r.doc.year).toBeGreaterThanOrEqual(2016);
    }
  });

  it('/api/documents and the reader: identical', async () => {
    const [a, b] = await both('/api/documents');
    DocumentsResponse.parse(b);
    expect(b).toEqual(a);
    const id = index.docs[3]!.meta.id;
    const [ra, rb] = await both(`/api/documents/${encodeURIComponent(id)}?q=${encodeURIComponent('care leavers')}`);
    DocumentResponse.parse(rb);
    expect(rb).toEqual(ra);
    const missing = await call(remoteApp, '/api/documents/no-such-report');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('not_found');
  });

  it('/api/mentions: exact uncapped counts, identical to the embedded ones, JSON and CSV', async () => {
    for (const q of ['care leavers', '"return home interview"', 'exploitation', 'placement* -school', 'staying put OR "staying close"']) {
      const path = `/api/mentions?q=${encodeURIComponent(q)}&limit=500`;
      const [a, b] = (await both(path)) as [MentionsResult, MentionsResult];
      MentionsResponse.parse(b);
      expect(b, q).toEqual(a);
    }
    const [a, b] = (await both('/api/mentions?q=children&limit=5')) as [MentionsResult, MentionsResult];
    // More than one page of the stream (1000 candidates per page): every one counted.
    expect(a.total).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    const csvA = await call(embeddedApp, '/api/mentions?q=care%20leavers&format=csv');
    const csvB = await call(remoteApp, '/api/mentions?q=care%20leavers&format=csv');
    expect(csvB.status).toBe(200);
    expect(csvB.type).toMatch(/text\/csv/);
    expect(csvB.body).toBe(csvA.body);
    const [ya, yb] = await both('/api/mentions/years?q=care%20leavers&q=exploitation');
    MentionYearsResponse.parse(yb);
    expect(yb).toEqual(ya);
  });

  it('/api/councils/{name}: identical, with and without a theme', async () => {
    for (const path of ['/api/councils/Hackney', `/api/councils/Hackney?q=${encodeURIComponent('care leavers')}`, `/api/councils/${encodeURIComponent(index.docs[5]!.meta.council!)}?q=exploitation`]) {
      const [a, b] = await both(path);
      CouncilResponse.parse(b);
      expect(b, path).toEqual(a);
    }
    const missing = await call(remoteApp, '/api/councils/Nowhere');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('not_found');
  });

  it('/api/similar: the same paragraphs elsewhere, scores and near copies, by chunk id or paragraph id, with filters', async () => {
    const hackney = index.chunks.find((c) => c.docId === index.docs.find((d) => d.meta.council === 'Hackney')!.meta.id && c.text.length > 400)!;
    const doc = index.docs.find((d) => d.meta.id === hackney.docId)!;
    const paragraph = doc.paragraphs.find((p) => p.start >= hackney.start && p.start < hackney.end)!;
    for (const path of [
      `/api/similar?id=${encodeURIComponent(hackney.id)}&limit=10`,
      `/api/similar?id=${encodeURIComponent(`${doc.meta.id}#${paragraph.anchor}`)}&limit=5`,
      `/api/similar?id=${encodeURIComponent(index.chunks[40]!.id)}&limit=10&type=${encodeURIComponent(doc.meta.type)}`,
    ]) {
      const [a, b] = (await both(path)) as [SimilarResult, SimilarResult];
      SimilarResponse.parse(b);
      expect(b.source, path).toEqual(a.source);
      expect([b.areas, b.judgementAreas, b.nearIdentical], path).toEqual([a.areas, a.judgementAreas, a.nearIdentical]);
      expect(b.results.map((r) => r.id), path).toEqual(a.results.map((r) => r.id));
      b.results.forEach((r, i) => {
        // Cosines of vectors written to 6 decimals; BM25 with lengths rounded to a byte: the same to about 1 %.
        expect(r.score, `${path} ${r.id}`).toBeCloseTo(a.results[i]!.score, 1);
        expect([r.citation, r.text, r.duplicates, r.duplicateDocs, r.match], `${path} ${r.id}`).toEqual([a.results[i]!.citation, a.results[i]!.text, a.results[i]!.duplicates, a.results[i]!.duplicateDocs, a.results[i]!.match]);
      });
    }
    const missing = await call(remoteApp, '/api/similar?id=no-such-report%23p1');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('not_found');
  });

  it('/api/health, the feed and the original files answer from OpenSearch', async () => {
    const [ha, hb] = (await both('/api/health')) as [HealthResponse, HealthResponse];
    HealthResponse.parse(hb);
    expect([hb.documents, hb.chunks, hb.embedder, hb.builtAt]).toEqual([ha.documents, ha.chunks, ha.embedder, ha.builtAt]);
    const feed = await call(remoteApp, '/api/feed?q=fostering');
    expect(feed.status).toBe(200);
    expect(feed.body).toBe((await call(embeddedApp, '/api/feed?q=fostering')).body);
    const source = index.docs[0]!.meta.source;
    const file = await call(remoteApp, `/files/${source.split('/').map(encodeURIComponent).join('/')}`);
    expect(file.status).toBe(200);
  });
});

/** The index without its first document, as another build. */
function withoutFirstDoc(i: SearchIndex): SearchIndex {
  return { ...i, docs: i.docs.slice(1), docStart: i.docStart.slice(1), manifest: { ...i.manifest, buildId: `${i.manifest.buildId}-b` } };
}

describe('a rebuild switches the alias while requests run', () => {
  it('every answer is whole and from one build: the old or the new, never a failure or a mix', async () => {
    const small = withoutFirstDoc(index);
    const gone = index.docs[0]!;
    // A query whose answer differs between the builds: words of the removed report.
    const q = `${gone.meta.council ?? ''} ${gone.chunks[2]!.text.split(/\s+/).slice(0, 6).join(' ')}`.trim();
    const product = openSearchProduct(client, SWAP_ALIAS, null);
    const app = appOf(product);
    const keyOf = (s: SearchResult): string => JSON.stringify([s.total, s.results.map((r) => r.id), s.facets]);
    const mentionKey = (m: MentionsResult): string => JSON.stringify([m.total, m.occurrences, m.byYear, m.byCouncil]);
    await writeTestIndex(client, index, SWAP_ALIAS);
    const before = { s: keyOf(await product.search({ q, mode: 'keyword' })), m: mentionKey(await product.mentions({ q: 'care leavers' })) };
    let running = true;
    const seen = { s: new Set<string>(), m: new Set<string>() };
    let answered = 0;
    const failures: string[] = [];
    const load = async (): Promise<void> => {
      while (running) {
        const [s, m] = await Promise.all([app.request(`/api/search?q=${encodeURIComponent(q)}&mode=keyword`), app.request('/api/mentions?q=care%20leavers&limit=1')]);
        for (const r of [s, m]) if (r.status !== 200) failures.push(`${r.status} ${await r.text()}`);
        if (s.status === 200) seen.s.add(keyOf((await s.json()) as SearchResult));
        if (m.status === 200) seen.m.add(mentionKey((await m.json()) as MentionsResult));
        answered++;
      }
    };
    const clients = [load(), load(), load()];
    let switched = false;
    await writeTestIndex(client, small, SWAP_ALIAS, { beforeSwitch: async () => void (switched = true) });
    const settle = Date.now() + 3000;
    while (Date.now() < settle) await new Promise((ok) => setTimeout(ok, 100));
    running = false;
    await Promise.all(clients);
    // The new build's answers, once the switch is done: they differ from the old build's.
    const after = { s: keyOf(await product.search({ q, mode: 'keyword' })), m: mentionKey(await product.mentions({ q: 'care leavers' })) };
    expect(after.s).not.toBe(before.s);
    expect(after.m).not.toBe(before.m);
    expect(switched).toBe(true);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(5);
    expect([...seen.s].every((k) => k === before.s || k === after.s), 'search answers are from one build').toBe(true);
    expect([...seen.m].every((k) => k === before.m || k === after.m), 'mention counts are from one build').toBe(true);
    expect(seen.s.has(after.s)).toBe(true);
    // Only the new index is left behind the alias; the old one is deleted.
    const aliases = await client.request<Record<string, unknown>>('GET', `/_alias/${SWAP_ALIAS}`);
    expect(Object.keys(aliases)).toHaveLength(1);
    const indexes = await client.request<Array<{ index: string }>>('GET', `/_cat/indices/${SWAP_ALIAS}*?format=json`);
    expect(indexes.map((i) => i.index)).toEqual(Object.keys(aliases));
  });
});

/** A TCP relay to OpenSearch that can be cut (refusing) or made to hold every connection silently (too slow). */
class Relay {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  private mode: 'pass' | 'silent' = 'pass';
  /** Change what new connections get; open ones are cut (the client reconnects). */
  async set(mode: 'pass' | 'silent'): Promise<void> {
    this.mode = mode;
    for (const s of this.sockets) s.destroy();
    // Let the client see its pooled connections close before the next request.
    await new Promise((ok) => setTimeout(ok, 300));
  }
  constructor(readonly port: number, private readonly target: URL) {}
  async open(): Promise<void> {
    this.server = createServer((s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
      if (this.mode === 'silent') return;
      const up = connect(Number(this.target.port), this.target.hostname);
      up.on('error', () => s.destroy());
      s.pipe(up).pipe(s);
    });
    await new Promise<void>((ok) => this.server!.listen(this.port, '127.0.0.1', ok));
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
    this.server = null;
  }
}

describe('OpenSearch unreachable or too slow', () => {
  it('answers 503 with a JSON error, within its time limit, and recovers when OpenSearch is back', async () => {
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((ok) => probe.close(() => ok()));
    const relay = new Relay(port, new URL(OPENSEARCH_TEST_URL));
    const remote = new OpenSearchClient({ url: `http://127.0.0.1:${port}`, user: null, password: null, ca: null, timeoutMs: 800 });
    const app = appOf(new EngineSearch(new OpenSearchEngine(remote, { alias: ALIAS, aliasTtlMs: 0 }), null));
    const expect503 = async (path: string): Promise<number> => {
      const t0 = Date.now();
      const r = await call(app, path);
      expect(r.status, r.body).toBe(503);
      const body = JSON.parse(r.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('engine_unavailable');
      expect(body.error.message).toMatch(/^Engine: OpenSearch at http:\/\/127\.0\.0\.1:\d+ /);
      return Date.now() - t0;
    };
    const paths = ['/api/search?q=care%20leavers&mode=keyword', '/api/mentions?q=care%20leavers', '/api/documents', '/api/health'];
    try {
      // Nothing listening: refused at once.
      for (const p of paths) expect(await expect503(p)).toBeLessThan(5000);
      // Back: answers again, with no restart.
      await relay.open();
      for (const p of paths) expect((await call(app, p)).status, p).toBe(200);
      // Accepting connections but never answering: 503 after the 800 ms limit, not a hang.
      await relay.set('silent');
      for (const p of paths.slice(0, 2)) {
        const ms = await expect503(p);
        expect(ms).toBeGreaterThanOrEqual(700);
        expect(ms).toBeLessThan(5000);
      }
      await relay.set('pass');
      for (const p of paths) expect((await call(app, p)).status, p).toBe(200);
    } finally {
      await relay.close();
    }
  });
});
