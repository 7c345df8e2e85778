/**
 * Re-indexing while the server serves, over real HTTP:
 * - startServer (reloadMs 100) on a temp index; queries fire continuously from several clients
 *   while the indexer CLI, in another process, rebuilds the index with one more report. Every
 *   answer is a 200 and equals, byte for byte (tookMs aside), either the old index's answer or the
 *   new one's - never a mix or an error - and each client switches once, for good, after the new
 *   index is complete. A new manifest naming a damaged part is refused and the server keeps
 *   serving the index it has.
 * - `npm start -- --watch` (CORPUS_DIR, INDEX_DIR, PORT=0): adding, changing and removing a file
 *   in the corpus shows in the API each time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HealthResponse, SearchResponse } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import { MANIFEST_FILE, parseManifest } from '../core/index-file.ts';
import { buildIndex } from '../indexer/build.ts';
import { writeAtomic } from '../indexer/write.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { CORPUS_DIR, ROOT } from './helpers/corpus-index.ts';
import { runIndexer } from './helpers/kill-build.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('reload');
const TMP = scratch.dir;
const SEED_A = join(CORPUS_DIR, 'seeds', '000_1086bae144af7f91.txt');
const SEED_B = join(CORPUS_DIR, 'seeds', '004_23e61ca61d325768.txt');

const PATHS = [
  '/api/health',
  '/api/documents',
  '/api/search?q=school%20attendance&mode=keyword&limit=20',
  '/api/search?q=%22looked%20after%20children%22&mode=keyword',
  '/api/mentions?q=children&limit=5',
  '/api/search?q=young%20people%20leaving%20care%20housing&mode=hybrid',
];

/** An answer without the fields that legitimately differ between two identical queries. */
const stable = (body: string): string => body.replace(/"tookMs":[\d.]+,?/g, '');

/**
 * Poll until `probe` gives a value (not null), every 50 ms, for at most `ms` (generous: the
 * machine may be busy); the error names what was awaited.
 */
