/**
 * Security of the HTTP surface, on the shared index of corpus/ (no index build):
 * - path traversal on every route that takes an id or a path (/api/documents/:id, /files/*, the
 *   static web files): encoded, double-encoded, overlong UTF-8, absolute, backslashes, and
 *   symbolic links inside a corpus folder pointing outside it: always 404, never outside content;
 * - security headers on every response, errors and static files included; CORS off;
 * - the real server (startServer, port 0) binds 127.0.0.1 unless HOST says otherwise, limits
 *   request bodies, URL and query length, survives malformed raw HTTP;
 * - the per-client rate limit answers 429 with an honest Retry-After, per client address.
 */
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { createApp } from '../server/app.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { missingNow } from './helpers/requirement.ts';
import { treeHash } from './helpers/tree-hash.ts';

const TMP = resolve(ROOT, 'test', '.tmp', 'security');
const SECRET = 'TOP-SECRET-OUTSIDE-THE-CORPUS';
const SEED = (n: string): string => `seeds/${n}`;
const [S0, S1, S2] = ['000_1086bae144af7f91.txt', '001_014eb678741a591c.txt', '002_d691791e27a777c7.txt'].map(SEED) as [string, string, string];
const PDF_SOURCE = "ofsted-ilacs/80496_hackney/children's services inspection - 20 august 2024.pdf";

let index: SearchIndex;
let engine: SearchEngine;
let app: Hono;
let corpusBefore: string;

/**
 * A corpus folder laid out like corpus/ for the shared index, but hostile: seeds/000 is a link to
 * a secret file outside, ofsted-ilacs/ a link to an outside folder holding the same names with
 * secret content, seeds/001 a link to a file inside (allowed), seeds/002 a plain copy.
 */
async function hostileCorpus(): Promise<string> {
  const outside = join(TMP, 'outside');
  const corpus = join(TMP, 'corpus');
  await mkdir(join(outside, 'ofsted-ilacs', '80496_hackney'), { recursive: true });
  await mkdir(join(corpus, 'seeds'), { recursive: true });
  await mkdir(join(corpus, 'inside'), { recursive: true });
  await writeFile(join(outside, 'secret.txt'), `${SECRET}\nroot:x:0:0:root:/root:/bin/bash\n`);
  await writeFile(join(outside, PDF_SOURCE), `%PDF-1.4 ${SECRET}`);
  await symlink(join(outside, 'secret.txt'), join(corpus, S0));
  await copyFile(join(CORPUS_DIR, S1), join(corpus, 'inside', 'real.txt'));
  await symlink(join(corpus, 'inside', 'real.txt'), join(corpus, S1));
  await copyFile(join(CORPUS_DIR, S2), join(corpus, S2));
  await symlink(join(outside, 'ofsted-ilacs'), join(corpus, 'ofsted-ilacs'));
  return corpus;
}

/** A built web UI stand-in, with a secret file next to (outside) it. */
async function webDir(): Promise<string> {
  const dir = join(TMP, 'web');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><app-shell></app-shell></body></html>');
  await writeFile(join(dir, 'assets', 'app.js'), 'export const ok = 1;\n');
  await writeFile(join(TMP, 'web-secret.txt'), SECRET);
  return dir;
}

let hostile: Hono;

beforeAll(async () => {
  await rm(TMP, { recursive: true, force: true });
  await mkdir(TMP, { recursive: true });
  corpusBefore = (await treeHash(CORPUS_DIR)).hash;
  index = await loadIndex(await ensureCorpusIndex());
  engine = new SearchEngine(index, await loadIndexEmbedder(index));
  app = createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: await webDir(), log: null }));
  hostile = createApp(new Service(engine, { corpusDir: await hostileCorpus(), webDir: null, log: null }));
});

afterAll(async () => {
  await engine?.embedder?.dispose();
});

