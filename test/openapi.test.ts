/**
 * The API's contract (core/api-schema.ts) against the real app, through app.request() on the
 * index of corpus/ with the real default embedder:
 * - GET /api/openapi.json is an OpenAPI 3.1 document naming every API route the app serves, and
 *   /api/help links it;
 * - real answers of every route parse with their strict schemas (no field missing, none extra);
 * - other methods get a JSON 405 with Allow; the CSV starts with a UTF-8 BOM; the Atom feed has
 *   the elements RFC 4287 requires.
 * scripts/fuzz-api.sh checks the same document over HTTP with schemathesis (thousands of cases).
 */
import { parseDocument } from 'htmlparser2';
import type { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import {
  DocumentResponse,
  DocumentsResponse,
  ErrorResponse,
  HealthResponse,
  CouncilResponse,
  HelpResponse,
  MentionsResponse,
  MentionYearsResponse,
  SearchResponse,
  SimilarResponse,
} from '../core/api-schema.ts';
import { SearchEngine } from '../core/search.ts';
import { createApp } from '../server/app.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';

let app: Hono;
let engine: SearchEngine;

beforeAll(async () => {
  const index = await loadIndex(await ensureCorpusIndex());
  engine = new SearchEngine(index, await loadIndexEmbedder(index));
  app = createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: null, log: null }));
});

async function answer<T>(schema: ZodType<T>, path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type'), path).toContain('application/json');
  const parsed = schema.safeParse(JSON.parse(text));
  expect(parsed.success ? [] : parsed.error.issues, path).toEqual([]);
  return parsed.data!;
}

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document of every API route, linked from /api/help', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    const served = [...new Set(app.routes
      .filter((r) => r.method === 'GET' && /^\/(api|files)\//.test(r.path) && r.path !== '/api/openapi.json')
      .map((r) => `GET ${r.path.replace(/\/\*$/, '/{source}').replace(/:(\w+)/g, '{$1}')}`))].sort();
    expect(documented).toEqual(served);
    expect(documented).toEqual([
      'GET /api/councils/{name}', 'GET /api/documents', 'GET /api/documents/{id}', 'GET /api/feed', 'GET /api/health', 'GET /api/help', 'GET /api/mentions',
      'GET /api/mentions/years', 'GET /api/search', 'GET /api/similar', 'GET /files/{source}',
    ]);
    const params = (path: string): string[] => (doc.paths[path]!.get!.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(params('/api/search')).toEqual(['query:council', 'query:from', 'query:judgement', 'query:limit', 'query:mode', 'query:offset', 'query:q', 'query:to', 'query:type', 'query:understand']);
    expect(params('/api/mentions')).toEqual(['query:council', 'query:format', 'query:from', 'query:judgement', 'query:limit', 'query:offset', 'query:q', 'query:to', 'query:type']);
    expect(params('/api/similar')).toEqual(['query:council', 'query:from', 'query:id', 'query:judgement', 'query:limit', 'query:to', 'query:type']);
    expect(params('/api/councils/{name}')).toEqual(['path:name', 'query:q']);
    expect(params('/api/mentions/years')).toEqual(['query:council', 'query:format', 'query:from', 'query:judgement', 'query:q', 'query:to', 'query:type']);
    expect(params('/files/{source}')).toEqual(['header:range', 'path:source']);
    expect(Object.keys(doc.paths['/api/search']!.get!.responses)).toEqual(expect.arrayContaining(['200', '400', '429']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SearchResponse', 'MentionsResponse', 'DocumentResponse', 'HealthResponse', 'ErrorResponse', 'SimilarResponse', 'CouncilResponse', 'MentionYearsResponse']));
    const help = await answer(HelpResponse, '/api/help');
    expect(help.openapi).toBe('/api/openapi.json');
    expect(help.notes.join(' ')).toContain('/api/openapi.json');
  });
});

