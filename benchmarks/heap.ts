/**
 * npm run bench:heap [-- --index DIR --queries N --every K --mode hybrid|keyword|semantic --as-server]
 *
 * Whether memory that queries leave behind grows: the search engine in this process (no HTTP),
 * N distinct queries (benchmarks/queries.ts distinctQueries), and every K a full garbage
 * collection (node --expose-gc) followed by RSS, V8 heap used and external memory. RSS sampled
 * from outside without a collection (npm run bench:soak) moves with when V8 last collected; the
 * heap after a full collection is what a leak would make grow. Prints Markdown.
 */
import { config } from '../core/config.ts';
import { SearchEngine } from '../core/search.ts';
import { backgroundTurn } from '../server/cooperative.ts';
import type { SearchMode } from '../core/api-types.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { machineLine } from './machine.ts';
import { distinctQueries } from './queries.ts';

const { values } = cliArgs(
  `usage: npm run bench:heap [-- --index DIR --queries N --every K --mode hybrid|keyword|semantic]
Memory after full garbage collections while one process answers N distinct queries.
  --index DIR    saved index (default data/scale)
  --queries N    queries (default 4000)
  --every K      sample every K queries (default 1000)
  --mode M       search mode (default hybrid)
  --as-server    the embedder in its worker thread and the search's stages in background turns,
                 as the server runs them (heap figures are the main thread's; RSS covers both)
  -h, --help     show this help`,
  { options: { index: { type: 'string', default: 'data/scale' }, queries: { type: 'string', default: '4000' }, every: { type: 'string', default: '1000' }, mode: { type: 'string', default: 'hybrid' }, 'as-server': { type: 'boolean', default: false } } },
);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('error: run with node --expose-gc (npm run bench:heap does)\n');
  process.exit(2);
}
const mode = values.mode as SearchMode;
const index = await loadIndex(values.index!);
const asServer = values['as-server'];
const embedder = mode === 'keyword' ? null : await loadIndexEmbedder(index, { thread: asServer, ...(asServer ? { threads: config().queryEmbedThreads } : {}) });
const pause = asServer && mode !== 'keyword' ? () => backgroundTurn('search') : undefined;
const engine = new SearchEngine(index, embedder);
const next = distinctQueries();
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
const rows: string[] = [];
const sample = (done: number) => {
  gc();
  const m = process.memoryUsage();
  rows.push(`| ${done} | ${mb(m.rss)} | ${mb(m.heapUsed)} | ${mb(m.heapTotal)} | ${mb(m.external)} |`);
  process.stderr.write(`heap: ${done} queries, heap used ${mb(m.heapUsed)}\n`);
};
sample(0);
const n = Number(values.queries);
const every = Number(values.every);
for (let i = 1; i <= n; i++) {
  await engine.search({ q: next(), mode, limit: 10, pause });
  if (i % every === 0) sample(i);
}
await embedder?.dispose();
process.stdout.write(
  [
    `Heap check, ${machineLine()}; index ${values.index}: ${index.docs.length} documents, ${index.chunks.length} chunks; ${n} distinct ${mode} searches in one process${asServer ? ' (as the server runs them: embedder in its worker thread, stages in background turns)' : ''}, a full collection before each sample.`,
    '',
    '| queries done | RSS | V8 heap used | V8 heap total | external |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
