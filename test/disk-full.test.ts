/**
 * Disk full while the index is written: the build fails with a clear "Index: disk full ..."
 * message (the CLI exits 1), the previous index still loads and answers (a running server keeps
 * serving it), nothing half-written is left in the index folder, and once there is space the
 * next run completes.
 * - a real full disk: the index folder on a small tmpfs (needs root to mount it; under CI=true
 *   that is required, elsewhere the case is skipped with a message), the CLI against a running
 *   server;
 * - ENOSPC injected through the write layer's file-system functions (a parameter of writeIndex /
 *   buildIndex) at each file of the write: each of the three parts and the manifest, after half
 *   of the file's bytes went to disk.
 */
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs/promises';
import { copyFile, cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, SearchResponse } from '../core/api-types.ts';
import type { Embedder } from '../core/embedder.ts';
import { MANIFEST_FILE, parseManifest } from '../core/index-file.ts';
import { buildIndex } from '../indexer/build.ts';
import { CHECKPOINT_FILE } from '../indexer/checkpoint.ts';
import { defaultFs, type IndexFs } from '../indexer/write.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { CORPUS_DIR } from './helpers/corpus-index.ts';
import { answers, runIndexer } from './helpers/kill-build.ts';
import { requirement } from './helpers/requirement.ts';
import { useScratch } from './helpers/scratch.ts';
import { treeHash } from './helpers/tree-hash.ts';

const scratch = useScratch('disk-full');
const TMP = scratch.dir;
const SEED_A = join(CORPUS_DIR, 'seeds', '000_1086bae144af7f91.txt');
const SEED_B = join(CORPUS_DIR, 'seeds', '004_23e61ca61d325768.txt');
const SEED_C = join(CORPUS_DIR, 'seeds', '003_15de77b5f4537637.txt');

let embedder: Embedder;
beforeAll(() => {
  embedder = scratch.embedder();
});

/** The files of an index folder: the manifest, the parts it names, and anything else. */
async function contents(index: string): Promise<{ named: string[]; other: string[] }> {
  const manifest = parseManifest(await readFile(join(index, MANIFEST_FILE), 'utf8'));
  const named = [MANIFEST_FILE, ...Object.values(manifest.parts).map((p) => p.file)];
  return { named: named.sort(), other: (await readdir(index)).filter((n) => !named.includes(n)).sort() };
}

/** Mounting a tmpfs needs root (and the capability to mount, which a container may lack). */
function tmpfsMissing(): string | null {
  if (process.platform !== 'linux') return 'a tmpfs (Linux only)';
  if (process.getuid?.() !== 0) return 'root, to mount a small tmpfs for the disk-full test';
  return null;
}