const TRAVERSALS = [
  '/files/../../etc/passwd', '/files/..%2F..%2Fetc%2Fpasswd', '/files/%2e%2e/%2e%2e/etc/passwd', '/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '/files/%252e%252e/%252e%252e/etc/passwd', '/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd', '/files/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/files/..%c0%af..%c0%afetc%c0%afpasswd', '/files/%uff0e%uff0e/etc/passwd', '/files/．．/．．/etc/passwd', '/files/....//....//etc/passwd',
  '/files//etc/passwd', '/files/%2Fetc%2Fpasswd', '/files/%2F%2Fetc%2Fpasswd', '/files/file:%2F%2F%2Fetc%2Fpasswd', '/files/C:%5CWindows%5Cwin.ini',
  '/files/..%5C..%5Cetc%5Cpasswd', '/files/seeds%5C..%5C..%5Cpackage.json', '/files/seeds\\..\\..\\package.json',
  '/files/seeds/../../package.json', '/files/seeds/%2e%2e/%2e%2e/package.json', '/files/seeds/..%2F..%2Fpackage.json', '/files/seeds/.%2F..%2F..%2Fpackage.json',
  '/files/seeds/000_1086bae144af7f91.txt%00.pdf', '/files/seeds/000_1086bae144af7f91.txt%2500', '/files/seeds/000_1086bae144af7f91.txt/..', '/files/seeds/000_1086bae144af7f91.txt/../../../package.json',
  '/files/seeds/./000_1086bae144af7f91.txt', '/files/seeds//000_1086bae144af7f91.txt', '/files/./seeds/000_1086bae144af7f91.txt',
  '/files/%2e/seeds/000_1086bae144af7f91.txt', '/files/package.json', '/files/.git/config', '/files/..', '/files/.', '/files/%2e%2e', '/files/~/.ssh/id_rsa',
  '/api/documents/..%2F..%2Fpackage.json', '/api/documents/..%252F..%252Fpackage.json', '/api/documents/%2Fetc%2Fpasswd', '/api/documents/..', '/api/documents/%2e%2e',
  '/api/documents/..%5C..%5Cpackage.json', '/api/documents/seeds%2F000_1086bae144af7f91.txt', '/api/documents/__proto__', '/api/documents/constructor', '/api/documents/%00',
  '/api/documents/../../package.json', '/api/documents/x/../../../../etc/passwd',
  '/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2F..%2Fweb-secret.txt', '/assets/%2e%2e/%2e%2e/web-secret.txt', '/assets/%252e%252e/web-secret.txt',
  '/..%2Fweb-secret.txt', '/assets/..%5C..%5Cweb-secret.txt', '/assets/../../web-secret.txt', '/%2Fetc%2Fpasswd', '//etc/passwd', '/assets//etc/passwd',
];
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const OUTSIDE = /TOP-SECRET|root:x:0:0|"name": "children-services-search"|\[core\]|PRIVATE KEY/;

describe('path traversal', () => {
  it('never serves anything outside the corpus or the web folder, whatever the encoding', async () => {
    for (const a of [app, hostile]) {
      for (const path of TRAVERSALS) {
        const res = await a.request(path);
        const body = await res.text();
        expect(body, path).not.toMatch(OUTSIDE);
        // What the router sees once the URL parser has resolved plain ../ segments.
        const routed = new URL(path, 'http://localhost').pathname;
        // "/files/seeds/./x" is plainly "/files/seeds/x": a real corpus file may be served (unless a link points out).
        const legit = routed.startsWith('/files/') && index.docs.some((d) => d.meta.source === safeDecode(routed.slice(7)));
        if (legit) {
          expect([200, 404], path).toContain(res.status);
        } else if (routed.startsWith('/files/') || routed.startsWith('/api/')) {
          expect(res.status, path).toBe(404);
          expect(JSON.parse(body).error.code, path).toBe('not_found');
        } else {
          // Outside /api and /files the web app shell answers every path (client-side routes).
          expect([200, 404], path).toContain(res.status);
          if (res.status === 200) expect(body, path).toContain('<app-shell>');
        }
      }
    }
  });

  it('refuses links inside the corpus that point outside it, follows those that stay inside', async () => {
    const enc = (s: string): string => `/files/${s.split('/').map(encodeURIComponent).join('/')}`;
    for (const path of [enc(S0), enc(PDF_SOURCE)]) {
      const res = await hostile.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toMatch(OUTSIDE);
    }
    const inside = await hostile.request(enc(S1));
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe(await readFile(join(CORPUS_DIR, S1), 'utf8'));
    const plain = await hostile.request(enc(S2));
    expect(plain.status).toBe(200);
    // The real corpus serves the same sources normally.
    expect((await app.request(enc(PDF_SOURCE))).status).toBe(200);
  });

  it('serves only indexed documents, not other files that happen to be in the corpus folder', async () => {
    const all = new Set(index.docs.map((d) => d.meta.source));
    expect(all.has('seeds')).toBe(false);
    expect((await app.request('/files/seeds')).status).toBe(404);
    expect((await app.request('/files/ofsted-ilacs/80496_hackney')).status).toBe(404);
  });
});

