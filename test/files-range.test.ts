/**
 * /files/<source> answers HTTP Range requests, so the reader can fetch the pages of a long PDF it
 * shows instead of the whole file; the path checks (traversal, files not in the index) still come
 * first. Through app.request() and through the real server over a socket.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine } from '../core/search.ts';
import { createApp } from '../server/app.ts';
import { loadIndex } from '../server/load-index.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';

const PDF = "ofsted-ilacs/80496_hackney/children's services inspection - 20 august 2024.pdf";
const PDF_URL = `/files/${PDF.split('/').map(encodeURIComponent).join('/')}`;
let app: Hono;
let bytes: Uint8Array;

beforeAll(async () => {
  const index = await loadIndex(await ensureCorpusIndex());
  expect(index.docs.some((d) => d.meta.source === PDF)).toBe(true);
  app = createApp(new Service(new SearchEngine(index, null), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
  bytes = new Uint8Array(await readFile(join(CORPUS_DIR, PDF)));
});

async function get(path: string, range?: string, method = 'GET'): Promise<{ res: Response; body: Uint8Array }> {
  const res = await app.request(path, { method, headers: range ? { Range: range } : {} });
  return { res, body: new Uint8Array(await res.arrayBuffer()) };
}

describe('GET /files/<source> with Range', () => {
  it('answers bytes=0-99 with 206, Content-Range and those 100 bytes', async () => {
    const { res, body } = await get(PDF_URL, 'bytes=0-99');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`);
    expect(res.headers.get('content-length')).toBe('100');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(body).toEqual(bytes.subarray(0, 100));
    expect(new TextDecoder().decode(body.subarray(0, 5))).toBe('%PDF-');
  });

  it('answers a middle range, a suffix, an open end, a range past the end, and no range', async () => {
    const mid = await get(PDF_URL, 'bytes=1000-1999');
    expect(mid.res.status).toBe(206);
    expect(mid.body).toEqual(bytes.subarray(1000, 2000));
    const suffix = await get(PDF_URL, 'bytes=-100');
    expect(suffix.res.headers.get('content-range')).toBe(`bytes ${bytes.length - 100}-${bytes.length - 1}/${bytes.length}`);
    expect(suffix.body).toEqual(bytes.subarray(bytes.length - 100));
    const open = await get(PDF_URL, `bytes=${bytes.length - 10}-`);
    expect(open.body).toEqual(bytes.subarray(bytes.length - 10));
    const past = await get(PDF_URL, `bytes=${bytes.length}-`);
    expect(past.res.status).toBe(416);
    expect(past.res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    const whole = await get(PDF_URL);
    expect(whole.res.status).toBe(200);
    expect(whole.res.headers.get('content-length')).toBe(String(bytes.length));
    expect(whole.res.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.body).toEqual(bytes);
    const head = await get(PDF_URL, undefined, 'HEAD');
    expect(head.res.status).toBe(200);
    expect(head.res.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.body.length).toBe(0);
  });

  it('checks the path before any range: traversal and files outside the index are 404s', async () => {
    for (const path of ['/files/..%2f..%2fpackage.json', '/files/../../package.json', '/files/%2e%2e/%2e%2e/package.json', '/files/seeds', `${PDF_URL}%00`, `/files/ofsted-ilacs/80496_hackney/..%2F..%2F..%2Fpackage.json`]) {
      const { res, body } = await get(path, 'bytes=0-99');
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-range'), path).toBeNull();
      expect(JSON.parse(new TextDecoder().decode(body)).error.code, path).toBe('not_found');
    }
  });
});

describe('the real server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ indexDir: CORPUS_INDEX_DIR, corpusDir: CORPUS_DIR, port: 0, webDir: null, reloadMs: 0 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('sends 100 bytes for bytes=0-99 over HTTP, uncompressed', async () => {
    const res = await fetch(`${server.url}${PDF_URL}`, { headers: { Range: 'bytes=0-99', 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.subarray(0, 100));
  });
});
