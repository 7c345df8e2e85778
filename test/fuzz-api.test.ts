/**
 * Property-based fuzzing of every endpoint and parameter through app.request(), on the shared
 * index of corpus/ with the real default embedder. Over 10 000 generated requests per run
 * (FUZZ_RUNS scales it): random and malformed queries (unbalanced quotes, lone operators, 10 000
 * character strings, control characters, emoji, right-to-left text, %00, regex metacharacters,
 * SQL/HTML/JS payloads, malformed percent-encoding), out-of-range limits and offsets, unknown
 * modes, repeated parameters, odd ids and paths, other methods and unknown routes.
 * Also similar paragraphs (/api/similar), councils (/api/councils/{name}) and themes by year
 * (/api/mentions/years). Every answer: no 5xx; every 4xx is JSON {error:{code,message}}; security headers; snippets
 * hold no markup but <mark>; an answer within a bound (no hang). Afterwards the app still answers
 * /api/health and the reference queries exactly as before.
 * Hybrid/semantic requests cost a model call each, so they get their own, smaller run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine } from '../core/search.ts';
import { createApp } from '../server/app.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';

const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const CHEAP_RUNS = Math.round(9_600 * SCALE);
const MODEL_RUNS = Math.round(500 * SCALE);
/** No single request may take longer than this (the machine may be busy; a hang is minutes). */
const BOUND_MS = 15_000;

let app: Hono;
let engine: SearchEngine;
let sources: string[];
let docIds: string[];
let chunkIds: string[];
const stats = { requests: 0, byStatus: {} as Record<string, number>, byRoute: {} as Record<string, number>, byError: {} as Record<string, number>, maxMs: 0, maxPath: '', totalMs: 0 };

beforeAll(async () => {
  const index = await loadIndex(await ensureCorpusIndex());
  engine = new SearchEngine(index, await loadIndexEmbedder(index));
  app = createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: null, log: null }));
  sources = index.docs.map((d) => d.meta.source);
  docIds = index.docs.map((d) => d.meta.id);
  chunkIds = index.chunks.map((c) => c.id);
});

afterAll(async () => {
  await engine?.embedder?.dispose();
  const out = join(ROOT, 'test', '.tmp', 'fuzz-stats.json');
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, JSON.stringify({ ...stats, meanMs: stats.totalMs / Math.max(1, stats.requests), at: new Date().toISOString() }, null, 1));
  process.stdout.write(`fuzz: ${stats.requests} requests, by status ${JSON.stringify(stats.byStatus)}, by route ${JSON.stringify(stats.byRoute)}, errors ${JSON.stringify(stats.byError)}, max ${stats.maxMs.toFixed(0)} ms (${stats.maxPath.slice(0, 80)})\n`);
});

// --- Generators ------------------------------------------------------------------------------

const WORDS = ['children', 'care', 'leavers', 'accommodation', 'fostering', 'private', 'safeguarding', 'safegaurding', 'adoption', 'social', 'workers',
  'hackney', 'havering', 'hertfordshire', 'ofsted', 'inspection', 'the', 'of', 'and', 'a', 'LAC', 'CAMHS', 'staying', 'put', 'missing', 'exploitation', 'children\'s', 'well-being', 'x', '2019', '1'];
