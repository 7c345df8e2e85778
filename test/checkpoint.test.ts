/**
 * The build checkpoint (indexer/checkpoint.ts): a build that is killed or fails keeps what it
 * read and embedded, and the next run does only the rest; a damaged checkpoint is reported and
 * never trusted (the resumed index answers exactly as an uninterrupted build).
 * - the indexer CLI killed with SIGKILL at its first embed progress line: the previous index
 *   answers as before, the next run takes the documents and vectors from the checkpoint and embeds
 *   only the others (whole embedding jobs were checkpointed), answers as an uninterrupted build,
 *   removes the checkpoint;
 * - a build whose embedder fails on its second batch (a fault injected around the real model)
 *   leaves a checkpoint of exactly its documents and first 64 vectors; a build resumed from a copy
 *   of it with one bit flipped in a vector, or cut mid-record, warns and takes only the records
 *   before the damage (and answers as an uninterrupted build); copies with a damaged document
 *   record, a damaged header, or of another embedder or pipeline load nothing from there on.
 */
import { copyFile, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../core/embedder.ts';
import { MANIFEST_FILE } from '../core/index-file.ts';
import { buildIndex, PIPELINE_VERSION, type BuildSummary } from '../indexer/build.ts';
import { BuildCheckpoint, CHECKPOINT_FILE } from '../indexer/checkpoint.ts';
import { JOB_TEXTS } from '../indexer/chunk-embedding.ts';
import { CORPUS_DIR } from './helpers/corpus-index.ts';
import { answers, runIndexer, type Reference } from './helpers/kill-build.ts';
import { treeHash } from './helpers/tree-hash.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('checkpoint');
const TMP = scratch.dir;
const SEED_A = join(CORPUS_DIR, 'seeds', '000_1086bae144af7f91.txt'); // 30 chunks
const SEED_B = join(CORPUS_DIR, 'seeds', '004_23e61ca61d325768.txt'); // 47 chunks
const SEED_C = join(CORPUS_DIR, 'seeds', '003_15de77b5f4537637.txt'); // 104 chunks

let embedder: Embedder;
beforeAll(() => {
  embedder = scratch.embedder();
});

async function corpusOf(name: string, files: Array<[string, string]>): Promise<string> {
  const dir = join(TMP, name);
  await mkdir(dir, { recursive: true });
  for (const [from, to] of files) await copyFile(from, join(dir, to));
  return dir;
}

const silent = { silent: true } as const;

describe('a killed build resumes from its checkpoint', () => {
  it('the next run embeds only the chunks the killed run had not checkpointed', async () => {
    const corpus = await corpusOf('kill-corpus', [[SEED_A, 'a.txt']]);
    const index = join(TMP, 'kill-index');
    await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: silent });
    const before = await answers(index, embedder);
    // The killed build adds a report of 104 chunks: two embedding batches (64 and 40).
    await copyFile(SEED_C, join(corpus, 'c.txt'));
    const corpusPrint = (await treeHash(corpus)).hash;
    const reference = join(TMP, 'kill-reference');
    await cp(index, reference, { recursive: true });
    const full = await buildIndex({ corpusDir: corpus, indexDir: reference, embedder, progress: silent });
    const after = await answers(reference, embedder);
    expect(full.embedded).toBeGreaterThan(64);

    const killed = await runIndexer(corpus, index, { stage: 'embed', line: 1 });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(await answers(index, embedder)).toEqual(before);
    expect((await readdir(index))).toContain(CHECKPOINT_FILE);

    const next = await runIndexer(corpus, index);
    expect(next.code, next.stderr).toBe(0);
    const summary = JSON.parse(next.stdout) as BuildSummary;
    process.stdout.write(`checkpoint: uninterrupted build embedded ${full.embedded}; killed at "${killed.lastLine}"; next run resumed ${JSON.stringify(summary.resumed)}, embedded ${summary.embedded}\n`);
    expect(next.stderr).toMatch(/build checkpoint: resuming an interrupted build: 1 documents already read, \d+ chunks already embedded/);
    // Jobs of JOB_TEXTS texts (the last one smaller) run side by side in the embedding workers and
    // may finish in any order; each is checkpointed whole before its progress line is printed.
    expect(summary.resumed.documents).toBe(1);
    const jobs: number[] = [];
    for (let left = full.embedded; left > 0; left -= JOB_TEXTS) jobs.push(Math.min(JOB_TEXTS, left));
    const wholeJobs = jobs.reduce((sums, n) => [...sums, ...sums.map((s) => s + n)], [0]).filter((s) => s > 0);
    expect(wholeJobs).toContain(summary.resumed.chunks);
    expect(summary.embedded).toBe(full.embedded - summary.resumed.chunks);
    expect(await answers(index, embedder)).toEqual(after);
    const manifest = JSON.parse(await readFile(join(index, MANIFEST_FILE), 'utf8')) as { parts: Record<string, { file: string }> };
    expect((await readdir(index)).sort()).toEqual([MANIFEST_FILE, ...Object.values(manifest.parts).map((p) => p.file)].sort());
    expect((await treeHash(corpus)).hash).toBe(corpusPrint);
  }, 300_000);
});

