/**
 * npm run bench:query: latency of each search mode over 300 realistic queries on the bench index
 * (built by npm run bench:index), server start-up time to the first answer, and RSS while
 * serving. Prints a Markdown table for docs/benchmarks.md.
 */
import { resolve } from 'node:path';
import type { SearchMode } from '../core/api-types.ts';
import { SearchEngine } from '../core/search.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { machineLine, percentile } from './machine.ts';

const USAGE = `usage: npm run bench:query [-- INDEX_DIR]
Latency of each search mode over 300 realistic queries on the bench index (default
data/bench/index, built by npm run bench:index), start-up time and RSS; prints Markdown.
  -h, --help   show this help`;
import { benchQueries } from './queries.ts';

async function main(): Promise<void> {
  const { positionals } = cliArgs(USAGE, { options: {}, allowPositionals: true });
  const indexDir = resolve(positionals[0] ?? resolve(import.meta.dirname, '..', 'data', 'bench', 'index'));
  const t0 = performance.now();
  const index = await loadIndex(indexDir);
  const tIndex = performance.now() - t0;
  const embedder = await loadIndexEmbedder(index);
  const engine = new SearchEngine(index, embedder);
  await engine.search({ q: 'care leavers', mode: 'hybrid' });
  const startup = performance.now() - t0;
  const queries = benchQueries();
  const rows: string[] = [];
  for (const mode of ['keyword', 'semantic', 'hybrid'] as SearchMode[]) {
    // A fresh engine and model per mode: no cached query embeddings or keyword clauses carry over.
    const fresh = await loadIndex(indexDir);
    const modeEmbedder = await loadIndexEmbedder(fresh);
    const modeEngine = new SearchEngine(fresh, modeEmbedder);
    const times: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      await modeEngine.search({ q, mode, limit: 10 });
      times.push(performance.now() - s);
    }
    await modeEmbedder.dispose();
    times.sort((a, b) => a - b);
    rows.push(`| ${mode} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${percentile(times, 99).toFixed(1)} | ${times[times.length - 1]!.toFixed(1)} |`);
  }
  const mtimes: number[] = [];
  for (const q of queries.slice(0, 100)) {
    const s = performance.now();
    await engine.mentions({ q, limit: 100 });
    mtimes.push(performance.now() - s);
  }
  mtimes.sort((a, b) => a - b);
  rows.push(`| mentions (100 queries) | ${percentile(mtimes, 50).toFixed(1)} | ${percentile(mtimes, 95).toFixed(1)} | ${percentile(mtimes, 99).toFixed(1)} | ${mtimes[mtimes.length - 1]!.toFixed(1)} |`);
  const lines = [
    `Query latency, ${machineLine()}; index of ${index.docs.length} documents, ${index.chunks.length} chunks; ${queries.length} distinct queries per mode (each mode on a freshly loaded index and model, each query once: no query-embedding cache hits; keyword clauses are cached within a run, as in the server)`,
    '',
    '| mode | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Start-up to first answer: ${(startup / 1000).toFixed(2)} s (index load ${(tIndex / 1000).toFixed(2)} s, then the model and one hybrid query). RSS while serving: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await embedder.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
});