const NASTY = [
  '"', '""', '"""', '"care', 'leavers"', '"care leavers', '-"staying put"', 'OR', 'OR OR', 'or', '|', '||', '-', '--', '-"', '-*', '*', '**', 'a*', 'ab*', 'chi*', 'c*h*', '*ren',
  '(', ')', '[', ']', '{', '}', '\\', '^', '$', '.*', '(a+)+$', '(x+x+)+y', '\\d+', '[^]', '?', '+', '.', '..', '...', '/', '//', '#', '&', '=', '%', '%%', '%00', '%0a', '%zz', '%E2%82', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t', '\u2028',
  "'; DROP TABLE chunks; --", "1' OR '1'='1", '" OR ""="', 'UNION SELECT * FROM users', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</mark><script>', '<mark>', '&lt;', '&amp;', '{{7*7}}', '${7*7}', '`id`', '$(reboot)',
  '\u202etxt.exe', 'مرحبا بالعالم', 'שלום', 'رعاية الأطفال', '👩‍👧‍👦', '🙂', '🏳️‍🌈', '\uD800', '\uDFFF', '\uFFFF', '\uFEFF', 'Ａ', 'ﬁ', 'İ', 'ß', 'e\u0301', '\u200b', '\u00a0',
  'council:', 'council:hackney', 'council:"isle of wight"', 'council:__proto__', 'year:', 'year:abcd', 'year:2015..2019', 'year:2019..2015', 'year:9999', 'year:0', 'year:2015..', 'type:', 'type:ilacs', 'type:novel', 'type:constructor',
  'judgement:', 'judgement:inadequate', 'judgement:"care leavers:good"', 'from:2020', 'to:1900', 'from:', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'NaN', 'Infinity', '-0', '1e309',
];
const token = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[-"*|:().\\[\]{}^$+?%&#=]{1,6}$/) },
);
const longText = fc.tuple(fc.integer({ min: 480, max: 10_000 }), fc.constantFrom('a', 'children ', '"', '-x ', 'é', '🙂', '%', 'care* ', '(a+)+')).map(([n, s]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
const query = fc.oneof(
  { weight: 12, arbitrary: fc.array(token, { minLength: 1, maxLength: 10 }).map((a) => a.join(' ')) },
  { weight: 2, arbitrary: fc.array(token, { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: longText },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '%') },
);

/** How a value is put in the URL: properly encoded, raw, with +, double-encoded, or with broken escapes. */
const encoding = fc.constantFrom('component', 'component', 'component', 'component', 'component', 'component', 'raw', 'plus', 'double', 'broken');
function encodeValue(v: string, how: string): string {
  const component = (s: string): string => {
    try {
      return encodeURIComponent(s);
    } catch {
      return s; // lone surrogate: send it raw
    }
  };
  switch (how) {
    case 'raw':
      return v;
    case 'plus':
      return component(v).replace(/%20/g, '+');
    case 'double':
      return component(component(v));
    case 'broken':
      return `${component(v)}${['%', '%G1', '%E2%82', '%u0041', '%%'][v.length % 5]}`;
    default:
      return component(v);
  }
}

const intLike = fc.oneof(
  { weight: 16, arbitrary: fc.integer({ min: 0, max: 100 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 150 }).map(String) },
  { weight: 2, arbitrary: fc.integer().map(String) },
  { weight: 2, arbitrary: fc.constantFrom('', '0', '1', '100', '101', '100000', '100001', '10000000', '1e2', '0x10', ' 5', '5 ', '+5', '-0', '1.5', 'NaN', 'Infinity', '99999999999999999999', '٣', '000000000010', '1,000', '\u0000') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
);
const year = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 2000, max: 2030 }).map(String) }, { weight: 1, arbitrary: fc.integer({ min: 1980, max: 2110 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('', '20x0', '2019..2020', '-2019', '02019', '２０１９', '1e3') }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const council = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('hackney', 'havering', 'hertfordshire') }, fc.constantFrom('hackney', 'Havering', 'HERTFORDSHIRE', 'isle of wight', 'isle_of_wight', 'northamptonshire', 'cumbria', '__proto__', ''), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constant('x'.repeat(250)));
const type = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('ilacs', 'apa', 'slac', 'focused', 'committee', 'ILACS', 'jar', 'sif') }, { weight: 1, arbitrary: fc.constantFrom('novel', '', 'focused visit', 'x') }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
const judgement = fc.oneof(fc.constantFrom('inadequate', 'good', 'outstanding', 'requires improvement', 'care leavers:good', 'care leavers:', ':'), fc.string({ maxLength: 20 }));
const junkName = fc.oneof(fc.constantFrom('q[]', 'Q', 'mode[]', '__proto__', 'constructor', 'limit%00', 'callback', 'format'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }));