describe('a failed build keeps its work; a damaged checkpoint is never trusted', () => {
  let corpus: string;
  let saved: string;
  let reference: Reference;
  let total: number;

  beforeAll(async () => {
    corpus = await corpusOf('damage-corpus', [[SEED_A, 'a.txt'], [SEED_B, 'b.txt']]);
    const ref = join(TMP, 'damage-reference');
    total = (await buildIndex({ corpusDir: corpus, indexDir: ref, embedder, progress: silent })).embedded;
    reference = await answers(ref, embedder);
    expect(total).toBeGreaterThan(64);
    expect(total).toBeLessThanOrEqual(128);

    // The real model, failing on its second call: the build stops after one batch of 64.
    let calls = 0;
    const failing: Embedder = {
      info: embedder.info,
      embedPassages: async (texts) => {
        if (++calls === 2) throw new Error('injected embedder failure');
        return embedder.embedPassages(texts);
      },
      embedQuery: (text) => embedder.embedQuery(text),
      dispose: async () => {},
    };
    const failed = join(TMP, 'damage-failed');
    await expect(buildIndex({ corpusDir: corpus, indexDir: failed, embedder: failing, progress: silent })).rejects.toThrow('injected embedder failure');
    expect(await readdir(failed)).toEqual([CHECKPOINT_FILE]);
    saved = join(TMP, 'damage-checkpoint.bin');
    await copyFile(join(failed, CHECKPOINT_FILE), saved);
  });

  /** Resume a build from a (possibly damaged) copy of the saved checkpoint. */
  async function resume(name: string, damage: (bytes: Buffer) => Buffer): Promise<{ summary: BuildSummary; logs: string[]; same: boolean; left: string[] }> {
    const index = join(TMP, `damage-${name}`);
    await rm(index, { recursive: true, force: true });
    await mkdir(index, { recursive: true });
    await writeFile(join(index, CHECKPOINT_FILE), damage(await readFile(saved)));
    const logs: string[] = [];
    const summary = await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: silent, log: (l) => logs.push(l) });
    const now = await answers(index, embedder);
    return { summary, logs, same: now.docs === reference.docs && now.answers === reference.answers, left: await readdir(index) };
  }

  /** Where the n-th record (0-based) of a checkpoint starts: after the header, records of 1+4+32+length+32 bytes. */
  function recordAt(bytes: Buffer, n: number): number {
    let at = 8 + 4 + bytes.readUInt32LE(8) + 32;
    for (let i = 0; i < n; i++) at += 1 + 4 + 32 + bytes.readUInt32LE(at + 1) + 32;
    return at;
  }

  it('an intact checkpoint: documents and 64 vectors taken from it, the rest embedded', async () => {
    const r = await resume('intact', (b) => b);
    expect(r.summary.resumed).toEqual({ documents: 2, chunks: 64 });
    expect(r.summary.embedded).toBe(total - 64);
    expect(r.logs.filter((l) => l.startsWith('warning'))).toEqual([]);
    expect(r.same).toBe(true);
    expect(r.left).not.toContain(CHECKPOINT_FILE);
  });

  it('one bit flipped in the 10th vector: a warning, only the 9 vectors before it are used', async () => {
    const r = await resume('bitflip', (b) => {
      const at = recordAt(b, 2 + 9) + 1 + 4 + 32 + 100; // inside the 10th vector's payload (2 document records first)
      b[at] = b[at]! ^ 0x01;
      return b;
    });
    expect(r.logs.join('\n')).toMatch(/warning: build checkpoint .*: the last \d+ bytes are incomplete or fail their checksum/);
    expect(r.summary.resumed).toEqual({ documents: 2, chunks: 9 });
    expect(r.summary.embedded).toBe(total - 9);
    expect(r.same).toBe(true);
  });

  it('cut in the middle of its last record: a warning, the complete records are used', async () => {
    const r = await resume('truncated', (b) => b.subarray(0, recordAt(b, 2 + 63) + 700));
    expect(r.logs.join('\n')).toMatch(/warning: build checkpoint .*: the last 700 bytes are incomplete/);
    expect(r.summary.resumed).toEqual({ documents: 2, chunks: 63 });
    expect(r.same).toBe(true);
  });

  /** Open a (damaged) copy of the saved checkpoint as the indexer does, collecting its log. */
  async function load(name: string, damage: (bytes: Buffer) => Buffer, header = { embedder: embedder.info.id, pipeline: PIPELINE_VERSION }): Promise<{ cp: BuildCheckpoint; logs: string[] }> {
    const dir = join(TMP, `load-${name}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, CHECKPOINT_FILE), damage(await readFile(saved)));
    const logs: string[] = [];
    const cp = await BuildCheckpoint.open(dir, header, { log: (l) => logs.push(l) });
    await cp.close();
    return { cp, logs };
  }

  it('a damaged document record: a warning, nothing from it on is loaded', async () => {
    const { cp, logs } = await load('doc-damaged', (b) => {
      const at = recordAt(b, 1) + 1 + 4 + 32 + 50;
      b[at] = b[at]! ^ 0x20;
      return b;
    });
    expect(logs.join('\n')).toMatch(/warning: build checkpoint .*fail their checksum/);
    expect([cp.docs.size, cp.vectors.size]).toEqual([1, 0]);
  });

  it('a damaged header, or another embedder or pipeline: nothing is loaded', async () => {
    const header = await load('header', (b) => {
      b[14] = b[14]! ^ 0x01; // inside the header's JSON
      return b;
    });
    expect(header.logs.join('\n')).toMatch(/warning: build checkpoint .* has a damaged header: ignored/);
    expect([header.cp.docs.size, header.cp.vectors.size]).toEqual([0, 0]);
    for (const other of [{ embedder: embedder.info.id, pipeline: PIPELINE_VERSION + 1 }, { embedder: 'another-model', pipeline: PIPELINE_VERSION }]) {
      const r = await load('other', (b) => b, other);
      expect(r.logs.join('\n')).toMatch(/build checkpoint: .* is from another embedder or pipeline .*: discarded/);
      expect([r.cp.docs.size, r.cp.vectors.size]).toEqual([0, 0]);
    }
  });
});
