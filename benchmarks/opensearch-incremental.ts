/**
 * npm run bench:opensearch-incremental -- --from DIR --to DIR: an incremental OpenSearch write
 * against a full one, at scale. Writes the saved index FROM in full behind the alias
 * `bench-incremental`, then the saved index TO (the same corpus with reports removed, added or
 * changed, rebuilt by `npm run index` into a copy) incrementally over it, then TO in full behind
 * `bench-incremental-full`; times each write (with its summary and steps), then asks both indexes
 * every judged query of a set in each mode and counts identical answers (the same results in the
 * same order, the same scores and totals), with MRR@10 of each. Prints Markdown; deletes both
 * aliases' indexes at the end (unless --keep).
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { SearchMode } from '../core/api-types.ts';
import { config } from '../core/config.ts';
import { EngineSearch } from '../core/engine-search.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { OpenSearchEngine } from '../opensearch/engine.ts';
import { writeOpenSearchIndex, type WriteSummary } from '../opensearch/write-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { machineLine } from './machine.ts';
import { judgedQueries, mean, scoreQuery, type JudgedQuery, type QueryScores } from './relevance.ts';

const USAGE = `usage: npm run bench:opensearch-incremental -- --from DIR --to DIR [--set FILE] [--modes LIST]
An incremental OpenSearch write (OPENSEARCH_URL) of the saved index TO over a full write of FROM,
against a full write of TO: the time of each write, and identical answers on the judged queries.
  --from DIR     saved index written first, in full (default data/scale)
  --to DIR       saved index written incrementally over it, and in full for comparison
  --set FILE     judged queries (default ../shared/eval/scale/known-item.json)
  --modes LIST   modes to compare (default keyword,semantic,hybrid)
  --keep         leave both indexes behind their aliases (else deleted at the end)
  -h, --help     show this help`;

const ALIAS = 'bench-incremental';
const FULL_ALIAS = 'bench-incremental-full';

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      from: { type: 'string', default: 'data/scale' },
      to: { type: 'string' },
      set: { type: 'string', default: '../shared/eval/scale/known-item.json' },
      modes: { type: 'string', default: 'keyword,semantic,hybrid' },
      keep: { type: 'boolean', default: false },
    },
  });
  if (!values.to) throw new Error('--to DIR is required (see --help)');
  const cfg = config();
  const client = new OpenSearchClient({ ...cfg.opensearch, timeoutMs: 60_000 });
  const log = (l: string): void => void process.stderr.write(`${l}\n`);
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(', ');
  const rows: string[] = [];
  const timed = async (label: string, run: () => Promise<WriteSummary>): Promise<WriteSummary> => {
    const before = load();
    const s = await run();
    rows.push(`| ${label} | ${s.mode} | ${s.written} | ${s.deleted} | ${s.copied} | ${s.groupsMoved} | ${s.seconds} | ${Object.entries(s.steps).map(([k, v]) => `${k} ${v}`).join(', ')} | ${before} -> ${load()} |`);
    return s;
  };
  for (const alias of [ALIAS, FULL_ALIAS]) await deleteBehind(client, alias);
  const from = await loadIndex(resolve(values.from!));
  await timed(`${values.from} (${from.docs.length} documents), full`, () => writeOpenSearchIndex(client, from, { alias: ALIAS, shards: 1, replicas: 0, full: true, log }));
  const to = await loadIndex(resolve(values.to));
  const incremental = await timed(`${values.to} (${to.docs.length} documents) over it`, () => writeOpenSearchIndex(client, to, { alias: ALIAS, shards: 1, replicas: 0, log }));
  await timed(`${values.to}, full`, () => writeOpenSearchIndex(client, to, { alias: FULL_ALIAS, shards: 1, replicas: 0, full: true, log }));

  const embedder = await loadIndexEmbedder(to);
  const queries = judgedQueries(JSON.parse(await readFile(resolve(values.set!), 'utf8')) as { queries: JudgedQuery[] });
  const a = new EngineSearch(new OpenSearchEngine(client, { alias: ALIAS }), embedder);
  const b = new EngineSearch(new OpenSearchEngine(client, { alias: FULL_ALIAS }), embedder);
  const compared: string[] = [];
  const loadBefore = load();
  for (const mode of values.modes!.split(',').map((m) => m.trim()) as SearchMode[]) {
    let same = 0;
    let sameTotal = 0;
    let worstTotal = 0;
    const scores: Record<'incremental' | 'full', QueryScores[]> = { incremental: [], full: [] };
    const differ: string[] = [];
    for (const q of queries) {
      const [x, y] = await Promise.all([a.search({ q: q.query, mode, limit: 100 }), b.search({ q: q.query, mode, limit: 100 })]);
      const key = (r: typeof x): string => JSON.stringify(r.results.map((h) => [h.id, h.score, h.duplicates, h.duplicateDocs]));
      if (key(x) === key(y)) same++;
      else differ.push(q.query);
      if (x.total === y.total) sameTotal++;
      worstTotal = Math.max(worstTotal, Math.abs(x.total - y.total) / Math.max(1, y.total));
      scores.incremental.push(scoreQuery(x.results, q.relevant));
      scores.full.push(scoreQuery(y.results, q.relevant));
    }
    compared.push(`| ${mode} | ${same} of ${queries.length} | ${sameTotal} of ${queries.length} (largest difference ${(worstTotal * 100).toFixed(2)} %) | ${mean(scores.incremental).mrr10.toFixed(3)} | ${mean(scores.full).mrr10.toFixed(3)} |${differ.length > 0 ? ` differ: ${differ.slice(0, 3).join('; ')}` : ''}`);
  }
  await embedder.dispose();
  if (!values.keep) for (const alias of [ALIAS, FULL_ALIAS]) await deleteBehind(client, alias);
  process.stdout.write([
    `Incremental against full OpenSearch writes, ${machineLine()}; ${client.url}, 1 shard, 0 replicas; ${new Date().toISOString()}`,
    '',
    '| write | mode | written | deleted | kept | group ids moved | s | steps (s) | load average before -> after |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Answers to the ${queries.length} queries of ${values.set} (limit 100) from the incremental index (${incremental.index}) and from the full write of the same build: identical results (the same chunks in the same order, scores, near-identical copies) and totals (near-identical groups counted; past 1 000 matches OpenSearch's \`cardinality\` of the group ids); load average ${loadBefore} before, ${load()} after.`,
    '',
    '| mode | identical results | identical totals | MRR@10 incremental | MRR@10 full |',
    '|---|---|---|---|---|',
    ...compared,
    '',
  ].join('\n'));
}

/** Delete the indexes behind `alias` (and so the alias). */
async function deleteBehind(client: OpenSearchClient, alias: string): Promise<void> {
  const behind = (await client.request<Record<string, unknown> | null>('GET', `/_alias/${alias}`, undefined, { allow404: true })) ?? {};
  for (const index of Object.keys(behind)) await client.request('DELETE', `/${index}`, undefined, { allow404: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