type Pair = [string, string];
const repeat = <T>(arb: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> => fc.oneof({ weight: 12, arbitrary: fc.constant([] as T[]) }, { weight: 6, arbitrary: fc.array(arb, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.array(arb, { minLength: 18, maxLength: max }) });
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.oneof({ weight: 10, arbitrary: fc.constant([] as T[]) }, { weight: 6, arbitrary: arb.map((v) => [v]) }, { weight: 1, arbitrary: fc.array(arb, { minLength: 2, maxLength: 3 }) });

/** Filter parameters shared by search, mentions and feed. */
const filterPairs: fc.Arbitrary<Pair[]> = fc.oneof({ weight: 2, arbitrary: fc.constant([] as Pair[]) }, { weight: 1, arbitrary: fc.record({
  council: repeat(council, 25), type: repeat(type, 22), judgement: repeat(judgement, 21), from: optional(year), to: optional(year), junk: fc.oneof({ weight: 4, arbitrary: fc.constant([] as Pair[]) }, { weight: 1, arbitrary: fc.array(fc.tuple(junkName, fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 2 }) }),
}).map((r) => [
  ...r.council.map((v): Pair => ['council', v]), ...r.type.map((v): Pair => ['type', v]), ...r.judgement.map((v): Pair => ['judgement', v]),
  ...r.from.map((v): Pair => ['from', v]), ...r.to.map((v): Pair => ['to', v]), ...r.junk,
]) });
const queryPairs: fc.Arbitrary<Pair[]> = fc.oneof({ weight: 24, arbitrary: query.map((q) => [['q', q] as Pair]) }, { weight: 1, arbitrary: fc.constant([] as Pair[]) }, { weight: 1, arbitrary: fc.array(query, { minLength: 2, maxLength: 3 }).map((qs) => qs.map((q): Pair => ['q', q])) });

function url(path: string, pairs: Pair[], how: string): string {
  if (pairs.length === 0) return path;
  return `${path}?${pairs.map(([k, v]) => `${encodeValue(k, how === 'raw' ? 'raw' : 'component')}=${encodeValue(v, how)}`).join('&')}`;
}

interface Req {
  route: string;
  method: string;
  path: string;
  body?: string;
}

const CHEAP_MODES = fc.oneof({ weight: 8, arbitrary: fc.constant(['keyword'] as string[]) }, { weight: 1, arbitrary: fc.constantFrom<string[]>(['KEYWORD'], ['fuzzy'], ['keyword', 'keyword'], ['keyword', 'hybrid'], [''.padEnd(50, 'm')], ['\u0000'], ['Keyword '], ['bm25']) });
const MODEL_MODES = fc.constantFrom<string[]>([], ['hybrid'], ['semantic'], ['meaning'], ['hybrid'], ['semantic']);

function searchReq(modes: fc.Arbitrary<string[]>): fc.Arbitrary<Req> {
  return fc.tuple(queryPairs, modes, optional(intLike), optional(intLike), filterPairs, encoding).map(([q, m, limit, offset, filters, how]) => ({
    route: 'search', method: 'GET', path: url('/api/search', [...q, ...m.map((v): Pair => ['mode', v]), ...limit.map((v): Pair => ['limit', v]), ...offset.map((v): Pair => ['offset', v]), ...filters], how),
  }));
}

const format = fc.constantFrom<string[]>([], ['json'], ['csv'], ['csv'], ['xml'], [''], ['CSV'], ['json', 'csv']);
const mentionsReq: fc.Arbitrary<Req> = fc.tuple(queryPairs, format, optional(intLike), optional(intLike), filterPairs, encoding).map(([q, f, limit, offset, filters, how]) => ({
  route: f.includes('csv') ? 'mentions-csv' : 'mentions', method: 'GET', path: url('/api/mentions', [...q, ...f.map((v): Pair => ['format', v]), ...limit.map((v): Pair => ['limit', v]), ...offset.map((v): Pair => ['offset', v]), ...filters], how),
}));
const feedReq: fc.Arbitrary<Req> = fc.tuple(queryPairs, filterPairs, encoding).map(([q, filters, how]) => ({ route: 'feed', method: 'GET', path: url('/api/feed', [...q, ...filters], how) }));

/** Paragraph ids: real chunk and paragraph ids, with junk after them, or anything. */
const paragraphId = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((i) => chunkIds[i % chunkIds.length]!) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('', '.2', '#p1', 'x', '%00', '#', '/..')).map(([i, s]) => `${docIds[i % docIds.length]!}#p${i % 50}${s}`) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', '#', '#p1', '__proto__', 'x'.repeat(401)), fc.string({ unit: 'grapheme', maxLength: 40 })) },
);
const similarReq: fc.Arbitrary<Req> = fc.tuple(optional(paragraphId), optional(intLike), filterPairs, encoding).map(([id, limit, filters, how]) => ({
  route: 'similar', method: 'GET', path: url('/api/similar', [...id.map((v): Pair => ['id', v]), ...limit.map((v): Pair => ['limit', v]), ...filters], how),
}));
const councilName = fc.oneof({ weight: 3, arbitrary: council }, { weight: 1, arbitrary: fc.constantFrom('London%20Borough%20of%20Hackney', 'hackney_', '%2e%2e', 'a/b', '%00', 'Atlantis') });
const councilReq: fc.Arbitrary<Req> = fc.tuple(councilName, optional(query), encoding).map(([name, q, how]) => ({
  route: 'council', method: 'GET', path: url(`/api/councils/${name.includes('%') ? name : encodeValue(name, 'component') || 'x'}`, q.map((v): Pair => ['q', v]), how),
}));
const yearsReq: fc.Arbitrary<Req> = fc.tuple(fc.array(query, { minLength: 0, maxLength: 6 }), format, filterPairs, encoding).map(([qs, f, filters, how]) => ({
  route: f.includes('csv') ? 'mention-years-csv' : 'mention-years', method: 'GET', path: url('/api/mentions/years', [...qs.map((v): Pair => ['q', v]), ...f.map((v): Pair => ['format', v]), ...filters], how),
}));