async function until<T>(what: string, probe: () => Promise<T | null> | T | null, ms = 120_000, details = (): string => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve().then(probe).catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${details() ? `:\n${details()}` : ''}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

let embedder: Embedder;
beforeAll(() => {
  embedder = scratch.embedder();
});

describe('re-indexing while serving', () => {
  let server: RunningServer;
  const logs: string[] = [];

  afterAll(async () => {
    await server?.close();
    vi.restoreAllMocks();
  });

  it('answers every request from the old or the new index, never a mix, and switches once the new one is complete', async () => {
    const corpus = join(TMP, 'serve-corpus');
    const index = join(TMP, 'serve-index');
    await mkdir(corpus, { recursive: true });
    await copyFile(SEED_A, join(corpus, 'a.txt'));
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const s = String(chunk);
      if (s.startsWith('server: ')) logs.push(s.trim());
      if (/^\d{4}-\d\d-\d\dT/.test(s)) return true; // per-request lines: keep the test output readable
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    });
    server = await startServer({ indexDir: index, corpusDir: corpus, port: 0, webDir: null, reloadMs: 100 });
    const fetchText = async (path: string): Promise<{ status: number; body: string }> => {
      const res = await fetch(server.url + path);
      return { status: res.status, body: await res.text() };
    };
    const before = new Map<string, string>();
    for (const p of PATHS) before.set(p, stable((await fetchText(p)).body));

    // Clients query continuously while another process rebuilds the index with one more report.
    await copyFile(SEED_B, join(corpus, 'b.txt'));
    const seen: Array<{ worker: number; path: string; status: number; body: string; at: number }> = [];
    let stop = false;
    const workers = Array.from({ length: 4 }, async (_, worker) => {
      for (let i = worker; !stop; i++) {
        const path = PATHS[i % PATHS.length]!;
        const r = await fetchText(path);
        seen.push({ worker, path, status: r.status, body: stable(r.body), at: performance.now() });
      }
    });
    const t0 = performance.now();
    const run = await runIndexer(corpus, index);
    const builtAt = performance.now();
    expect(run.code, run.stderr).toBe(0);
    // Keep querying until every client has had two health answers from the new index (so each
    // also sent a round of other requests after its switch), and there are enough answers.
    const newHealthBy = (worker: number): number => seen.filter((s) => s.worker === worker && s.path === '/api/health' && (JSON.parse(s.body) as HealthResponse).documents === 2).length;
    await until(
      'every client to get two answers from the new index',
      () => ([0, 1, 2, 3].every((w) => newHealthBy(w) >= 2) && seen.filter((s) => s.at >= t0).length > 40 ? true : null),
      120_000,
      () => `answers: ${seen.length}; new health answers by client: ${[0, 1, 2, 3].map(newHealthBy).join(', ')}; logs: ${logs.join(' | ')}`,
    );
    stop = true;
    await Promise.all(workers);

    const after = new Map<string, string>();
    for (const p of PATHS) after.set(p, stable((await fetchText(p)).body));
    expect((JSON.parse(after.get('/api/health')!) as HealthResponse).documents).toBe(2);
    for (const p of PATHS) expect(after.get(p), `${p} should change with the new report`).not.toBe(before.get(p));

    const during = seen.filter((s) => s.at >= t0);
    expect(during.length).toBeGreaterThan(40);
    const switchedAt = new Map<number, number>();
    for (const s of seen) {
      expect(s.status, `${s.path}: ${s.body.slice(0, 200)}`).toBe(200);
      const old = s.body === before.get(s.path);
      const fresh = s.body === after.get(s.path);
      expect(old || fresh, `${s.path} answered neither as the old nor as the new index: ${s.body.slice(0, 300)}`).toBe(true);
      if (fresh && !old && !switchedAt.has(s.worker)) switchedAt.set(s.worker, s.at);
      // Once a client has had an answer from the new index it never gets one from the old.
      if (switchedAt.has(s.worker) && s.at > switchedAt.get(s.worker)!) expect(old && !fresh, `${s.path} went back to the old index`).toBe(false);
    }
    // Nobody saw the new index before the build had written it; everybody after it.
    for (const at of switchedAt.values()) expect(at).toBeGreaterThan(t0);
    expect(switchedAt.size).toBe(4);
    expect(logs.filter((l) => l.startsWith('server: switched to index'))).toHaveLength(1);
    process.stdout.write(`reload: ${during.length} answers during/after a ${(builtAt - t0).toFixed(0)} ms rebuild, ${seen.filter((s) => s.body === before.get(s.path)).length} old, ${seen.filter((s) => s.body === after.get(s.path)).length} new, switch ${(Math.min(...switchedAt.values()) - builtAt).toFixed(0)} ms after the build exited\n`);
  }, 300_000);

  it('refuses a new manifest whose part is damaged, says so once, and keeps serving the index it has', async () => {
    const index = join(TMP, 'serve-index');
    const good = await readFile(join(index, MANIFEST_FILE), 'utf8');
    const m = parseManifest(good);
    const healthBefore = stable(await (await fetch(`${server.url}/api/health`)).text());
    const bogus = `docs-${m.buildId}-damaged.json`;
    await writeFile(join(index, bogus), (await readFile(join(index, m.parts.docs.file))).subarray(0, 100));
    await writeAtomic(join(index, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify({ ...m, buildId: `${m.buildId}-damaged`, parts: { ...m.parts, docs: { ...m.parts.docs, file: bogus } } })));
    const refusalLines = (): string[] => logs.filter((l) => l.startsWith('server: new index not loaded'));
    await until('the server to refuse the damaged index', () => (refusalLines().length > 0 ? true : null), 60_000, () => logs.join('\n'));
    expect(refusalLines()[0]).toMatch(/still serving .*: Index: part docs-.*-damaged\.json fails its checksum/);
    // Ten more checks of the same damaged manifest: still only the one line.
    const checks = server.indexChecks();
    await until('ten more index checks', () => (server.indexChecks() >= checks + 10 ? true : null), 60_000);
    expect(refusalLines(), 'one log line per damaged build, not one per poll').toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/api/health`);
      expect(res.status).toBe(200);
      // The same index, now marked stale with the refused build (test/health-refused.test.ts).
      const health = (await res.json()) as HealthResponse;
      expect(health.status).toBe('stale');
      expect(stable(JSON.stringify({ ...health, status: 'ok', refused: undefined }))).toBe(healthBefore);
    }
    await writeAtomic(join(index, MANIFEST_FILE), new TextEncoder().encode(good));
    await rm(join(index, bogus));
  }, 150_000);
});

// --- Watch mode ----------------------------------------------------------------------------------

describe('npm start -- --watch', () => {
  let child: ChildProcess | null = null;
  let output = '';

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((ok) => child!.once('exit', ok));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
    }
  });

  it('picks up an added, a changed and a removed file', async () => {
    const corpus = join(TMP, 'watch-corpus');
    const index = join(TMP, 'watch-index');
    await mkdir(corpus, { recursive: true });
    // Short excerpts of real reports keep each re-index to a few seconds.
    const excerpt = async (path: string): Promise<string> => (await readFile(path, 'utf8')).slice(0, 5000);
    await writeFile(join(corpus, 'a.txt'), await excerpt(SEED_A));
    child = spawn('npm', ['start', '--', '--watch'], {
      cwd: ROOT,
      env: { ...process.env, CORPUS_DIR: corpus, INDEX_DIR: index, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const tail = (): string => output.slice(-3000);
    const url = await until('the server to listen', async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? null, 240_000, tail);
    await until('the watcher', async () => (output.includes('watch: re-indexing') ? true : null), 120_000, tail);
    const health = async (): Promise<HealthResponse> => (await (await fetch(`${url}/api/health`)).json()) as HealthResponse;
    const total = async (q: string): Promise<number> => ((await (await fetch(`${url}/api/search?q=${q}&mode=keyword`)).json()) as SearchResponse).total;
    expect((await health()).documents).toBe(1);
    expect(await total('zanzibarquokka')).toBe(0);

    await writeFile(join(corpus, 'b.txt'), await excerpt(SEED_B));
    await until('the added file', async () => ((await health()).documents === 2 ? true : null), 120_000, tail);

    await appendFile(join(corpus, 'a.txt'), '\n\nA closing paragraph added later names the zanzibarquokka pilot for care leavers in Hackney.\n');
    await until('the changed file', async () => ((await total('zanzibarquokka')) === 1 ? true : null), 120_000, tail);
    expect((await health()).documents).toBe(2);

    await rm(join(corpus, 'b.txt'));
    await until('the removed file', async () => ((await health()).documents === 1 ? true : null), 120_000, tail);
    expect(await total('zanzibarquokka')).toBe(1);
    expect(output).not.toMatch(/re-index failed/);
  }, 600_000);
});