describe('disk full on a real small tmpfs', () => {
  const need = requirement(tmpfsMissing());
  const mountPoint = join(TMP, 'tmpfs');
  let mounted = false;
  let server: RunningServer | undefined;

  afterAll(async () => {
    await server?.close();
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  it.skipIf(need.skip)('the CLI fails with a clear message and exit code 1, the server keeps serving the old index, nothing is left half-written; with space the next run completes', async () => {
    need.assert();
    const corpus = join(TMP, 'tmpfs-corpus');
    await mkdir(corpus, { recursive: true });
    await copyFile(SEED_A, join(corpus, 'a.txt'));
    const built = join(TMP, 'tmpfs-built');
    await buildIndex({ corpusDir: corpus, indexDir: built, embedder, progress: { silent: true } });
    const before = await answers(built, embedder);

    // The previous index on a tmpfs with ~200 KB to spare: the new one (a report of 104 chunks
    // more: ~160 KB of vectors alone, besides the text) cannot be written.
    await mkdir(mountPoint, { recursive: true });
    const usedKb = Math.ceil(Number(execFileSync('du', ['-sk', built], { encoding: 'utf8' }).split('\t')[0]));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${usedKb + 200}k`, 'tmpfs', mountPoint]);
    mounted = true;
    const index = join(mountPoint, 'index');
    await cp(built, index, { recursive: true });
    server = await startServer({ indexDir: index, corpusDir: corpus, port: 0, reloadMs: 100, webDir: null });
    const ask = async (): Promise<string> => {
      const r = await fetch(`${server!.url}/api/search?q=youth%20offending&mode=keyword`);
      expect(r.status).toBe(200);
      return JSON.stringify(((await r.json()) as SearchResponse).results.map((x) => [x.id, x.score]));
    };
    const served = await ask();

    await copyFile(SEED_C, join(corpus, 'c.txt'));
    const corpusPrint = (await treeHash(corpus)).hash;
    const failed = await runIndexer(corpus, index);
    process.stdout.write(`disk full (tmpfs ${usedKb + 200} KB): exit ${failed.code}; ${failed.stderr.split('\n').filter((l) => /^(error|warning)/.test(l)).join(' | ')}\n`);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^error: Index: disk full while writing (docs|vectors|keyword)-[\\w-]+\\.(json|f32|bin) in ${index} \\(ENOSPC\\): the previous index is unchanged \\(a running server keeps serving it\\) and no part of the new one is left behind\\. Free space there \\(the new index needs about \\d+ MB\\) and run the indexer again`, 'm'));
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace

    // The old index loads, answers as before, and the server (which checks for a new index every
    // 100 ms) still serves it; nothing half-written is left (the checkpoint of the work done aside).
    expect(await answers(index, embedder)).toEqual(before);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(await ask()).toBe(served);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as HealthResponse;
    expect(health.documents).toBe(1);
    const left = await contents(index);
    expect(left.other.filter((n) => n !== CHECKPOINT_FILE)).toEqual([]);

    // Space again: the next run completes, the server switches to it, the folder is clean.
    execFileSync('mount', ['-o', 'remount,size=16m', mountPoint]);
    const done = await runIndexer(corpus, index);
    expect(done.code, done.stderr).toBe(0);
    expect((await contents(index)).other).toEqual([]);
    const deadline = Date.now() + 60_000;
    let documents = 1;
    while (documents !== 2 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 100));
      documents = ((await (await fetch(`${server.url}/api/health`)).json()) as HealthResponse).documents;
    }
    expect(documents).toBe(2);
    expect((await treeHash(corpus)).hash).toBe(corpusPrint);
  }, 300_000);
});

/** The write layer's file system, with ENOSPC on the `failAt`-th file written (after half its bytes). */
function fullAt(failAt: number): IndexFs {
  let files = 0;
  return {
    ...defaultFs,
    open: (async (path: string, flags?: string) => {
      const fh = await nodeFs.open(path, flags);
      if (flags !== 'w' || ++files !== failAt) return fh;
      return Object.assign(Object.create(fh) as nodeFs.FileHandle, {
        writeFile: async (bytes: Uint8Array) => {
          await fh.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
          throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
        },
        sync: () => fh.sync(),
        close: () => fh.close(),
      });
    }) as IndexFs['open'],
  };
}

describe('disk full injected at each file of the write', () => {
  it('fails with the message, keeps the previous index answering, leaves nothing behind, and the next run completes', async () => {
    const corpus = join(TMP, 'inject-corpus');
    const index = join(TMP, 'inject-index');
    await mkdir(corpus, { recursive: true });
    await copyFile(SEED_A, join(corpus, 'a.txt'));
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    const before = await answers(index, embedder);
    const oldFiles = await contents(index);
    await copyFile(SEED_B, join(corpus, 'b.txt'));

    const failedAt: string[] = [];
    for (const failAt of [1, 2, 3, 4]) {
      const err = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true }, writeFs: fullAt(failAt) }).then(() => null, (e: Error) => e);
      expect(err, `ENOSPC at file ${failAt}`).not.toBeNull();
      const m = /^Index: disk full while writing (\S+) in (.+?) \(ENOSPC\): the previous index is unchanged/.exec(err!.message);
      expect(m, err!.message).not.toBeNull();
      expect(m![2]).toBe(index);
      failedAt.push(m![1]!.replace(/-[\w-]+\./, '-*.'));
      // The work of the failed build is kept for the next run, and the message says where.
      expect(err!.message).toContain(`kept for that run in ${join(index, CHECKPOINT_FILE)}`);
      expect(await answers(index, embedder)).toEqual(before);
      const now = await contents(index);
      expect(now.named).toEqual(oldFiles.named);
      expect(now.other).toEqual([CHECKPOINT_FILE]);
    }
    expect(failedAt).toEqual(['docs-*.bin', 'vectors-*.f32', 'keyword-*.bin', MANIFEST_FILE]);

    const done = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
    expect(done).toMatchObject({ documents: 2, embedded: 0, resumed: { documents: 1 } });
    expect((await answers(index, embedder)).docs).toBe(2);
    expect((await contents(index)).other).toEqual([]);
  });
});
