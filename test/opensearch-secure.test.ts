/**
 * ENGINE=opensearch against a secured cluster of its own (`npm run opensearch -- start --secure`,
 * the security plugin: TLS on HTTP and transport with the cluster's CA, basic auth, the users and
 * roles of scripts/opensearch/security.ts; first HTTP port OPENSEARCH_SECURE_PORT, default 9470,
 * transport 100 above). Not startable is a failure, never a skip. The shipped reports' index is
 * written by the indexer user over https with the CA and served through the real app by the
 * read-only reader user: every kind of request the server sends is allowed and answers as the
 * embedded engine does; the reader cannot write, delete or move the alias; a wrong password, a
 * certificate not trusted and plain http to the TLS port each give a clear 503 at once.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouncilResponse, DocumentResponse, DocumentsResponse, MentionsResponse, MentionYearsResponse, SearchResponse, SimilarResponse } from '../core/api-schema.ts';
import type { MentionsResponse as MentionsResult, SearchResponse as SearchResult, SimilarResponse as SimilarResult } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import type { EngineSearch } from '../core/engine-search.ts';
import { SearchEngine } from '../core/search.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { DOC_ID } from '../opensearch/layout.ts';
import { createApp } from '../server/app.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { indexerRole, readerRole, type Credentials, type UserName } from '../scripts/opensearch/security.ts';
import { CORPUS_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { openSearchProduct, writeTestIndex } from './helpers/opensearch.ts';

const PORT = Number(process.env.OPENSEARCH_SECURE_PORT ?? 9470);
const ALIAS = 'test-secure';

function opensearch(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'opensearch.ts'), ...args], { cwd: ROOT, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let url: string;
let caFile: string;
let credentials: Credentials;
let index: SearchIndex;
let embedder: Embedder;
let writtenIndex: string;
let writtenRecords: number;
let embeddedApp: Hono;
let readerApp: Hono;
let startSeconds: number;

const appOf = (engine: SearchEngine | EngineSearch): Hono => createApp(new Service(engine, { corpusDir: CORPUS_DIR, webDir: null, log: null }));

function clientAs(user: UserName | null, options: { password?: string; url?: string; ca?: string | null; timeoutMs?: number } = {}): OpenSearchClient {
  return new OpenSearchClient({
    url: options.url ?? url,
    user,
    password: user === null ? null : (options.password ?? credentials.users[user].password),
    ca: options.ca === undefined ? caFile : options.ca,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}

/** One request straight to the node (not through our client): OpenSearch's own status and body. */
function raw(user: UserName | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const headers: Record<string, string> = { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json' };
    if (user) headers.authorization = `Basic ${Buffer.from(`${user}:${credentials.users[user].password}`).toString('base64')}`;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const req = httpsRequest(`${url}${path}`, { method, headers, ca: readFileSync(caFile), timeout: 30_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(payload);
  });
}

async function call(app: Hono, path: string): Promise<{ status: number; body: string; type: string }> {
  const res = await app.request(path);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

async function both(path: string): Promise<[unknown, unknown]> {
  const [a, b] = await Promise.all([call(embeddedApp, path), call(readerApp, path)]);
  expect(a.status, `embedded ${path}: ${a.body.slice(0, 300)}`).toBe(200);
  expect(b.status, `secured opensearch ${path}: ${b.body.slice(0, 300)}`).toBe(200);
  return [JSON.parse(a.body), JSON.parse(b.body)];
}

/** A request through `app` that must fail fast with 503 engine_unavailable; its message. */
async function unavailable(app: Hono, path: string): Promise<string> {
  const t0 = Date.now();
  const res = await call(app, path);
  const ms = Date.now() - t0;
  expect(res.status, res.body).toBe(503);
  expect(res.type).toMatch(/application\/json/);
  const error = (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
  expect(error.code).toBe('engine_unavailable');
  expect(ms, `answered after ${ms} ms: ${error.message}`).toBeLessThan(5_000);
  for (const u of Object.values(credentials.users)) expect(error.message).not.toContain(u.password);
  return error.message;
}

beforeAll(async () => {
  const t0 = Date.now();
  const r = await opensearch('start', '--secure', '--port', String(PORT), '--alias', ALIAS, '--fresh', '--timeout', '240');
  if (r.code !== 0) throw new Error(`opensearch start --secure failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  startSeconds = (Date.now() - t0) / 1000;
  const lines = r.stdout.trim().split('\n');
  url = lines[0]!;
  caFile = lines.find((l) => l.startsWith('ca '))!.slice(3);
  const credentialsFile = lines.find((l) => l.startsWith('credentials '))!.slice('credentials '.length);
  credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials;
  console.log(`secured cluster: ${url} in ${startSeconds.toFixed(1)} s (${/ready in [\d.]+s/.exec(r.stderr)?.[0] ?? '?'}), CA ${caFile}`);

  index = await loadIndex(await ensureCorpusIndex());
  embedder = await loadIndexEmbedder(index);
  const written = await writeTestIndex(clientAs('indexer'), index, ALIAS);
  writtenIndex = written.index;
  writtenRecords = written.records;
  embeddedApp = appOf(new SearchEngine(index, embedder));
  readerApp = appOf(openSearchProduct(clientAs('reader'), ALIAS, embedder));
}, 600_000);

afterAll(async () => {
  await embedder?.dispose();
  const r = await opensearch('stop', '--port', String(PORT));
  if (r.code !== 0) throw new Error(`opensearch stop failed (exit ${r.code}):\n${r.stderr}`);
}, 120_000);

describe(`a secured cluster of its own (TLS, users, roles) on port ${PORT}`, () => {
  it('speaks https with its own CA, asks every request for a user, and the status line says https', async () => {
    expect(url).toBe(`https://127.0.0.1:${PORT}`);
    expect((await raw(null, 'GET', '/')).status).toBe(401);
    const health = await raw('admin', 'GET', '/_cluster/health');
    expect(health.status).toBe(200);
    const users = await raw('admin', 'GET', '/_plugins/_security/api/internalusers');
    expect(Object.keys(JSON.parse(users.body) as object).sort()).toEqual(['admin', 'indexer', 'reader']);
    const status = await opensearch('status', '--port', String(PORT));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^node-1 https://127\\.0\\.0\\.1:${PORT} pid \\d+$`, 'm'));
  });

  it('the reader role in the cluster is the one docs/scale-out.md gives', async () => {
    const res = await raw('admin', 'GET', '/_plugins/_security/api/roles/ofsted_search_reader');
    expect(res.status, res.body).toBe(200);
    const role = (JSON.parse(res.body) as Record<string, { cluster_permissions: string[]; index_permissions: Array<{ index_patterns: string[]; allowed_actions: string[] }> }>).ofsted_search_reader!;
    const expected = readerRole(ALIAS);
    expect(role.cluster_permissions).toEqual(expected.cluster_permissions);
    expect(role.index_permissions.map((p) => ({ index_patterns: p.index_patterns, allowed_actions: p.allowed_actions }))).toEqual(expected.index_permissions);
    const docs = readFileSync(join(ROOT, 'docs', 'scale-out.md'), 'utf8');
    const security = docs.slice(docs.indexOf('\n## Security'));
    const block = /```json\n([\s\S]*?)\n```/.exec(security);
    expect(block, 'a json block in the Security section of docs/scale-out.md').not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(readerRole('ofsted-chunks'));
    // And the indexer's role, given after it, is the one the cluster holds.
    const indexer = /```json\n([\s\S]*?)\n```/.exec(security.slice(security.indexOf("**The indexer's role**")));
    expect(indexer, "the indexer's json block in the Security section of docs/scale-out.md").not.toBeNull();
    expect(JSON.parse(indexer![1]!)).toEqual(indexerRole('ofsted-chunks'));
  });

  for (const mode of ['keyword', 'semantic', 'hybrid'] as const) {
    it(`/api/search in ${mode} mode as the reader: the contract, the embedded engine's results and totals`, async () => {
      for (const q of ['care leavers accommodation', '"return home interview"', 'safeguard* council:Hackney', 'exploitation year:2015..2019']) {
        const [a, b] = (await both(`/api/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=10`)) as [SearchResult, SearchResult];
        SearchResponse.parse(b);
        expect(b.results.length, q).toBeGreaterThan(0);
        expect(b.results.length, q).toBe(a.results.length);
        expect(b.understood, q).toEqual(a.understood);
        const ids = (r: SearchResult): string[] => r.results.map((x) => x.id);
        if (mode === 'semantic') {
          expect(ids(b), q).toEqual(ids(a));
          expect(b.total, q).toBe(a.total);
        } else {
          // As in test/opensearch-engine.test.ts: Lucene's one-byte length norms may swap near ties.
          const shared = ids(b).filter((id) => ids(a).includes(id)).length;
          expect(shared, q).toBeGreaterThanOrEqual(Math.min(q.includes('*') ? 5 : 8, a.results.length));
          expect(Math.abs(b.total - a.total) / Math.max(1, a.total), `${mode} ${q}: totals ${a.total} vs ${b.total}`).toBeLessThanOrEqual(0.05);
        }
      }
    });
  }

  it('mentions (two stream pages: a point in time), years, CSV, documents, the reader, councils and similar as the reader: identical to the embedded engine', async () => {
    for (const q of ['care leavers', 'children']) {
      const [a, b] = (await both(`/api/mentions?q=${encodeURIComponent(q)}&limit=20`)) as [MentionsResult, MentionsResult];
      MentionsResponse.parse(b);
      expect(b.total, q).toBeGreaterThan(0);
      expect(b, q).toEqual(a);
    }
    const [ya, yb] = await both('/api/mentions/years?q=care%20leavers&q=exploitation');
    MentionYearsResponse.parse(yb);
    expect(yb).toEqual(ya);
    const csv = await call(readerApp, '/api/mentions?q=care%20leavers&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.body).toBe((await call(embeddedApp, '/api/mentions?q=care%20leavers&format=csv')).body);
    const [da, db] = await both('/api/documents');
    DocumentsResponse.parse(db);
    expect(db).toEqual(da);
    const [ra, rb] = await both(`/api/documents/${encodeURIComponent(index.docs[3]!.meta.id)}?q=care%20leavers`);
    DocumentResponse.parse(rb);
    expect(rb).toEqual(ra);
    const [ca, cb] = await both('/api/councils/Hackney?q=care%20leavers');
    CouncilResponse.parse(cb);
    expect(cb).toEqual(ca);
    const chunk = index.chunks.find((c) => c.text.length > 400)!;
    const [sa, sb] = (await both(`/api/similar?id=${encodeURIComponent(chunk.id)}&limit=10`)) as [SimilarResult, SimilarResult];
    SimilarResponse.parse(sb);
    expect(sb.results.length).toBeGreaterThan(0);
    expect(sb.results.map((r) => r.id)).toEqual(sa.results.map((r) => r.id));
  });

  it('the reader cannot create, write, delete or move the alias (403 from OpenSearch); the indexer only its own alias\'s indexes', async () => {
    const refused = async (user: UserName, method: string, path: string, body?: unknown): Promise<string> => {
      const res = await raw(user, method, path, body);
      expect(res.status, `${user} ${method} ${path}: ${res.body.slice(0, 200)}`).toBe(403);
      return res.body;
    };
    expect(await refused('reader', 'PUT', `/${ALIAS}-by-reader`, {})).toContain('indices:admin/create');
    expect(await refused('reader', 'POST', `/${writtenIndex}/_doc`, { text: 'written by the reader' })).toContain('indices:data/write/index');
    await refused('reader', 'POST', '/_bulk', `${JSON.stringify({ index: { _index: writtenIndex } })}\n${JSON.stringify({ text: 'x' })}\n`);
    await refused('reader', 'DELETE', `/${writtenIndex}/_doc/${encodeURIComponent(DOC_ID(index.docs[0]!.meta.id))}`);
    await refused('reader', 'PUT', `/${writtenIndex}/_settings`, { index: { refresh_interval: '5s' } });
    expect(await refused('reader', 'DELETE', `/${writtenIndex}`)).toContain('indices:admin/delete');
    expect(await refused('reader', 'POST', '/_aliases', { actions: [{ remove: { index: writtenIndex, alias: ALIAS } }] })).toContain('indices:admin/aliases');
    await refused('reader', 'GET', '/.opendistro_security/_search');
    // What it may do beyond reading: open and close a point in time (the mention counts' stream, whose close is not checked there).
    const pit = await raw('reader', 'POST', `/${ALIAS}/_search/point_in_time?keep_alive=1m`);
    expect(pit.status, pit.body).toBe(200);
    const closed = await raw('reader', 'DELETE', '/_search/point_in_time', { pit_id: [(JSON.parse(pit.body) as { pit_id: string }).pit_id] });
    expect(closed.status, closed.body).toBe(200);
    // Through our client: a clear error naming the user and the refused action.
    await expect(clientAs('reader').request('DELETE', `/${writtenIndex}`)).rejects.toThrow(/refused DELETE .* to user "reader" \(403 forbidden\): security_exception: no permissions for \[indices:admin\/delete\]/);
    // The indexer: nothing outside its alias's indexes, and not the security index.
    await refused('indexer', 'PUT', '/another-index', {});
    await refused('indexer', 'GET', '/.opendistro_security/_search');
    // Everything is still there.
    const count = await raw('admin', 'GET', `/${writtenIndex}/_count`);
    expect((JSON.parse(count.body) as { count: number }).count).toBe(writtenRecords);
    const aliases = await raw('reader', 'GET', `/${ALIAS}/_alias/${ALIAS}`);
    expect(Object.keys(JSON.parse(aliases.body) as object)).toEqual([writtenIndex]);
  });

  it('the indexer writes a second build: the alias moves to it, the first is deleted, the reader serves the new one', async () => {
    const first = writtenIndex;
    const second = await writeTestIndex(clientAs('indexer'), { ...index, manifest: { ...index.manifest, buildId: `${index.manifest.buildId}-second` } }, ALIAS);
    expect(second.previous).toEqual([first]);
    expect((await raw('admin', 'GET', `/${first}`)).status).toBe(404);
    const aliases = await raw('reader', 'GET', `/${ALIAS}/_alias/${ALIAS}`);
    expect(Object.keys(JSON.parse(aliases.body) as object)).toEqual([second.index]);
    const [a, b] = (await both('/api/mentions?q=care%20leavers&limit=5')) as [MentionsResult, MentionsResult];
    expect(b).toEqual(a);
  });

  it('a wrong password: 503 engine_unavailable at once, saying authentication failed, never the password', async () => {
    const app = appOf(openSearchProduct(clientAs('reader', { password: `${credentials.users.reader.password}-wrong` }), ALIAS, embedder));
    for (const path of ['/api/search?q=care%20leavers&mode=keyword', '/api/documents']) {
      const message = await unavailable(app, path);
      expect(message).toMatch(/authentication failed for user "reader" \(401\)/);
      expect(message).toContain('OPENSEARCH_PASSWORD');
      expect(message).not.toContain('-wrong');
    }
    const anonymous = await unavailable(appOf(openSearchProduct(clientAs(null), ALIAS, embedder)), '/api/documents');
    expect(anonymous).toMatch(/requires authentication \(401\)/);
  });

  it('TLS with the system CAs only: 503 at once naming the certificate problem and OPENSEARCH_CA', async () => {
    const app = appOf(openSearchProduct(clientAs('reader', { ca: null }), ALIAS, embedder));
    const message = await unavailable(app, '/api/search?q=care%20leavers&mode=keyword');
    expect(message).toMatch(/TLS certificate was not accepted \(unable to verify the first certificate, UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    expect(message).toContain('set OPENSEARCH_CA');
  });

  it('plain http:// to the TLS port: 503 at once saying to use https://', async () => {
    const app = appOf(openSearchProduct(clientAs('reader', { url: url.replace('https:', 'http:') }), ALIAS, embedder));
    const message = await unavailable(app, '/api/search?q=care%20leavers&mode=keyword');
    expect(message).toMatch(/closed the connection without answering .*use an https:\/\/ URL/);
  });
});