const HEADER_PATHS: Array<[string, number, RequestInit?]> = [
  ['/', 200], ['/mentions', 200], ['/doc/abc', 200], ['/assets/app.js', 200], ['/api/health', 200], ['/api/help', 200], ['/api/documents', 200],
  ['/api/search?q=care&mode=keyword', 200], ['/api/mentions?q=care&limit=1', 200], ['/api/mentions?q=care&format=csv', 200], ['/api/feed?q=care', 200],
  [`/files/${S0}`, 200], ['/api/search?q=', 400], ['/api/search?q=x&limit=0', 400], ['/api/documents/nope', 404], ['/api/nothing', 404], ['/files/nothing', 404],
  ['/api/search?q=care', 413, { method: 'POST', body: 'x'.repeat(64 * 1024), headers: { 'content-length': String(64 * 1024) } }],
  ['/api/health', 405, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } }],
];

function expectSecurityHeaders(res: Response, where: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  const directive = (name: string): string => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
  expect(directive('default-src'), where).toBe("default-src 'self'");
  expect(directive('script-src'), where).toBe("script-src 'self'");
  expect(directive('object-src'), where).toBe("object-src 'none'");
  expect(directive('frame-ancestors'), where).toBe("frame-ancestors 'none'");
  expect(directive('base-uri'), where).toBe("base-uri 'none'");
  expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(res.headers.get('x-frame-options'), where).toBe('DENY');
  expect(res.headers.get('referrer-policy'), where).toMatch(/^(same-origin|no-referrer|strict-origin(-when-cross-origin)?)$/);
  expect(res.headers.get('access-control-allow-origin'), where).toBeNull();
  expect(res.headers.get('x-powered-by'), where).toBeNull();
}

describe('security headers', () => {
  it('are on every response: API, errors, files, CSV, feed, static files and the app shell', async () => {
    for (const [path, status, init] of HEADER_PATHS) {
      const res = await app.request(path, { ...init, headers: { Origin: 'http://evil.example', ...(init?.headers ?? {}) } });
      expect(res.status, path).toBe(status);
      expectSecurityHeaders(res, `${init?.method ?? 'GET'} ${path}`);
      await res.arrayBuffer();
    }
  });

  it('are on 429 answers too', async () => {
    const limited = createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: null, log: null, rateLimitPerMinute: 6, now: () => 0 }));
    let res: Response | null = null;
    for (let i = 0; i < 3; i++) res = await limited.request('/api/health');
    expect(res!.status).toBe(429);
    expectSecurityHeaders(res!, '429');
  });

  it('the built web UI has no inline script (the CSP would block it)', async () => {
    // Built now from web/ (vite build, about a second) into this file's scratch folder, so the
    // check is on what the sources give today, never skipped for want of a dist/ folder.
    const out = join(TMP, 'web-build');
    const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, `vite build failed:\n${built.stdout}\n${built.stderr}`).toBe(0);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and the JSON error once the burst is spent, and lets requests through again after Retry-After', async () => {
    // The limiter's clock is the test's: 60 a minute is one token a second, and no token comes
    // back while the requests run, however slow the machine is.
    let clock = 1_000_000;
    const limited = createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: null, log: null, rateLimitPerMinute: 60, now: () => clock }));
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 15; i++) {
      last = await limited.request('/api/search?q=care&mode=keyword');
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    expect(statuses.filter((s) => s === 200).length).toBe(10); // burst = a tenth of a minute's allowance
    expect(last!.status).toBe(429);
    const retry = last!.headers.get('retry-after');
    expect(retry).toMatch(/^\d+$/);
    expect(Number(retry)).toBeGreaterThanOrEqual(1);
    const body = (await last!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/^Request: too many requests/);
    clock += Number(retry) * 1000 - 50;
    expect((await limited.request('/api/search?q=care&mode=keyword')).status, 'still limited just before Retry-After').toBe(429);
    clock += 50;
    expect((await limited.request('/api/search?q=care&mode=keyword')).status).toBe(200);
  });
});

