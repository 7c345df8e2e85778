/**
 * tsx scripts/smoke-check.ts URL DOCUMENTS: checks a running server (`npm start`) as a user would
 * find it: the web UI at `/`, `/api/health` and `/api/documents` with exactly DOCUMENTS documents,
 * and a keyword and a hybrid search that find results. Each request has a 30 s limit. Prints one
 * line per check; exits 1 at the first that fails. Used by .ci/run.
 */
import type { DocumentsResponse, HealthResponse, SearchResponse } from '../core/api-types.ts';

const TIMEOUT_MS = 30_000;

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((err: Error) => {
    throw new Error(`GET ${url}: ${err.message}`);
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

async function getJson<T>(url: string): Promise<T> {
  const r = await get(url);
  if (r.status !== 200) throw new Error(`GET ${url}: status ${r.status}: ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
  process.stdout.write(`smoke: ok: ${what}\n`);
}

async function main(): Promise<void> {
  const [base, docsArg] = process.argv.slice(2);
  const expected = Number(docsArg);
  if (!base || !/^https?:\/\/[^/]+$/.test(base) || !Number.isInteger(expected) || expected < 1) {
    throw new Error('usage: tsx scripts/smoke-check.ts http://HOST:PORT DOCUMENTS (DOCUMENTS: a whole number of 1 or more)');
  }
  const shell = await get(`${base}/`);
  check(shell.status === 200 && shell.type.includes('text/html') && shell.body.includes('<app-shell'), `GET / serves the web UI (status ${shell.status}, ${shell.type})`);
  const health = await getJson<HealthResponse>(`${base}/api/health`);
  check(health.status === 'ok' && health.documents === expected, `/api/health: status ${health.status}, ${health.documents} documents (expected ${expected}), ${health.chunks} chunks, embedder ${health.embedder.id}`);
  const list = await getJson<DocumentsResponse>(`${base}/api/documents`);
  check(list.documents.length === expected, `/api/documents lists ${list.documents.length} documents (expected ${expected})`);
  for (const mode of ['keyword', 'hybrid']) {
    const r = await getJson<SearchResponse>(`${base}/api/search?q=${encodeURIComponent('care leavers accommodation')}&mode=${mode}&limit=5`);
    check(r.total > 0 && r.results.length > 0 && r.results.every((x) => x.citation.length > 0), `${mode} search "care leavers accommodation": ${r.total} results, first: ${r.results[0]?.citation ?? 'none'}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`smoke: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
