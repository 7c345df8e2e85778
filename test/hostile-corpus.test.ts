/**
 * Hostile and broken documents (made at test time, test/helpers/hostile-files.ts): an encrypted
 * PDF, truncated PDFs, zero-byte files, a scanned PDF with no text layer, a 2 000-page PDF
 * (HOSTILE_PDF_PAGES to change; `npm run bench:large-pdf` records its cost), Windows-1252 text,
 * NUL bytes, a file named with quotes, spaces and non-ASCII, and reports whose text is HTML/JS.
 * The indexer finishes, reports every skipped file with a reason and indexes the rest; the API
 * returns hostile text escaped (only <mark> markup), serves hostile files as plain text, and the
 * corpus folder is left exactly as it was.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentResponse, MentionsResponse, SearchResponse } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { loadEmbedder, resolveEmbedderId } from '../embed/registry.ts';
import { buildIndex, type BuildSummary } from '../indexer/build.ts';
import { createApp } from '../server/app.ts';
import { loadIndex } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ROOT } from './helpers/corpus-index.ts';
import { HOSTILE_NAME, HTML_PAYLOADS, LARGE_PDF, writeHostileCorpus, type HostileExpectations } from './helpers/hostile-files.ts';
import { treeHash } from './helpers/tree-hash.ts';

const TMP = resolve(ROOT, 'test', '.tmp', 'hostile');
const CORPUS = join(TMP, 'corpus');
const INDEX = join(TMP, 'index');
const LARGE_PAGES = Number(process.env.HOSTILE_PDF_PAGES ?? 2000);

let embedder: Embedder;
let expected: HostileExpectations;
let summary: BuildSummary;
let log: string[];
let index: SearchIndex;
let app: Hono;
let corpusBefore: string;

beforeAll(async () => {
  await rm(TMP, { recursive: true, force: true });
  expected = await writeHostileCorpus(CORPUS, {
    seedText: join(CORPUS_DIR, 'seeds', '004_23e61ca61d325768.txt'),
    realPdf: join(CORPUS_DIR, 'ofsted-ilacs', '80500_havering', "children's services inspection - 16 february 2024.pdf"),
    largePages: LARGE_PAGES,
  });
  corpusBefore = (await treeHash(CORPUS)).hash;
  embedder = await loadEmbedder(resolveEmbedderId());
  log = [];
  summary = await buildIndex({ corpusDir: CORPUS, indexDir: INDEX, embedder, progress: { silent: true }, log: (l) => log.push(l) });
  index = await loadIndex(INDEX);
  app = createApp(new Service(new SearchEngine(index, embedder), { corpusDir: CORPUS, webDir: null, log: null }));
}, 600_000);

afterAll(async () => {
  await embedder?.dispose();
});

/** Snippet markup with <mark> and </mark> taken out must hold no markup at all. */
function expectOnlyMarks(html: string, where: string): void {
  expect(html.replace(/<\/?mark>/g, ''), where).not.toMatch(/[<>]/);
}

