/**
 * The compiled server (scripts/server-build.mjs) and `npm start` through it (scripts/start.mjs),
 * on a copy of the sources: the first start compiles, later ones run the compiled files while no
 * source changed, a changed source compiles again, the compiled start and server alone answer as
 * the sources do in-process, and a start whose index turns out damaged rebuilds it and serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, utimes, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, parseManifest } from '../core/index-file.ts';
import { SearchEngine } from '../core/search.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex } from '../server/load-index.ts';
import { serverBuildIsCurrent, serverBundle } from '../scripts/server-build.mjs';
import { CORPUS_DIR, ROOT } from './helpers/corpus-index.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('server-build');
const REPO = join(scratch.dir, 'repo');
const CORPUS = join(scratch.dir, 'corpus');
const INDEX = join(scratch.dir, 'index');
const QUERY = 'teenage pregnancy';

beforeAll(async () => {
  await mkdir(REPO, { recursive: true });
  // Every source folder the project compiles (tsconfig.json), but the tests and their scratch data.
  const { include } = JSON.parse(await readFile(join(ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
  for (const d of include.filter((d) => d !== 'test')) await cp(join(ROOT, d), join(REPO, d), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json']) await copyFile(join(ROOT, f), join(REPO, f));
  for (const d of ['node_modules', 'models']) await symlink(join(ROOT, d), join(REPO, d));
  await mkdir(CORPUS, { recursive: true });
  await copyFile(join(CORPUS_DIR, 'seeds', '000_1086bae144af7f91.txt'), join(CORPUS, 'hackney 2005.txt'));
  await buildIndex({ corpusDir: CORPUS, indexDir: INDEX, embedder: scratch.embedder(), progress: { silent: true } });
});

interface Started {
  child: ChildProcess;
  url: string;
  out: () => string;
}

function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd: REPO, env: { ...process.env, INDEX_DIR: INDEX, CORPUS_DIR: CORPUS, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'text' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((ok, fail) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        ok({ child, url: m[1]!, out: () => out });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        fail(new Error(`exited ${child.exitCode}: ${out}`));
      }
    }, 50);
  });
}

async function stop(s: Started): Promise<void> {
  const exited = new Promise((ok) => s.child.once('exit', ok));
  s.child.kill('SIGTERM');
  await exited;
}

async function answer(url: string): Promise<string[]> {
  const res = await fetch(`${url}/api/search?q=${encodeURIComponent(QUERY)}&mode=hybrid&limit=10`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Array<{ id: string }> }).results.map((r) => r.id);
}

async function expected(): Promise<string[]> {
  const engine = new SearchEngine(await loadIndex(INDEX), scratch.embedder());
  return (await engine.search({ q: QUERY, mode: 'hybrid', limit: 10 })).results.map((r) => r.id);
}

describe('npm start through the compiled server', () => {
  it('compiles on the first start, runs the compiled files while no source changes, and compiles again when one does', async () => {
    expect(await serverBuildIsCurrent(REPO)).toBe(false);
    const want = await expected();
    expect(want.length).toBeGreaterThan(0);

    const first = await start(['scripts/start.mjs']);
    try {
      expect(first.out()).toMatch(/^start: compiled the server into dist\/server \(esbuild, \d+ ms\)$/m);
      expect(first.out()).toMatch(/^index: up to date/m);
      expect(await answer(first.url)).toEqual(want);
    } finally {
      await stop(first);
    }
    expect(await serverBuildIsCurrent(REPO)).toBe(true);

    const second = await start(['scripts/start.mjs']);
    try {
      expect(second.out()).not.toMatch(/compiled the server/);
      expect(await answer(second.url)).toEqual(want);
    } finally {
      await stop(second);
    }

    // The server alone, compiled.
    const alone = await start([serverBundle(REPO, 'main')]);
    try {
      expect(await answer(alone.url)).toEqual(want);
    } finally {
      await stop(alone);
    }

    // A source touched (or edited) is a reason to compile again; so is a missing bundle.
    const later = new Date(Date.now() + 5000);
    await utimes(join(REPO, 'core', 'snippet.ts'), later, later);
    expect(await serverBuildIsCurrent(REPO)).toBe(false);
    const third = await start(['scripts/start.mjs']);
    await stop(third);
    expect(third.out()).toMatch(/compiled the server/);
    expect(await serverBuildIsCurrent(REPO)).toBe(true);
    await rm(serverBundle(REPO, 'main'));
    expect(await serverBuildIsCurrent(REPO)).toBe(false);
  }, 180_000);

  it('rebuilds an index whose parts turn out damaged when the server loads them, then serves it', async () => {
    const m = parseManifest(await readFile(join(INDEX, MANIFEST_FILE), 'utf8'));
    const file = join(INDEX, m.parts.docs.file);
    const bytes = await readFile(file);
    bytes[bytes.byteLength >> 1] ^= 0x01;
    await writeFile(file, bytes);
    const s = await start(['scripts/start.mjs']);
    try {
      expect(s.out()).toMatch(/^start: Index: part docs-[\w-]+\.bin fails its checksum \(truncated or damaged\): rebuilding the index from the corpus$/m);
      expect(s.out()).toMatch(/^warning: previous index damaged, rebuilding it from the corpus/m);
      expect(await answer(s.url)).toEqual(await expected());
    } finally {
      await stop(s);
    }
    expect(parseManifest(await readFile(join(INDEX, MANIFEST_FILE), 'utf8')).buildId).not.toBe(m.buildId);
  }, 180_000);
});
