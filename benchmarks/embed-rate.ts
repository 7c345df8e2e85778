/**
 * npm run bench:embed-rate -- [--index DIR] [--chunks N] [--threads T] [--workers W] [--vectors FILE]
 *
 * Passage-embedding rate on real chunks of a saved index: N chunks spread evenly over the index,
 * embedded as the indexer embeds them (embeddingText), either in this thread (--workers 0: the
 * model with T onnxruntime threads) or by an embed/embedder-pool.ts pool of W workers of T
 * threads each. Prints chunks/s, the process's CPU seconds per wall second (how busy the cores
 * were), the machine's load average before and after, and the SHA-256 of every vector in order
 * (same chunks, same vectors: the hashes of two runs must match). --vectors writes the vectors.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeIndex, parseManifest, sha256, MANIFEST_FILE } from '../core/index-file.ts';
import type { Embedder } from '../core/embedder.ts';
import { EmbedderPool } from '../embed/embedder-pool.ts';
import { loadEmbedder } from '../embed/registry.ts';
import { embeddingText } from '../indexer/chunk-embedding.ts';
import { cliArgs } from '../scripts/cli.ts';
import { machineLine } from './machine.ts';

const { values } = cliArgs(
  `usage: npm run bench:embed-rate -- [--index DIR] [--chunks N] [--threads T] [--workers W] [--vectors FILE]
Chunks per second of passage embedding on real chunks (see benchmarks/embed-rate.ts).
  --index DIR     saved index whose chunks are embedded (default data/scale)
  --chunks N      chunks, spread evenly over the index (default 1000)
  --threads T     onnxruntime intra-op threads per model (default 1)
  --workers W     worker threads of the pool; 0 = the model in this thread (default 2)
  --vectors FILE  also write the vectors (float32, in order) to FILE
  -h, --help      this text`,
  {
    options: {
      index: { type: 'string', default: 'data/scale' },
      chunks: { type: 'string', default: '1000' },
      threads: { type: 'string', default: '1' },
      workers: { type: 'string', default: '2' },
      vectors: { type: 'string' },
    },
  },
);

const indexDir = resolve(values.index!);
const manifest = parseManifest(await readFile(join(indexDir, MANIFEST_FILE), 'utf8'));
const data = await decodeIndex(manifest, (f) => readFile(join(indexDir, f)), { keyword: false });
const all = data.docs.flatMap((d) => d.chunks);
const n = Math.min(all.length, Number(values.chunks));
const texts = Array.from({ length: n }, (_, i) => embeddingText(all[Math.floor((i * all.length) / n)]!));
const threads = Number(values.threads);
const workers = Number(values.workers);

const embedder: Embedder = workers === 0
  ? await loadEmbedder(manifest.embedder.id, { threads })
  : await EmbedderPool.start(manifest.embedder.id, { workers, threads });
const load0 = loadavg()[0]!;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// Jobs of 16 texts, all submitted at once (the pool spreads them; one thread takes them in turn).
const jobs: Promise<Float32Array[]>[] = [];
for (let i = 0; i < n; i += 16) jobs.push(embedder.embedPassages(texts.slice(i, i + 16)));
const vectors = (await Promise.all(jobs)).flat();
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await embedder.dispose();
const flat = new Float32Array(vectors.length * manifest.embedder.dim);
vectors.forEach((v, i) => flat.set(v, i * manifest.embedder.dim));
const bytes = new Uint8Array(flat.buffer);
if (values.vectors) await writeFile(values.vectors, bytes);
const out = {
  machine: machineLine(),
  mode: workers === 0 ? `this thread, ${threads} onnxruntime threads` : `pool of ${workers} workers x ${threads} onnxruntime threads`,
  chunks: n,
  seconds: Math.round(wall * 100) / 100,
  chunksPerSecond: Math.round(n / wall),
  coresBusy: Math.round(((cpu.user + cpu.system) / 1e6 / wall) * 100) / 100,
  load: [load0, loadavg()[0]!].map((x) => x.toFixed(2)).join(' -> '),
  vectorsSha256: sha256(bytes),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