const PATH_BITS = ['..', '.', '%2e%2e', '%2E%2E', '%252e%252e', '..%2f', '..%2F..', '%2f', '%5c', '..\\..', '\\', '%00', '%c0%ae%c0%ae', '．．', '....//', 'etc', 'passwd', 'etc/passwd', '/etc/passwd', 'C:', 'C:%5Cwindows', '~', '~root', 'package.json', '.env', '.git', 'seeds', 'ofsted-ilacs', '%', '%zz', '*', '?x=1', '#frag', ';', 'a'.repeat(300)];
const pathSeg = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PATH_BITS) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => encodeValue(s, 'component')) });
const idReq: fc.Arbitrary<Req> = fc.oneof(
  { weight: 2, arbitrary: fc.array(pathSeg, { minLength: 1, maxLength: 5 }).map((segs) => segs.join('/')) },
  { weight: 1, arbitrary: fc.integer({ min: -1, max: 1000 }).map(String) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('', '%00', '/', '/..', '%2F..%2F..', '.json', '?x=1', '#a', 'x')).map(([i, s]) => `${encodeURIComponent(docIds[i % docIds.length]!)}${s}`) },
).map((id) => ({ route: 'document', method: 'GET', path: `/api/documents/${id}` }));
const fileReq: fc.Arbitrary<Req> = fc.oneof(
  { weight: 3, arbitrary: fc.array(pathSeg, { minLength: 1, maxLength: 6 }).map((segs) => segs.join('/')) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('', '%00', '/..', '/../../package.json', '%2F..%2F..%2Fpackage.json', '.bak', '~', '\\..\\..')).map(([i, s]) => `${sources[i % sources.length]!.split('/').map(encodeURIComponent).join('/')}${s}`) },
).map((p) => ({ route: 'files', method: 'GET', path: `/files/${p}` }));
const otherReq: fc.Arbitrary<Req> = fc.oneof(
  fc.constantFrom('/api/help', '/api/health', '/api/documents', '/api/documents/', '/api/help?x=1', '/api/health?q=%00', '/api', '/api/', '/api/search/', '/api//search', '/API/SEARCH?q=x', '/api/search/extra?q=x', '/files', '/files/', '/', '/index.html', '/doc/x', '/mentions', '/.env', '/%2e%2e/%2e%2e/etc/passwd', '/api/%00', '//api/health').map((path) => ({ route: 'other', method: 'GET', path })),
  fc.tuple(fc.array(pathSeg, { minLength: 1, maxLength: 4 }), fc.constantFrom('/', '/api/', '/files/x/', '/api/documents/x/')).map(([segs, prefix]) => ({ route: 'unknown', method: 'GET', path: `${prefix}${segs.join('/')}` })),
  fc.tuple(fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.constantFrom('/api/search?q=care', '/api/mentions?q=care', '/api/documents', '/api/health', '/files/x', '/x'), fc.constantFrom(undefined, '', '{"q":"care"}', 'x'.repeat(20_000))).map(([method, path, body]) => ({ route: `method-${method}`, method, path, ...(body === undefined || method === 'HEAD' ? {} : { body }) })),
);

const cheapReq = fc.oneof(
  { weight: 10, arbitrary: searchReq(CHEAP_MODES) },
  { weight: 5, arbitrary: mentionsReq },
  { weight: 1, arbitrary: feedReq },
  { weight: 2, arbitrary: similarReq },
  { weight: 1, arbitrary: councilReq },
  { weight: 1, arbitrary: yearsReq },
  { weight: 2, arbitrary: idReq },
  { weight: 2, arbitrary: fileReq },
  { weight: 2, arbitrary: otherReq },
);

