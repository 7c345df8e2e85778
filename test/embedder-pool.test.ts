/**
 * embed/embedder-pool.ts, the embedder the indexer spreads over worker threads, with the real
 * model in real worker threads:
 * - the same texts give the same vectors bit for bit as the model in this thread (two onnxruntime
 *   threads there, one in each worker), whatever the jobs and however they are spread;
 * - a build with the pool (indexer/chunk-embedding.ts) writes the same vectors part as a build
 *   with the model in this thread;
 * - a model that cannot load fails the start with AppError('embedder_unavailable'), and a pool
 *   used after dispose refuses with it;
 * - it starts in a process whose node flags import a TypeScript file (the benchmarks run the
 *   indexer with `--import ./benchmarks/peak-rss.ts`): workers do not take the parent's flags.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import { MANIFEST_FILE, type IndexManifest } from '../core/index-file.ts';
import { EmbedderPool } from '../embed/embedder-pool.ts';
import { resolveEmbedderId } from '../embed/registry.ts';
import { buildIndex } from '../indexer/build.ts';
import { processFile } from '../indexer/document.ts';
import { embeddingText } from '../indexer/chunk-embedding.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR, ROOT } from './helpers/corpus-index.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('embedder-pool');
const SEED = join(CORPUS_DIR, 'seeds', '004_23e61ca61d325768.txt'); // 47 chunks
const SEED_B = join(CORPUS_DIR, 'seeds', '000_1086bae144af7f91.txt'); // 30 chunks

async function seedTexts(): Promise<string[]> {
  const doc = await processFile('seed.txt', await readFile(SEED), 'x'.repeat(64));
  return doc.chunks.map(embeddingText);
}

describe('EmbedderPool', () => {
  it('gives every text the vector the model in this thread gives it, bit for bit', async () => {
    const texts = await seedTexts();
    expect(texts.length).toBeGreaterThan(40);
    const here = await scratch.embedder().embedPassages(texts);
    const pool = await EmbedderPool.start(resolveEmbedderId(), { workers: 2, threads: 1 });
    try {
      expect(pool.size).toBe(2);
      expect(pool.info).toEqual(scratch.embedder().info);
      // Jobs of uneven sizes, all at once: they are spread over both workers and come back in place.
      const sizes = [1, 7, 16, 3, 20];
      const jobs: Promise<Float32Array[]>[] = [];
      let at = 0;
      for (let i = 0; at < texts.length; i++) {
        const n = sizes[i % sizes.length]!;
        jobs.push(pool.embedPassages(texts.slice(at, at + n)));
        at += n;
      }
      const there = (await Promise.all(jobs)).flat();
      expect(there.length).toBe(texts.length);
      there.forEach((v, i) => expect(Buffer.from(v.buffer, v.byteOffset, v.byteLength).equals(Buffer.from(here[i]!.buffer, here[i]!.byteOffset, here[i]!.byteLength)), `text ${i}`).toBe(true));
      const q = 'children leaving care find housing';
      expect(Array.from(await pool.embedQuery(q))).toEqual(Array.from(await scratch.embedder().embedQuery(q)));
    } finally {
      await pool.dispose();
    }
    await expect(pool.embedPassages(['after dispose'])).rejects.toMatchObject({ code: 'embedder_unavailable' });
  }, 120_000);

  it('fails to start with embedder_unavailable when the model cannot load', async () => {
    const err = await EmbedderPool.start('hf:nobody/no-such-model', { workers: 2, threads: 1, modelsDir: join(scratch.dir, 'no-models') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('embedder_unavailable');
  }, 60_000);

  it('starts in a process whose node flags import a TypeScript file', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './benchmarks/peak-rss.ts', 'benchmarks/embed-rate.ts', '--index', CORPUS_INDEX_DIR, '--chunks', '8'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ chunks: 8, mode: 'pool of 2 workers x 1 onnxruntime threads' });
    expect(r.stderr).toMatch(/peak-rss-kb: \d+/);
  }, 150_000);

  it('a build with the pool writes the vectors a build with the model in this thread writes', async () => {
    const corpus = join(scratch.dir, 'corpus');
    await mkdir(corpus, { recursive: true });
    await copyFile(SEED, join(corpus, 'a.txt'));
    await copyFile(SEED_B, join(corpus, 'b.txt'));
    const vectorsOf = async (index: string): Promise<Buffer> => {
      const m = JSON.parse(await readFile(join(index, MANIFEST_FILE), 'utf8')) as IndexManifest;
      return readFile(join(index, m.parts.vectors.file));
    };
    // No embedder given: the indexer starts its pool (INDEX_EMBED_WORKERS, the cores by default).
    const pooled = await buildIndex({ corpusDir: corpus, indexDir: join(scratch.dir, 'pooled'), progress: { silent: true } });
    const here = await buildIndex({ corpusDir: corpus, indexDir: join(scratch.dir, 'here'), embedder: scratch.embedder(), progress: { silent: true } });
    expect(pooled.embedded).toBe(here.embedded);
    expect(pooled.chunks).toBe(77);
    expect((await vectorsOf(join(scratch.dir, 'pooled'))).equals(await vectorsOf(join(scratch.dir, 'here')))).toBe(true);
  }, 180_000);
});