// --- The real server ---------------------------------------------------------------------------

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, options: { localAddress?: string; method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  return new Promise((ok, fail) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, ...(options.localAddress ? { localAddress: options.localAddress } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout ${url}`)));
    req.end(options.body);
  });
}

/**
 * Send raw bytes; resolve with the first complete response (status line, headers, body by
 * Content-Length), or "closed" if the server hung up without one.
 */
function raw(port: number, data: string): Promise<{ status: string; head: string; body: string }> {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      s.destroy();
      const [head = '', body = ''] = got.split('\r\n\r\n', 2);
      ok({ status: got.split('\r\n')[0] || 'closed', head, body });
    };
    s.setTimeout(10_000, () => {
      s.destroy();
      fail(new Error(`raw request hung: ${JSON.stringify(data.slice(0, 80))}`));
    });
    s.on('data', (d) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(got.slice(0, end));
      if (length && got.length - end - 4 >= Number(length[1])) done();
      else if (!length && !/transfer-encoding: *chunked/i.test(got.slice(0, end))) done();
      else if (got.endsWith('0\r\n\r\n')) done();
    });
    s.on('error', done);
    s.on('close', done);
    s.write(data, 'latin1', () => undefined);
  });
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, host);
    s.setTimeout(3000, () => {
      s.destroy();
      ok(true);
    });
    s.on('connect', () => {
      s.destroy();
      ok(false);
    });
    s.on('error', () => ok(true));
  });
}

describe('the real server', () => {
  let server: RunningServer;
  let port: number;
  const savedEnv = { HOST: process.env.HOST, PORT: process.env.PORT, RATE_LIMIT: process.env.RATE_LIMIT };
  /** The rate limit's clock: real time, until the rate-limit test stops it. */
  let frozenAt: number | null = null;

  beforeAll(async () => {
    delete process.env.HOST;
    delete process.env.PORT;
    // RATE_LIMIT as the server reads it from the environment: test/config.test.ts.
    server = await startServer({ indexDir: CORPUS_INDEX_DIR, corpusDir: CORPUS_DIR, port: 0, webDir: null, reloadMs: 0, rateLimitPerMinute: 120, now: () => frozenAt ?? Date.now() });
    port = Number(new URL(server.url).port);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('binds 127.0.0.1 by default, not every interface', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get(`${server.url}/api/health`)).status).toBe(200);
    // 127.0.0.2 is loopback too: a server bound to 0.0.0.0 would answer there.
    expect(await refused('127.0.0.2', port)).toBe(true);
  });

  it('binds the address it is given (HOST, test/config.test.ts) instead', async (ctx) => {
    let other: RunningServer;
    try {
      other = await startServer({ indexDir: CORPUS_INDEX_DIR, corpusDir: CORPUS_DIR, host: '127.0.0.2', port: 0, webDir: null, reloadMs: 0 });
    } catch (err) {
      return missingNow(ctx, `cannot listen on 127.0.0.2 here (${(err as Error).message}); HOST check not run`);
    }
    try {
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
      expect((await get(`${other.url}/api/health`)).status).toBe(200);
      expect(await refused('127.0.0.1', Number(new URL(other.url).port))).toBe(true);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('limits request bodies, URL and query length, with JSON errors where HTTP allows', async () => {
    // A 1 MB body is refused from its Content-Length, before it is read.
    const big = await raw(port, `POST /api/search?q=care HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${1024 * 1024}\r\n\r\n${'x'.repeat(4096)}`);
    expect(big.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(big.body).error.code).toBe('payload_too_large');
    expect(big.head.toLowerCase()).toContain('x-content-type-options: nosniff');
    // A chunked body without a length is cut off at 16 KB as it streams in.
    const chunk = 'y'.repeat(8192);
    const chunked = await raw(port, `POST /api/search?q=care HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${`2000\r\n${chunk}\r\n`.repeat(4)}0\r\n\r\n`);
    expect(chunked.status).toMatch(/^HTTP\/1\.1 (413|404) /);
    expect(chunked.status).not.toMatch(/ 5\d\d /);
    const longQ = await get(`${server.url}/api/search?q=${'a'.repeat(501)}`);
    expect(longQ.status).toBe(400);
    expect(JSON.parse(longQ.body).error.message).toContain('"q"');
    const veryLong = await get(`${server.url}/api/search?q=${'a'.repeat(10_000)}`);
    expect(veryLong.status).toBe(400);
    // Beyond Node's 16 KB header limit the HTTP parser itself refuses the request line.
    const huge = await get(`${server.url}/api/search?q=${'a'.repeat(100_000)}`);
    expect(huge.status).toBe(431);
    expect((await get(`${server.url}/api/health`)).status).toBe(200);
  });

  it('survives malformed raw HTTP without a 5xx or a hang', async () => {
    const requests = [
      'GET ../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET http://evil.example/api/health HTTP/1.1\r\nHost: evil.example\r\n\r\n',
      'GET /api/health HTTP/1.1\r\nHost: [::1\r\n\r\n',
      'GET /api/health HTTP/1.1\r\nHost: a b c\r\n\r\n',
      'GET /api/health HTTP/1.1\r\nHost: \r\n\r\n',
      'GET /api/health HTTP/1.0\r\n\r\n',
      'GET /files/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /files/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/search?q=%ZZ%00%ff HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/search?q=caf\xe9 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/search?q=care HTTP/1.1\r\nHost: x\r\nX-Evil: a\x00b\r\n\r\n',
      'GET /api/search?q=care HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'GET /api/search?q=care HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /api/search?q=care HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'BREW /api/health HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n',
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', // a TLS ClientHello on the plain port
      'GET /api/health HTTP/1.1\r\n' + 'X-Pad: y\r\n'.repeat(5000) + 'Host: x\r\n\r\n',
    ];
    for (const r of requests) {
      const line = (await raw(port, r)).status;
      expect(line, JSON.stringify(r.slice(0, 60))).not.toMatch(/^HTTP\/1\.[01] 5\d\d/);
      if (r.includes('passwd')) expect(line).not.toMatch(/ 200 /);
    }
    expect((await get(`${server.url}/api/health`)).status).toBe(200);
  });

  it('rate-limits each client address on its own (RATE_LIMIT env), with Retry-After', async (ctx) => {
    // RATE_LIMIT=120 a minute: a burst of 20, then 2 a second. A minute on from now every bucket
    // is full again, and with the clock stopped there no token comes back during the test.
    frozenAt = Date.now() + 60_000;
    try {
      const a: number[] = [];
      let limited: RawAnswer | null = null;
      for (let i = 0; i < 40; i++) {
        const r = await get(`${server.url}/api/search?q=care&mode=keyword&limit=1`);
        a.push(r.status);
        if (r.status === 429) {
          limited = r;
          break;
        }
      }
      expect(a.filter((s) => s === 200)).toHaveLength(20);
      expect(limited?.status).toBe(429);
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Another client (another loopback source address) is not affected.
      let other: RawAnswer;
      try {
        other = await get(`${server.url}/api/search?q=care&mode=keyword&limit=1`, { localAddress: '127.0.0.2' });
      } catch (err) {
        return missingNow(ctx, `cannot send from 127.0.0.2 here (${(err as Error).message}); per-client check not run`);
      }
      expect(other.status).toBe(200);
      // The first client is still limited.
      expect((await get(`${server.url}/api/search?q=care&mode=keyword&limit=1`)).status).toBe(429);
    } finally {
      frozenAt = null;
    }
  });
});

describe('the corpus folder', () => {
  it('is left exactly as it was by everything above', async () => {
    expect((await treeHash(CORPUS_DIR)).hash).toBe(corpusBefore);
  });
});