// --- The check ---------------------------------------------------------------------------------

function timeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${BOUND_MS} ms: ${what}`)), BOUND_MS)))]).finally(() => clearTimeout(timer));
}

async function check(req: Req): Promise<void> {
  let request: Request;
  try {
    request = new Request(`http://localhost${req.path}`, { method: req.method, ...(req.body === undefined ? {} : { body: req.body }) });
  } catch {
    stats.byRoute.unsendable = (stats.byRoute.unsendable ?? 0) + 1;
    return; // no client can send this (e.g. a URL the WHATWG parser refuses)
  }
  const t0 = performance.now();
  const res = await timeout(Promise.resolve(app.request(request)), `${req.method} ${req.path.slice(0, 200)}`);
  const body = await timeout(res.text(), `body of ${req.path.slice(0, 200)}`);
  const ms = performance.now() - t0;
  stats.requests++;
  stats.totalMs += ms;
  if (ms > stats.maxMs) {
    stats.maxMs = ms;
    stats.maxPath = `${req.method} ${req.path}`;
  }
  const cls = `${Math.floor(res.status / 100)}xx`;
  stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
  stats.byRoute[req.route] = (stats.byRoute[req.route] ?? 0) + 1;
  const where = `${req.method} ${req.path.slice(0, 300)} -> ${res.status} ${body.slice(0, 200)}`;
  expect(cls, where).not.toBe('5xx');
  expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(res.headers.get('content-security-policy') ?? '', where).toContain("frame-ancestors 'none'");
  if (res.status >= 400) {
    expect(res.headers.get('content-type') ?? '', where).toContain('application/json');
    if (req.method === 'HEAD') return;
    const err = (JSON.parse(body) as { error: { code: unknown; message: unknown } }).error;
    expect(typeof err.code, where).toBe('string');
    expect(typeof err.message, where).toBe('string');
    expect((err.message as string).length, where).toBeGreaterThan(8);
    expect(err.message as string, where).not.toMatch(/\n\s+at |node_modules|\/work\//);
    const param = /parameter "(\w+)"/.exec(err.message as string)?.[1];
    const key = `${res.status} ${err.code as string}${param ? ` ${param}` : ''}`;
    stats.byError[key] = (stats.byError[key] ?? 0) + 1;
    return;
  }
  if (req.method === 'HEAD' || !(res.headers.get('content-type') ?? '').includes('application/json')) return;
  const json = JSON.parse(body) as { results?: Array<{ snippet: string }> };
  for (const r of json.results ?? []) expect(r.snippet.replace(/<\/?mark>/g, ''), where).not.toMatch(/[<>]/);
}

// --- The runs ------------------------------------------------------------------------------------

const REFERENCE = ['/api/search?q=care%20leavers&mode=keyword', '/api/mentions?q=%22private%20fostering%22&limit=5', '/api/search?q=adoption&mode=keyword&council=hackney&from=2010'];

describe('fuzzing the API', () => {
  let before: string[];

  it(`answers ${CHEAP_RUNS} random keyword, mentions, feed, document, file and odd requests without a 5xx or a hang`, async () => {
    before = await Promise.all(REFERENCE.map(async (p) => stripTook(await (await app.request(p)).text())));
    await fc.assert(fc.asyncProperty(cheapReq, check), { numRuns: CHEAP_RUNS, endOnFailure: false });
  }, 900_000);

  it(`answers ${MODEL_RUNS} random hybrid and semantic searches (one model call each) the same way`, async () => {
    await fc.assert(fc.asyncProperty(searchReq(MODEL_MODES), check), { numRuns: MODEL_RUNS });
  }, 900_000);

  it('still answers /api/health and the reference queries exactly as before', async () => {
    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const after = await Promise.all(REFERENCE.map(async (p) => stripTook(await (await app.request(p)).text())));
    expect(after).toEqual(before);
    expect(stats.requests).toBeGreaterThanOrEqual(Math.min(10_000, CHEAP_RUNS + MODEL_RUNS) * 0.99);
  });
});

function stripTook(json: string): string {
  return json.replace(/"tookMs":[\d.]+/g, '');
}