describe('real answers match their schemas exactly', () => {
  it('search in every mode, with filters and duplicates', async () => {
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const r = await answer(SearchResponse, `/api/search?q=care%20leavers%20accommodation&mode=${mode}&limit=100`);
      expect(r.results.length).toBeGreaterThan(10);
    }
    await answer(SearchResponse, '/api/search?q=leaders&council=Hackney&type=ilacs&from=2010&to=2025&judgement=good&mode=keyword');
    await answer(SearchResponse, '/api/search?q=zzqqxxnothing&mode=keyword');
  });

  it('mentions, documents, one document, health and errors', async () => {
    const m = await answer(MentionsResponse, `/api/mentions?q=${encodeURIComponent('"private fostering"')}&limit=100000`);
    expect(m.results.length).toBe(m.total);
    const list = await answer(DocumentsResponse, '/api/documents');
    for (const d of list.documents) await answer(DocumentResponse, `/api/documents/${encodeURIComponent(d.id)}`);
    await answer(HealthResponse, '/api/health');
    const bad = await answer(ErrorResponse, '/api/search?q=x&limit=0', 400);
    expect(bad.error).toEqual({ code: 'invalid_parameter', message: 'Request: parameter "limit" must be a whole number from 1 to 100 (got 0)' });
    await answer(ErrorResponse, '/api/documents/nope', 404);
  });

  it('similar paragraphs, a council\'s record and themes by year, and their errors', async () => {
    const hit = (await answer(SearchResponse, '/api/search?q=care%20leavers&mode=keyword&limit=1')).results[0]!;
    const s = await answer(SimilarResponse, `/api/similar?id=${encodeURIComponent(hit.id)}&limit=50&judgement=${encodeURIComponent('care leavers:good|outstanding')}`);
    expect(s.results.length).toBeGreaterThan(0);
    await answer(ErrorResponse, '/api/similar?id=nope', 404);
    await answer(ErrorResponse, '/api/similar', 400);
    for (const c of ['Hackney', 'Havering', 'Hertfordshire']) {
      await answer(CouncilResponse, `/api/councils/${c}`);
      await answer(CouncilResponse, `/api/councils/${c}?q=${encodeURIComponent('"staying put"')}`);
    }
    await answer(ErrorResponse, '/api/councils/nowhere', 404);
    const y = await answer(MentionYearsResponse, '/api/mentions/years?q=care%20leavers&q=adoption&q=fostering&q=%22staying%20put%22');
    expect(y.themes.length).toBe(4);
    await answer(ErrorResponse, '/api/mentions/years?q=a&q=b&q=c&q=d&q=e', 400);
  });
});

describe('methods, CSV and feed', () => {
  it('answers other methods on an API route with a JSON 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await app.request('/api/search?q=care', { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(((await res.json()) as ErrorResponse).error.code).toBe('method_not_allowed');
    }
    expect((await app.request('/api/documents/a/b')).status).toBe(404);
    expect((await app.request('/api/nothing', { method: 'POST' })).status).toBe(404);
  });

  it('starts the CSV with a UTF-8 byte order mark, for Excel', async () => {
    const res = await app.request(`/api/mentions?q=${encodeURIComponent('"staying put"')}&format=csv`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).startsWith('\uFEFFcouncil,year,date,type,report,')).toBe(true);
  });

  it('sends an Atom feed with the elements RFC 4287 requires', async () => {
    for (const q of ['"care leavers"', 'adoption \u0007 \u001b[31m <b>&amp;']) {
      const res = await app.request(`/api/feed?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await res.text();
      // Only characters XML 1.0 allows.
      expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      checkAtom(xml);
    }
  });
});

type El = { name: string; attribs: Record<string, string>; children: unknown[] };
const elements = (parent: { children: unknown[] }, name: string): El[] => parent.children.filter((c): c is El => (c as El).name === name);
const text = (el: El | undefined): string => (el?.children ?? []).map((c) => (c as { data?: string }).data ?? '').join('');
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkAtom(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  const root = parseDocument(xml, { xmlMode: true });
  const feeds = elements(root, 'feed');
  expect(feeds).toHaveLength(1);
  const feed = feeds[0]!;
  expect(feed.attribs.xmlns).toBe('http://www.w3.org/2005/Atom');
  // atom:feed: exactly one id, title and updated; at least one author (or one in every entry).
  for (const one of ['id', 'title', 'updated']) expect(elements(feed, one), `feed ${one}`).toHaveLength(1);
  expect(text(elements(feed, 'title')[0])).toMatch(/^Children's services reports: ./);
  expect(text(elements(feed, 'updated')[0])).toMatch(rfc3339);
  expect(() => new URL(text(elements(feed, 'id')[0]))).not.toThrow();
  const feedAuthors = elements(feed, 'author');
  for (const a of feedAuthors) expect(text(elements(a, 'name')[0]).length).toBeGreaterThan(0);
  const links = elements(feed, 'link');
  expect(links.filter((l) => l.attribs.rel === 'self')).toHaveLength(1);
  expect(links.filter((l) => l.attribs.rel === 'alternate' && l.attribs.type === 'text/html')).toHaveLength(1);
  const entries = elements(feed, 'entry');
  expect(entries.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  for (const e of entries) {
    for (const one of ['id', 'title', 'updated']) expect(elements(e, one), `entry ${one}`).toHaveLength(1);
    expect(text(elements(e, 'updated')[0])).toMatch(rfc3339);
    ids.add(text(elements(e, 'id')[0]));
    // atom:entry with no atom:content src needs an alternate link; an author unless the feed has one.
    expect(elements(e, 'link').filter((l) => (l.attribs.rel ?? 'alternate') === 'alternate')).toHaveLength(1);
    if (feedAuthors.length === 0) expect(elements(e, 'author').length).toBeGreaterThan(0);
    for (const a of elements(e, 'author')) expect(text(elements(a, 'name')[0]).length).toBeGreaterThan(0);
    for (const c of elements(e, 'content')) expect(c.attribs.type).toBe('text');
  }
  expect(ids.size).toBe(entries.length);
  expect(feedAuthors.length + entries.filter((e) => elements(e, 'author').length > 0).length).toBeGreaterThan(0);
}
