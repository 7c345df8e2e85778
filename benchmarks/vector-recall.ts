/**
 * npm run bench:vectors [-- --index DIR --queries N]
 *
 * How close the int8 scan with exact re-scoring (embed/quantized-search.ts) comes to exact
 * float32 search on a real index, with real query embeddings (the short and natural-language
 * queries of the scale benchmark, benchmarks/scale-queries.ts, embedded by the index's model),
 * and how long each takes, one query at a time in this process.
 *
 * recall@10 counts distinct chunk texts: a replicated index (bench:scale10) holds every chunk ten
 * times with the same vector and the results show one of them, so finding any copy of each of
 * the exact top 10 is a hit. recall@100 counts rows (a row tied in score with the last one
 * returned counts as found). Prints Markdown; progress on stderr.
 */
import type { Scored } from '../core/vectors.ts';
import { nativeExactSearch } from '../embed/native-vector-search.ts';
import { candidates, quantizedSearch } from '../embed/quantized-search.ts';
import { progressBar } from '../indexer/progress.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { machineLine, percentile } from './machine.ts';
import { querySets } from './scale-queries.ts';

const { values } = cliArgs(
  `usage: npm run bench:vectors [-- --index DIR --queries N --copies C]
Recall and latency of meaning search over int8 vectors with exact re-scoring, against exact
float32 search, with real query embeddings.
  --index DIR    saved index (default data/scale)
  --queries N    queries of each kind, short and natural-language (default 150)
  --copies C     search C copies of every vector, as bench:scale10's replica holds (default 1)
  -h, --help     show this help`,
  { options: { index: { type: 'string', default: 'data/scale' }, queries: { type: 'string', default: '150' }, copies: { type: 'string', default: '1' } } },
);
const indexDir = values.index!;
const perKind = Number(values.queries);
const copies = Number(values.copies);

const index = await loadIndex(indexDir);
const dim = index.dim;
const vectors = new Float32Array(index.vectors.length * copies);
for (let c = 0; c < copies; c++) vectors.set(index.vectors, c * index.vectors.length);
const rows = vectors.length / dim;
const exact = nativeExactSearch(vectors, dim);
let t = performance.now();
const quantized = quantizedSearch(vectors, dim);
await quantized.ready;
const openMs = performance.now() - t;
const embedder = await loadIndexEmbedder(index);
const sets = querySets(index.chunks.map((c) => c.text), index.docs.map((d) => d.meta.council ?? ''), { perSet: perKind, sets: 1 });
const textOf = (s: Scored) => index.chunks[s.index % index.chunks.length]!.text;
const distinct = (l: Scored[], n: number) => [...new Set(l.map(textOf))].slice(0, n);
const p = (a: number[], q: number) => percentile([...a].sort((x, y) => x - y), q).toFixed(1);

const L = [
  `Meaning search over int8 vectors, ${machineLine()}; index ${indexDir}: ${index.docs.length} documents, ${index.chunks.length} chunks${copies > 1 ? `, every vector ${copies} times: ${rows} rows` : ''}; int8 copy made in ${(openMs / 1000).toFixed(2)} s (in the background, in slices, in the server) (${((rows * dim) / 2 ** 20).toFixed(0)} MB).`,
  '',
  '| queries | k | recall@10 (distinct texts) | recall@100 | exact float32 p50 / p95 ms | int8 scan + re-score p50 / p95 ms |',
  '|---|---|---|---|---|---|',
];
for (const [kind, list] of [['short', sets.short[0]!], ['natural', sets.natural[0]!]] as const) {
  const bar = progressBar(kind, list.length);
  let r10 = 0;
  let r100 = 0;
  const te: number[] = [];
  const tq: number[] = [];
  for (const q of list) {
    const v = await embedder.embedQuery(q);
    t = performance.now();
    const want = exact.nearest(v, 100);
    te.push(performance.now() - t);
    t = performance.now();
    const got = quantized.nearest(v, 100);
    tq.push(performance.now() - t);
    const gotTexts = new Set(distinct(got, 100));
    const w10 = distinct(want, 10);
    r10 += w10.filter((x) => gotTexts.has(x)).length / w10.length;
    const gotRows = new Set(got.map((s) => s.index));
    const last = got[got.length - 1]!.score;
    r100 += want.filter((s) => gotRows.has(s.index) || s.score <= last + 1e-6).length / want.length;
    bar.tick();
  }
  bar.done();
  L.push(`| ${list.length} ${kind} | 100 (int8 candidates: ${candidates(100)}) | ${(r10 / list.length).toFixed(3)} | ${(r100 / list.length).toFixed(3)} | ${p(te, 50)} / ${p(te, 95)} | ${p(tq, 50)} / ${p(tq, 95)} |`);
}
await embedder.dispose();
process.stdout.write(`${L.join('\n')}\n`);
