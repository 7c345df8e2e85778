/**
 * Compares candidate embedding models on ../shared/eval/dev-queries.json (30 judged queries on the
 * five seed texts): naive paragraph chunks, dense retrieval only (cosine), graded relevance.
 *
 *   npx tsx scripts/compare-models.ts [--queries FILE] [--max-tokens N] [MODEL_DIR ...]
 *
 * Each MODEL_DIR is a transformers.js model folder (config.json, tokenizer.json,
 * onnx/model_quantized.onnx, optional sentence-transformers pooling files).
 * (default: models/minilm-l6-v2-int8). The seed texts come from CORPUS_DIR/seeds; EMBED_THREADS
 * sets the model threads (core/config.ts).
 * Throughput is given as wall-clock chunks/s and as chunks per CPU-second x threads, which stays
 * meaningful when other processes share the machine.
 * A chunk is relevant to a judged passage when it comes from that passage's file and contains its
 * needle (case, whitespace, curly quotes and dashes folded); each passage counts once, gain = grade.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readModelSpec } from '../embed/model-spec.ts';
import { TransformersEmbedder } from '../embed/transformers-embedder.ts';
import { fold } from '../benchmarks/relevance.ts';
import { config } from '../core/config.ts';
import { scoreAll, topK } from '../core/vectors.ts';
import { cliArgs } from './cli.ts';

const USAGE = `usage: npx tsx scripts/compare-models.ts [--queries FILE] [--max-tokens N] [MODEL_DIR ...]
Compares embedding models (transformers.js folders; default models/minilm-l6-v2-int8) on judged
queries over the seed texts in CORPUS_DIR/seeds: dense retrieval only, graded relevance.
  --queries FILE    judged queries (default ../shared/eval/dev-queries.json)
  --max-tokens N    truncate passages and queries to N tokens instead of the model's limit
  -h, --help        show this help`;

interface Judged {
  file: string;
  needle: string;
  grade: number;
}
interface EvalQuery {
  id: string;
  query: string;
  kind: string;
  relevant: Judged[];
}
interface NaiveChunk {
  file: string;
  text: string;
  folded: string;
  words: number;
}

const MIN_WORDS = 60;
const TARGET_WORDS = 200;
const MAX_WORDS = 300;


function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

/** Blank-line blocks; tiny ones merged forward up to ~TARGET_WORDS; long ones cut into windows. */
function chunkText(file: string, text: string): NaiveChunk[] {
  const blocks = text.split(/\n\s*\n/).map((b) => b.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const pieces: string[] = [];
  for (const b of blocks) {
    const w = b.split(' ');
    if (w.length <= MAX_WORDS) pieces.push(b);
    else for (let i = 0; i < w.length; i += TARGET_WORDS) pieces.push(w.slice(i, i + TARGET_WORDS).join(' '));
  }
  const out: NaiveChunk[] = [];
  let cur = '';
  for (const p of pieces) {
    const merged = cur ? `${cur} ${p}` : p;
    if (cur && wordCount(cur) >= MIN_WORDS && wordCount(merged) > TARGET_WORDS) {
      out.push({ file, text: cur, folded: fold(cur), words: wordCount(cur) });
      cur = p;
    } else {
      cur = merged;
    }
  }
  if (cur) out.push({ file, text: cur, folded: fold(cur), words: wordCount(cur) });
  return out;
}

interface Scores {
  ndcg10: number;
  mrr10: number;
  recall10: number;
  recall100: number;
}

function scoreRanking(ranked: NaiveChunk[], rel: Judged[]): Scores {
  const needles = rel.map((r) => ({ ...r, folded: fold(r.needle) }));
  const credited = new Set<number>();
  let dcg = 0;
  let mrr = 0;
  let found10 = 0;
  let found100 = 0;
  ranked.slice(0, 100).forEach((c, i) => {
    let gain = 0;
    needles.forEach((n, k) => {
      if (credited.has(k) || n.file !== c.file || !c.folded.includes(n.folded)) return;
      credited.add(k);
      gain += n.grade;
      if (i < 10) found10++;
      found100++;
    });
    if (i < 10 && gain > 0) {
      dcg += gain / Math.log2(i + 2);
      if (mrr === 0) mrr = 1 / (i + 1);
    }
  });
  const ideal = needles.map((n) => n.grade).sort((a, b) => b - a).slice(0, 10);
  const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return {
    ndcg10: idcg > 0 ? Math.min(1, dcg / idcg) : 0,
    mrr10: mrr,
    recall10: found10 / needles.length,
    recall100: found100 / needles.length,
  };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

async function main(): Promise<void> {
  const repo = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const { values, positionals } = cliArgs(USAGE, { options: { queries: { type: 'string' }, 'max-tokens': { type: 'string' } }, allowPositionals: true });
  const evalPath = resolve(values.queries ?? resolve(repo, '..', 'shared', 'eval', 'dev-queries.json'));
  const seedsDir = join(config().corpusDir, 'seeds');
  const maxTokens = Number(values['max-tokens'] ?? 0);
  const modelDirs = positionals.map((d) => resolve(d));
  if (modelDirs.length === 0) modelDirs.push(join(repo, 'models', 'minilm-l6-v2-int8'));

  const queries = (JSON.parse(await readFile(evalPath, 'utf8')) as { queries: EvalQuery[] }).queries;
  const chunks: NaiveChunk[] = [];
  for (const f of (await readdir(seedsDir)).filter((f) => f.endsWith('.txt')).sort()) {
    chunks.push(...chunkText(f, await readFile(join(seedsDir, f), 'utf8')));
  }
  const judged = queries.flatMap((q) => q.relevant);
  const findable = judged.filter((r) => chunks.some((c) => c.file === r.file && c.folded.includes(fold(r.needle)))).length;
  console.log(
    `compare-models: ${queries.length} queries, ${judged.length} judged passages (${findable} fall inside one chunk), ` +
      `${chunks.length} chunks, mean ${mean(chunks.map((c) => c.words)).toFixed(0)} words`,
  );

  const rows: string[] = [];
  for (const dir of modelDirs) {
    const name = basename(dir);
    const spec = await readModelSpec(dir, name);
    if (maxTokens > 0) spec.maxLength = maxTokens;
    const threads = config().embedThreads;
    const emb = await TransformersEmbedder.load({ id: name, modelsDir: dirname(dir), name, spec, dtype: 'q8' });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const vecs = await emb.embedPassages(chunks.map((c) => c.text));
    const passSec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    const matrix = new Float32Array(vecs.length * emb.info.dim);
    vecs.forEach((v, i) => matrix.set(v, i * emb.info.dim));

    const per: (Scores & { kind: string })[] = [];
    const qTimes: number[] = [];
    for (const q of queries) {
      const tq = performance.now();
      const qv = await emb.embedQuery(q.query);
      qTimes.push(performance.now() - tq);
      const ranked = topK(scoreAll(matrix, qv), 100).map((h) => chunks[h.index]!);
      per.push({ ...scoreRanking(ranked, q.relevant), kind: q.kind });
    }
    const agg = (xs: (Scores & { kind: string })[]): string =>
      `nDCG@10 ${mean(xs.map((x) => x.ndcg10)).toFixed(3)}  MRR@10 ${mean(xs.map((x) => x.mrr10)).toFixed(3)}  ` +
      `R@10 ${mean(xs.map((x) => x.recall10)).toFixed(3)}  R@100 ${mean(xs.map((x) => x.recall100)).toFixed(3)}`;
    rows.push(
      `${name} (dim ${emb.info.dim}, ${spec.pooling} pooling, max ${spec.maxLength} tokens)\n` +
        `  all      ${agg(per)}\n` +
        [...new Set(per.map((p) => p.kind))].map((k) => `  ${k.padEnd(8)} ${agg(per.filter((p) => p.kind === k))}`).join('\n') +
        `\n  load ${emb.loadMs.toFixed(0)} ms; passages ${(chunks.length / passSec).toFixed(1)} chunks/s ` +
        `(${chunks.length} in ${passSec.toFixed(1)} s wall, ${cpuSec.toFixed(1)} CPU-s: ` +
        `${((chunks.length / cpuSec) * threads).toFixed(1)} chunks/s on ${threads} idle cores); query ${mean(qTimes).toFixed(1)} ms mean (single, uncached)`,
    );
    console.log(rows[rows.length - 1]);
    await emb.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(`compare-models: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
