/**
 * The HTTP API through app.request() (no socket), on the real index of corpus/ with the real
 * default embedder, over both engines: the embedded one and OpenSearch (OPENSEARCH_TEST_URL,
 * default 127.0.0.1:9200; CI starts it; not reachable is a failure) holding the same index. Every
 * test below runs against each; test/opensearch-engine.test.ts compares their answers side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentResponse, DocumentsResponse, HealthResponse, MentionsResponse, SearchResponse } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import type { Hono } from 'hono';
import type { OpenSearchClient } from '../opensearch/client.ts';
import { createApp } from '../server/app.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { deleteIndexes, openSearchProduct, requireOpenSearch, writeTestIndex } from './helpers/opensearch.ts';

const ALIAS_PREFIX = 'test-api-';

let app: Hono;
let index: SearchIndex;
let embedder: Embedder;
let client: OpenSearchClient | null = null;

beforeAll(async () => {
  index = await loadIndex(await ensureCorpusIndex());
  embedder = await loadIndexEmbedder(index);
});

afterAll(async () => {
  if (client) await deleteIndexes(client, ALIAS_PREFIX);
  await embedder?.dispose();
});

async function get<T>(path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(status);
  return JSON.parse(body) as T;
}

const fold = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ');

describe.each(['embedded', 'opensearch'] as const)('the API over the %s engine', (engine) => {
  beforeAll(async () => {
    if (engine === 'embedded') {
      app = createApp(new Service(new SearchEngine(index, embedder), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
      return;
    }
    client = await requireOpenSearch();
    await deleteIndexes(client, ALIAS_PREFIX);
    await writeTestIndex(client, index, `${ALIAS_PREFIX}contract`);
    app = createApp(new Service(openSearchProduct(client, `${ALIAS_PREFIX}contract`, embedder), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
  });

  describe('GET /api/health and /api/help', () => {
    it('reports the index and the embedder in use', async () => {
      const h = await get<HealthResponse>('/api/health');
      expect(h.status).toBe('ok');
      expect(h.documents).toBe(14);
      expect(h.chunks).toBeGreaterThan(500);
      expect(h.embedder).toEqual({ id: 'minilm-l6-v2-int8', dim: 384 });
      expect(Date.parse(h.builtAt)).not.toBeNaN();
    });
    it('describes the query syntax', async () => {
      const help = await get<{ syntax: Array<{ example: string }> }>('/api/help');
      const examples = help.syntax.map((s) => s.example).join(' ');
      for (const op of ['"return home interview"', 'exact:"', 'OR', '-school', 'safeguard*', 'council:', 'year:', 'type:']) expect(examples).toContain(op);
    });
  });

  describe('GET /api/search', () => {
    it('answers the contract shape with cited results', async () => {
      const r = await get<SearchResponse>('/api/search?q=care%20leavers%20accommodation');
      expect(r.mode).toBe('hybrid');
      expect(r.query).toBe('care leavers accommodation');
      expect(r.embedder.id).toBe('minilm-l6-v2-int8');
      expect(r.results).toHaveLength(10);
      expect(r.total).toBeGreaterThan(10);
      expect(typeof r.tookMs).toBe('number');
      for (const x of r.results) {
        expect(Object.keys(x)).toEqual(expect.arrayContaining(['id', 'score', 'text', 'snippet', 'match', 'section', 'paragraph', 'page', 'url', 'doc', 'citation']));
        expect(x.url).toBe(`/doc/${x.doc.id}#${x.anchor}`);
        expect(x.text.length).toBeGreaterThan(x.snippet.replace(/<\/?mark>/g, '').length / 2);
        expect(Object.keys(x.doc)).toEqual(expect.arrayContaining(['id', 'title', 'council', 'date', 'year', 'type', 'source', 'judgements']));
        if (x.doc.source.endsWith('.pdf')) expect(x.page).toBeGreaterThan(0);
      }
      expect(new Set(r.results.map((x) => x.doc.year)).size).toBeGreaterThan(1);
      expect(Object.keys(r.facets)).toEqual(['council', 'year', 'type', 'judgement']);
      expect(r.facets.council.map((f) => f.value).sort()).toEqual(['Hackney', 'Havering', 'Hertfordshire']);
    });

    it('labels how each result matched and marks matched words, stems and synonyms', async () => {
      const kw = await get<SearchResponse>('/api/search?q=care%20leavers%20accommodation&mode=keyword');
      expect(kw.results.every((x) => x.match.keyword && !x.match.semantic)).toBe(true);
      expect(kw.results[0]!.snippet).toMatch(/<mark>/);
      const sem = await get<SearchResponse>('/api/search?q=young%20people%20leaving%20care%20suitable%20housing&mode=semantic');
      expect(sem.results.every((x) => x.match.semantic && !x.match.keyword)).toBe(true);
      const lac = await get<SearchResponse>('/api/search?q=LAC%20health&mode=keyword&limit=20');
      expect(lac.results.some((x) => /looked after children|children looked after|children in care/i.test(x.text))).toBe(true);
      expect(lac.results.flatMap((x) => x.match.terms).some((t) => /looked after|in care/.test(t))).toBe(true);
      // A stop word inside a synonym ("children in care") does not stop the thesaurus.
      const cic = await get<SearchResponse>('/api/search?q=children%20in%20care%20health&mode=keyword&limit=30');
      expect(cic.results.some((x) => /looked after children|children looked after/i.test(x.text) && !/children in care/i.test(x.text))).toBe(true);
      // An acronym that is also a word counts in capitals only.
      const send = await get<SearchResponse>('/api/search?q=SEND&mode=keyword&limit=30');
      expect(send.results.some((x) => /special educational needs/i.test(x.text))).toBe(true);
    });

    it('tolerates typos in ordinary words', async () => {
      const r = await get<SearchResponse>('/api/search?q=safegaurding&mode=keyword');
      expect(r.total).toBeGreaterThan(0);
      expect(r.results[0]!.text.toLowerCase()).toContain('safeguard');
      expect(r.results[0]!.snippet.toLowerCase()).toMatch(/<mark>safeguard/);
    });

    it('treats a quoted phrase as a hard requirement in every mode', async () => {
      for (const mode of ['keyword', 'semantic', 'hybrid']) {
        const r = await get<SearchResponse>(`/api/search?q=${encodeURIComponent('"private fostering"')}&mode=${mode}&limit=50`);
        expect(r.results.length, mode).toBeGreaterThan(0);
        for (const x of r.results) expect(fold(x.text), mode).toContain('private fostering');
      }
    });

    it('supports OR, -exclude and prefix*', async () => {
      const or = await get<SearchResponse>(`/api/search?q=${encodeURIComponent('"staying put" OR "private fostering"')}&mode=keyword&limit=100`);
      const texts = or.results.map((x) => fold(x.text));
      expect(texts.some((t) => t.includes('staying put'))).toBe(true);
      expect(texts.some((t) => t.includes('private fostering'))).toBe(true);
      expect(texts.every((t) => t.includes('staying put') || t.includes('private fostering'))).toBe(true);

      const ex = await get<SearchResponse>('/api/search?q=fostering%20-private&mode=keyword&limit=100');
      expect(ex.total).toBeGreaterThan(0);
      for (const x of ex.results) expect(fold(x.text)).not.toMatch(/\bprivate\b/);

      const pre = await get<SearchResponse>('/api/search?q=safeguard*&mode=keyword');
      expect(pre.total).toBeGreaterThan(0);
      expect(pre.results[0]!.text.toLowerCase()).toContain('safeguard');
    });

    it('applies filters from parameters and from the query text, with facets', async () => {
      const all = await get<SearchResponse>('/api/search?q=adoption&mode=keyword');
      const hackney = await get<SearchResponse>('/api/search?q=adoption&mode=keyword&council=hackney');
      expect(hackney.total).toBeLessThan(all.total);
      expect(hackney.results.every((x) => x.doc.council === 'Hackney')).toBe(true);
      // Facets for the council dimension still count the other councils.
      expect(hackney.facets.council.length).toBe(3);
      const inline = await get<SearchResponse>('/api/search?q=adoption%20council:hackney&mode=keyword');
      expect(inline.total).toBe(hackney.total);

      const ilacs = await get<SearchResponse>('/api/search?q=adoption&mode=keyword&type=ilacs&limit=100');
      expect(ilacs.results.every((x) => x.doc.type === 'ilacs')).toBe(true);
      const years = await get<SearchResponse>('/api/search?q=adoption&mode=keyword&from=2015&to=2019&limit=100');
      expect(years.results.every((x) => x.doc.year! >= 2015 && x.doc.year! <= 2019)).toBe(true);
      const inlineYears = await get<SearchResponse>('/api/search?q=adoption%20year:2015..2019&mode=keyword');
      expect(inlineYears.total).toBe(years.total);
      const two = await get<SearchResponse>('/api/search?q=adoption&mode=keyword&council=hackney&council=havering&limit=100');
      expect(new Set(two.results.map((x) => x.doc.council))).toEqual(new Set(['Hackney', 'Havering']));

      const inadequate = await get<SearchResponse>('/api/search?q=accommodation&judgement=inadequate&limit=100');
      expect(inadequate.total).toBeGreaterThan(0);
      expect(inadequate.results.every((x) => x.doc.judgements.some((j) => j.grade === 'inadequate'))).toBe(true);
      expect(all.facets.judgement.length).toBeGreaterThan(0);
    });

    it('collapses near-identical chunks into one result with a count', async () => {
      // Ofsted's boilerplate ("The Office for Standards in Education ... regulates and inspects")
      // closes every report: the same paragraph in many documents.
      const r = await get<SearchResponse>('/api/search?q=ofsted%20inspection%20framework&mode=keyword&limit=100');
      const ids = r.results.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const x of r.results) expect(x.duplicates).toBeGreaterThanOrEqual(1);
      const collapsed = r.results.filter((x) => (x.duplicateDocs ?? []).length > 0);
      expect(collapsed.length, 'some result stands for near-identical chunks of other reports').toBeGreaterThan(0);
      // Near-identical: the same words once case, digits, punctuation and each report's own
      // council name are set aside.
      const words = (text: string, council: string | null): string => {
        const w = text.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
        return council ? w.split(council.toLowerCase().replace(/[^a-z]+/g, ' ').trim()).join('#') : w;
      };
      for (const x of collapsed) {
        expect(x.duplicates).toBeGreaterThan(x.duplicateDocs!.length);
        const mine = words(x.text, x.doc.council);
        for (const id of x.duplicateDocs!) {
          expect(id).not.toBe(x.doc.id);
          const other = index.docs.find((d) => d.meta.id === id)!;
          expect(other.chunks.some((c) => words(c.text, other.meta.council) === mine), `${id} holds a chunk like ${x.id}`).toBe(true);
          // ... and that chunk is not a result of its own.
          expect(r.results.some((y) => y.doc.id === id && words(y.text, y.doc.council) === mine)).toBe(false);
        }
      }
    });

    it('pages with limit and offset', async () => {
      const ten = await get<SearchResponse>('/api/search?q=social%20workers&mode=keyword&limit=10');
      const a = await get<SearchResponse>('/api/search?q=social%20workers&mode=keyword&limit=5');
      const b = await get<SearchResponse>('/api/search?q=social%20workers&mode=keyword&limit=5&offset=5');
      expect(ten.total).toBeGreaterThan(10);
      expect(a.total).toBe(ten.total);
      expect(b.total).toBe(ten.total);
      expect(a.results).toHaveLength(5);
      expect(b.results).toHaveLength(5);
      // Page two follows page one: together they are the first ten.
      expect([...a.results, ...b.results].map((x) => x.id)).toEqual(ten.results.map((x) => x.id));
      const last = await get<SearchResponse>(`/api/search?q=social%20workers&mode=keyword&limit=5&offset=${ten.total - 2}`);
      expect(last.results).toHaveLength(2);
    });

    it('rejects bad input with a 400 naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['/api/search', 'q'],
        ['/api/search?q=', 'q'],
        ['/api/search?q=%20%20', 'q'],
        [`/api/search?q=${'a'.repeat(501)}`, 'q'],
        ['/api/search?q=x&mode=fuzzy', 'mode'],
        ['/api/search?q=x&limit=0', 'limit'],
        ['/api/search?q=x&limit=101', 'limit'],
        ['/api/search?q=x&limit=ten', 'limit'],
        ['/api/search?q=x&offset=-1', 'offset'],
        ['/api/search?q=x&from=2020&to=2010', 'from'],
        ['/api/search?q=x&from=20x0', 'from'],
        ['/api/search?q=x&type=novel', 'type'],
        ['/api/search?q=x&mode=keyword&mode=hybrid', 'mode'],
        ['/api/search?q=council:hackney', 'q'],
        ['/api/mentions?q=x&format=xml', 'format'],
      ];
      for (const [path, param] of cases) {
        const res = await app.request(path);
        expect(res.status, path).toBe(400);
        expect(res.headers.get('content-type'), path).toContain('application/json');
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code, path).toBe('invalid_parameter');
        expect(body.error.message, path).toContain(`"${param}"`);
      }
    });
  });

  describe('GET /api/mentions', () => {
    it('lists every paragraph with a phrase, and its totals equal a plain count over the cleaned text', async () => {
      const m = await get<MentionsResponse>(`/api/mentions?q=${encodeURIComponent('"private fostering"')}&limit=100000`);
      let direct = 0;
      let paragraphs = 0;
      for (const d of index.docs) {
        direct += (d.text.match(/\bprivate[\s-]+fostering\b/gi) ?? []).length;
        paragraphs += d.paragraphs.filter((p) => /\bprivate[\s-]+fostering\b/i.test(p.text)).length;
      }
      expect(m.occurrences).toBe(direct);
      expect(m.total).toBe(paragraphs);
      expect(m.results).toHaveLength(m.total);
      expect(m.byYear.reduce((n, y) => n + y.occurrences, 0)).toBe(direct);
      expect(m.byCouncil.reduce((n, c) => n + c.count, 0)).toBe(m.total);
      const y2016 = m.byYear.find((y) => y.year === 2016)!;
      expect(y2016.reportsTotal).toBe(2);
      expect(y2016.per10kWords).toBeGreaterThan(0);
      // Newest reports first.
      const dates = m.results.map((r) => r.doc.date ?? '');
      expect([...dates].sort().reverse()).toEqual(dates);
    });

    it('counts plain words typed together as one expression, each word by stem', async () => {
      const quoted = await get<MentionsResponse>(`/api/mentions?q=${encodeURIComponent('"care leavers"')}&limit=1`);
      const plain = await get<MentionsResponse>('/api/mentions?q=care%20leaver&limit=100000');
      // "care leaver" also counts "care leavers" and "care leaver's": at least the exact count.
      expect(plain.occurrences).toBeGreaterThanOrEqual(quoted.occurrences);
      for (const r of plain.results) expect(fold(r.text)).toMatch(/care[\s-]+leaver/);
      expect(plain.results.every((r) => r.occurrences === (r.snippet.match(/<mark>/g) ?? []).length || r.snippet.startsWith('…') || r.snippet.endsWith('…'))).toBe(true);
    });

    it('exports every row as CSV with citation and link', async () => {
      const q = encodeURIComponent('"staying put"');
      const json = await get<MentionsResponse>(`/api/mentions?q=${q}&limit=1`);
      const res = await app.request(`/api/mentions?q=${q}&format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const csv = await res.text();
      const rows = csv.trim().split('\r\n').filter((line) => /^[A-Z][a-z]+,\d{4},/.test(line));
      expect(csv.split('\r\n')[0]).toContain('citation');
      expect(rows.length).toBe(json.total);
      expect(csv).toContain('http://localhost/doc/');
    });
  });

  describe('documents and files', () => {
    it('lists documents and returns one with its outline and paragraphs', async () => {
      const list = await get<DocumentsResponse>('/api/documents');
      expect(list.documents).toHaveLength(14);
      const hackney = list.documents.find((d) => d.source === "ofsted-ilacs/80496_hackney/children's services inspection - 20 august 2024.pdf");
      expect(hackney).toBeDefined();
      const doc = await get<DocumentResponse>(`/api/documents/${encodeURIComponent(hackney!.id)}`);
      expect(doc.outline.length).toBeGreaterThan(2);
      expect(doc.paragraphs.length).toBe(hackney!.paragraphs);
      expect(doc.paragraphs.every((p) => p.page !== null && p.page >= 1)).toBe(true);
      const numbered = doc.paragraphs.find((p) => p.number !== null)!;
      expect(numbered.citation).toBe(`Ofsted, ${hackney!.title}, 2024, para ${numbered.number}, p. ${numbered.page}`);
      expect(doc.citation).toBe(`Ofsted, ${hackney!.title}, 2024`);
      const anchors = new Set(doc.paragraphs.map((p) => p.anchor));
      const search = await get<SearchResponse>(`/api/search?q=leaders&council=hackney&from=2024&mode=keyword`);
      // Hackney's only report from 2024 on is this one: every result is in it, at one of its anchors.
      expect(search.results.length).toBeGreaterThan(0);
      for (const r of search.results) {
        expect(r.doc.id).toBe(hackney!.id);
        expect(anchors.has(r.anchor), r.anchor).toBe(true);
      }
    });

    it('404s unknown documents in the JSON error shape', async () => {
      const res = await app.request('/api/documents/nope');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      const route = await app.request('/api/nothing-here');
      expect(route.status).toBe(404);
      expect(route.headers.get('content-type')).toContain('application/json');
    });

    it('serves original files from inside the corpus only', async () => {
      const ok = await app.request(`/files/ofsted-ilacs/80496_hackney/${encodeURIComponent("children's services inspection - 20 august 2024.pdf")}`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/pdf');
      expect(new TextDecoder().decode((await ok.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
      for (const bad of [
        '/files/../../etc/passwd',
        '/files/..%2F..%2Fetc%2Fpasswd',
        '/files/%2e%2e/%2e%2e/etc/passwd',
        '/files/%252e%252e/%252e%252e/etc/passwd',
        '/files//etc/passwd',
        '/files/%2Fetc%2Fpasswd',
        '/files/seeds/../../package.json',
        '/files/seeds/%2e%2e/%2e%2e/package.json',
        '/api/documents/..%2F..%2Fpackage.json',
      ]) {
        const res = await app.request(bad);
        expect(res.status, bad).toBe(404);
        expect(await res.text(), bad).not.toContain('root:');
      }
    });
  });

  describe('feed and headers', () => {
    it('serves an Atom feed of the newest matching reports', async () => {
      const res = await app.request('/api/feed?q=care%20leavers');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/atom+xml');
      const xml = await res.text();
      expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
      const entries = xml.match(/<entry>/g) ?? [];
      expect(entries.length).toBeGreaterThan(3);
      const ids = [...xml.matchAll(/<id>[^<]*\/doc\/([^<]+)<\/id>/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('sets security headers on every response', async () => {
      for (const path of ['/api/health', '/api/search?q=', '/api/documents/none']) {
        const res = await app.request(path);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp, path).toContain("script-src 'self'");
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(csp, path).not.toContain("'unsafe-inline' 'unsafe-eval'");
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('referrer-policy'), path).toBeTruthy();
        expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
      }
    });

    it('compresses large responses with gzip when asked', async () => {
      const res = await app.request('/api/documents', { headers: { 'Accept-Encoding': 'gzip' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
    });
  });
});