describe('the indexer on a hostile corpus', () => {
  it('finishes, skips each unusable file with a reason and says so, and indexes the rest', () => {
    const reasons = new Map(summary.skipped.map((s) => [s.file, s.reason]));
    for (const [file, pattern] of Object.entries(expected.skipped)) {
      expect(reasons.get(file), `${file} should be skipped`).toMatch(pattern);
      expect(reasons.get(file)!.length, file).toBeGreaterThan(5);
      expect(log.some((l) => l.startsWith(`warning: skipped ${file}: `)), `log line for ${file}`).toBe(true);
    }
    const sources = new Set(index.docs.map((d) => d.meta.source));
    for (const file of expected.indexed) expect(sources.has(file), `${file} should be indexed (skipped: ${reasons.get(file)})`).toBe(true);
    for (const file of expected.either) expect(sources.has(file) !== reasons.has(file), `${file} is indexed or skipped, not both/neither`).toBe(true);
    // Every file is accounted for, once.
    expect(sources.size + reasons.size).toBe(Object.keys(expected.skipped).length + expected.indexed.length + expected.either.length);
    expect(summary.documents).toBe(sources.size);
    // Reported in the saved manifest too (what `npm run index` prints).
    expect(index.manifest.skipped.map((s) => s.file).sort()).toEqual([...reasons.keys()].sort());
  });

  it('keeps text clean: no NUL or control characters, Windows-1252 decoded, nothing replaced by U+FFFD', () => {
    for (const d of index.docs) {
      expect(d.text, d.meta.source).not.toMatch(/[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/);
    }
    const cp = index.docs.find((d) => d.meta.source === 'windows-1252.txt')!;
    expect(cp.text).toContain('£2.5 million');
    expect(cp.text).toContain('café staff');
    expect(cp.text).toContain('naïve résumé');
    expect(cp.text).toMatch(/Hackney['’]s ["“]Staying Put["”] scheme [–-] costing/);
  });

  it('reads the large PDF page by page and cites the page of a passage', async () => {
    const big = index.docs.find((d) => d.meta.source === LARGE_PDF)!;
    expect(big.meta.pages).toBe(LARGE_PAGES);
    const { word, page } = expected.largePdfWord;
    const r = await get<SearchResponse>(`/api/search?q=${word}&mode=keyword`);
    expect(r.total).toBe(1);
    expect(r.results[0]!.doc.source).toBe(LARGE_PDF);
    // A result cites the page its chunk starts on; the paragraph itself is on the word's page.
    expect(r.results[0]!.page).toBeGreaterThanOrEqual(page - 2);
    expect(r.results[0]!.page).toBeLessThanOrEqual(page);
    const doc = await get<DocumentResponse>(`/api/documents/${encodeURIComponent(big.meta.id)}`);
    const para = doc.paragraphs.filter((p) => p.text.includes(word));
    expect(para.map((p) => p.page)).toEqual([page]);
  });

  it('finds the text of every readable hostile file', async () => {
    for (const [file, word] of Object.entries(expected.findable)) {
      const r = await get<SearchResponse>(`/api/search?q=${encodeURIComponent(word)}&mode=keyword&limit=50`);
      expect(r.results.some((x) => x.doc.source === file), `${word} in ${file}`).toBe(true);
    }
    // Script content of the HTML page is not indexed as text.
    const script = await get<SearchResponse>('/api/search?q=scriptonlyword&mode=keyword');
    expect(script.total).toBe(0);
  });

  it('leaves the corpus folder exactly as it was', async () => {
    expect((await treeHash(CORPUS)).hash).toBe(corpusBefore);
  });
});

async function get<T>(path: string): Promise<T> {
  const res = await app.request(path);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
  return JSON.parse(body) as T;
}

describe('the API on hostile text', () => {
  it('returns HTML/JS payloads escaped in snippets, in every mode', async () => {
    for (const mode of ['keyword', 'hybrid', 'semantic']) {
      for (const q of ['xssfostering', 'script alert onerror', '"img src"', 'svg onload', 'javascript']) {
        const r = await get<SearchResponse>(`/api/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=20`);
        for (const x of r.results) expectOnlyMarks(x.snippet, `${mode} ${q} ${x.id}`);
        if (mode === 'keyword' && q === 'xssfostering') {
          const hostile = r.results.filter((x) => x.doc.source === 'html-payload.txt');
          expect(hostile.length).toBeGreaterThan(0);
          // The payload is in the text as data, and in the snippet only escaped.
          expect(hostile.some((x) => x.text.includes(HTML_PAYLOADS[0]!))).toBe(true);
          expect(hostile.map((x) => x.snippet).join(' ')).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;|&lt;img src=x onerror=alert\(1\)&gt;/);
        }
      }
    }
  });

  it('escapes hostile text in mentions, the Atom feed and CSV (no formula cells)', async () => {
    const m = await get<MentionsResponse>('/api/mentions?q=xssfostering&limit=1000');
    expect(m.total).toBeGreaterThanOrEqual(3);
    for (const x of m.results) expectOnlyMarks(x.snippet, `mentions ${x.id}`);

    const feed = await app.request('/api/feed?q=xssfostering');
    const xml = await feed.text();
    expect(feed.status).toBe(200);
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toMatch(/<(script|img|svg)\b/i);

    const csv = await (await app.request('/api/mentions?q=xssfostering&format=csv')).text();
    expect(csv).toContain('HYPERLINK');
    // A cell that would start with "=" starts with an apostrophe instead.
    expect(csv).not.toMatch(/(^|,|\r\n)"?=HYPERLINK/);
    expect(csv).toMatch(/(^|,)"?'=HYPERLINK/m);
  });

  it('serves hostile files as plain text with nosniff, and an awkward file name intact', async () => {
    const html = await app.request('/files/page.html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");

    const encoded = `/files/${encodeURIComponent(HOSTILE_NAME)}`;
    const res = await app.request(encoded);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(join(CORPUS, HOSTILE_NAME)))).toBe(true);
    const disposition = res.headers.get('content-disposition')!;
    // eslint-disable-next-line no-control-regex
    expect(disposition).toMatch(/^inline; filename\*=UTF-8''[\x21-\x7e]+$/);
    expect(decodeURIComponent(disposition.replace(/^.*''/, ''))).toBe(HOSTILE_NAME);

    const doc = index.docs.find((d) => d.meta.source === HOSTILE_NAME)!;
    const r = await app.request(`/api/documents/${encodeURIComponent(doc.meta.id)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    for (const skipped of Object.keys(expected.skipped)) {
      expect((await app.request(`/files/${encodeURIComponent(skipped)}`)).status, skipped).toBe(404);
    }
  });
});
