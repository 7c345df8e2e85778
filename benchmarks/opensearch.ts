/**
 * npm run bench:opensearch: the embedded engine and OpenSearch on the same machine, the same
 * index and the same queries, in one run. Writes the saved index (default data/scale) into
 * OpenSearch (OPENSEARCH_URL) as a new build behind the alias `bench-opensearch` (timed), then
 * runs every judged query of a set in each mode against both engines, one after the other per
 * query, and prints p50/p95 latency and MRR@10 / nDCG@10 per engine and mode as Markdown.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { SearchMode } from '../core/api-types.ts';
import { config } from '../core/config.ts';
import { EngineSearch } from '../core/engine-search.ts';
import { SearchEngine } from '../core/search.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { OpenSearchEngine } from '../opensearch/engine.ts';
import { writeOpenSearchIndex, type WriteSummary } from '../opensearch/write-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { machineLine, percentile } from './machine.ts';
import { COUNT_CHECK_QUERIES } from './queries.ts';
import { judgedQueries, mean, scoreQuery, type JudgedQuery, type QueryScores } from './relevance.ts';

const USAGE = `usage: npm run bench:opensearch -- [--index DIR] [--set FILE] [--shards N] [--modes LIST]
Index time into OpenSearch (OPENSEARCH_URL) and, on the same queries in one run, p50/p95 latency
and MRR@10 / nDCG@10 of the embedded engine and of OpenSearch per mode, and /api/similar; prints Markdown.
  --index DIR    saved index (default data/scale)
  --set FILE     judged queries (default ../shared/eval/scale/known-item.json)
  --shards N     primary shards of the OpenSearch index (default 1)
  --modes LIST   modes to run (default keyword,semantic,hybrid)
  --knn KIND     vector search in OpenSearch: auto (exact up to 100 000 chunks, HNSW past it;
                 the default), exact or hnsw
  --similar N    also /api/similar for N chunks spread over the index (default 40; 0: none):
                 results shared with the embedded engine, the same order, p50/p95
  --reuse        query the index an earlier run wrote (same build and layout) instead of writing
                 it again; no index time is then reported
  --counts-base DIR
                 also every-mention counts (paragraphs, occurrences) of the count-check queries
                 from OpenSearch and the embedded engine on --index, against the index DIR
                 counted in-process times (documents of --index / documents of DIR): e.g.
                 --index data/scale10 --counts-base data/scale (each must be exactly 10x)
  --alias NAME   the alias written and read (default bench-opensearch); with --reuse, e.g. the
                 alias \`npm run index:opensearch\` wrote (OPENSEARCH_INDEX, default ofsted-chunks)
  --incremental  write incrementally over the index an earlier run wrote (a clone with only the
                 changed documents written: opensearch/write-index.ts) instead of in full
  -h, --help     show this help`;


async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      index: { type: 'string', default: 'data/scale' },
      set: { type: 'string', default: '../shared/eval/scale/known-item.json' },
      shards: { type: 'string', default: '1' },
      modes: { type: 'string', default: 'keyword,semantic,hybrid' },
      reuse: { type: 'boolean', default: false },
      incremental: { type: 'boolean', default: false },
      knn: { type: 'string', default: 'auto' },
      similar: { type: 'string', default: '40' },
      alias: { type: 'string', default: 'bench-opensearch' },
      'counts-base': { type: 'string' },
    },
  });
  const cfg = config();
  const index = await loadIndex(resolve(values.index!));
  const embedder = await loadIndexEmbedder(index);
  const queries = judgedQueries(JSON.parse(await readFile(resolve(values.set!), 'utf8')) as { queries: JudgedQuery[] });
  const client = new OpenSearchClient({ ...cfg.opensearch, timeoutMs: 60_000 });
  const knn = { auto: undefined, exact: Infinity, hnsw: 0 }[values.knn as 'auto' | 'exact' | 'hnsw'];
  if (!['auto', 'exact', 'hnsw'].includes(values.knn!)) throw new Error(`--knn: "${values.knn}" is not auto, exact or hnsw`);
  const alias = values.alias!;
  const engine = new OpenSearchEngine(client, { alias, exactKnnMaxChunks: knn });
  let written: WriteSummary | null = null;
  if (values.reuse) {
    const built = (await engine.view()).info.buildId;
    if (built !== index.manifest.buildId) throw new Error(`--reuse: the alias ${alias} holds build ${built}, not ${index.manifest.buildId} of ${values.index}; run without --reuse`);
  } else written = await writeOpenSearchIndex(client, index, { alias, shards: Number(values.shards), replicas: 0, full: !values.incremental, log: (l) => process.stderr.write(`${l}\n`) });
  const embedded = new SearchEngine(index, embedder);
  const remote = new EngineSearch(engine, embedder);
  const run = { embedded: (q: string, mode: SearchMode) => embedded.search({ q, mode, limit: 100 }), opensearch: (q: string, mode: SearchMode) => remote.search({ q, mode, limit: 100 }) };
  // Warm both (model, caches, OpenSearch's first queries).
  for (const q of queries.slice(0, 5)) for (const r of Object.values(run)) await r(q.query, 'hybrid');
  const rows: string[] = [];
  const loadBefore = loadavg();
  for (const mode of values.modes!.split(',').map((m) => m.trim()) as SearchMode[]) {
    const times: Record<string, number[]> = { embedded: [], opensearch: [] };
    const scores: Record<string, QueryScores[]> = { embedded: [], opensearch: [] };
    for (const [i, q] of queries.entries()) {
      // Alternate which engine goes first, so neither always gets a warm model cache.
      const order = i % 2 === 0 ? (['embedded', 'opensearch'] as const) : (['opensearch', 'embedded'] as const);
      for (const name of order) {
        const t0 = performance.now();
        const res = await run[name](q.query, mode);
        times[name]!.push(performance.now() - t0);
        scores[name]!.push(scoreQuery(res.results, q.relevant));
      }
    }
    for (const name of ['embedded', 'opensearch']) {
      const t = times[name]!.sort((a, b) => a - b);
      const s = mean(scores[name]!);
      rows.push(`| ${mode} | ${name} | ${percentile(t, 50).toFixed(1)} | ${percentile(t, 95).toFixed(1)} | ${s.mrr10.toFixed(3)} | ${s.ndcg10.toFixed(3)} |`);
    }
  }
  // Practice like this elsewhere: the same paragraphs, one after the other per source chunk.
  const similarRows: string[] = [];
  const sources = Number(values.similar);
  if (sources > 0) {
    const times: Record<string, number[]> = { embedded: [], opensearch: [] };
    let shared = 0;
    let all = 0;
    let sameOrder = 0;
    let sameCopies = 0;
    for (let i = 0; i < sources; i++) {
      const id = index.chunks[Math.floor(((i + 0.5) * index.chunks.length) / sources)]!.id;
      let t0 = performance.now();
      const a = await embedded.similar({ id, limit: 10 });
      times.embedded!.push(performance.now() - t0);
      t0 = performance.now();
      const b = await remote.similar({ id, limit: 10 });
      times.opensearch!.push(performance.now() - t0);
      const ia = a.results.map((r) => r.id);
      const ib = b.results.map((r) => r.id);
      shared += ib.filter((x) => ia.includes(x)).length;
      all += ia.length;
      if (ia.join() === ib.join()) sameOrder++;
      if (a.nearIdentical === b.nearIdentical) sameCopies++;
    }
    for (const name of ['embedded', 'opensearch']) {
      const t = times[name]!.sort((x, y) => x - y);
      similarRows.push(`| similar | ${name} | ${percentile(t, 50).toFixed(1)} | ${percentile(t, 95).toFixed(1)} |`);
    }
    similarRows.unshift(`/api/similar for ${sources} chunks spread over the index (limit 10): ${shared} of ${all} results shared, the same order for ${sameOrder}, the same near-copy count for ${sameCopies}.`, '', '| endpoint | engine | p50 ms | p95 ms |', '|---|---|---|---|');
  }
  const countRows: string[] = [];
  if (values['counts-base']) {
    const base = await loadIndex(resolve(values['counts-base']));
    const baseEngine = new SearchEngine(base, null);
    const factor = index.docs.length / base.docs.length;
    let exact = 0;
    for (const q of COUNT_CHECK_QUERIES) {
      const b = await baseEngine.mentions({ q, limit: 0 });
      const e = await embedded.mentions({ q, limit: 0 });
      const t0 = performance.now();
      const o = await remote.mentions({ q, limit: 0 });
      const ms = performance.now() - t0;
      const ok = [e, o].every((r) => r.total === b.total * factor && r.occurrences === b.occurrences * factor);
      if (ok) exact++;
      countRows.push(`| ${q} | ${b.total} / ${b.occurrences} | ${e.total} / ${e.occurrences} | ${o.total} / ${o.occurrences} | ${ms.toFixed(0)} | ${ok ? 'yes' : 'NO'} |`);
    }
    countRows.unshift(`Every-mention counts (paragraphs / occurrences) of ${COUNT_CHECK_QUERIES.length} queries on ${values.index} against ${values['counts-base']} (${base.docs.length} documents) counted in-process, times ${factor}: exactly ${factor}x for ${exact} of ${COUNT_CHECK_QUERIES.length} in both engines.`, '', `| query | ${values['counts-base']} | embedded | opensearch | opensearch ms | exactly ${factor}x |`, '|---|---|---|---|---|---|');
  }
  process.stdout.write([
    `OpenSearch (k-NN ${values.knn}) against the embedded engine, ${machineLine()}; load average ${loadLine(loadBefore)} before the queries, ${loadLine(loadavg())} after; ${index.docs.length} documents, ${index.chunks.length} chunks; ${queries.length} queries of ${values.set} per mode; ${new Date().toISOString().slice(0, 10)}`,
    '',
    written
      ? `Index into OpenSearch (${client.url}, ${values.shards} shard(s), 0 replicas): ${written.records} records (${written.documents} documents, ${written.paragraphs} paragraphs, ${written.chunks} chunks with vectors), ${written.mode} write (${written.written} written, ${written.copied} kept, ${written.deleted} deleted), in ${written.seconds} s, alias switched.`
      : `OpenSearch (${client.url}): the index an earlier run wrote (--reuse, alias ${alias}), build ${index.manifest.buildId}.`,
    '',
    '| mode | engine | p50 ms | p95 ms | MRR@10 | nDCG@10 |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(similarRows.length > 0 ? [...similarRows, ''] : []),
    ...(countRows.length > 0 ? [...countRows, ''] : []),
  ].join('\n'));
  await embedder.dispose();
}

/** 1, 5 and 15-minute load averages, as `uptime` prints them. */
function loadLine(l: number[]): string {
  return l.map((x) => x.toFixed(2)).join(', ');
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
