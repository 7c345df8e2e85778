/**
 * npm run eval [-- --queries FILE --corpus DIR --index DIR --variants]
 * Builds (or reuses) an index of the judged corpus (default ../shared/corpus/seeds), runs every
 * judged query in each mode and prints nDCG@10, MRR@10, recall@10 and recall@100.
 * --variants also runs the fusion variants recorded in docs/relevance.md.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SearchMode } from '../core/api-types.ts';
import { DEFAULT_TUNING, SearchEngine, type SearchTuning } from '../core/search.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { mean, scoreQuery, type JudgedQuery, type QueryScores } from './relevance.ts';

export interface EvalRow {
  name: string;
  scores: QueryScores;
  perQuery: Array<{ id: string; ndcg10: number }>;
}

export async function evaluate(engine: SearchEngine, queries: JudgedQuery[], mode: SearchMode, name: string): Promise<EvalRow> {
  const per: QueryScores[] = [];
  const perQuery: EvalRow['perQuery'] = [];
  for (const q of queries) {
    const res = await engine.search({ q: q.query, mode, limit: 100 });
    const s = scoreQuery(res.results, q.relevant);
    per.push(s);
    perQuery.push({ id: q.id, ndcg10: s.ndcg10 });
  }
  return { name, scores: mean(per), perQuery };
}

export const VARIANTS: Array<{ name: string; mode: SearchMode; tuning: Partial<SearchTuning> }> = [
  { name: 'keyword (BM25 + stems + thesaurus)', mode: 'keyword', tuning: {} },
  { name: 'keyword, no thesaurus', mode: 'keyword', tuning: { thesaurus: false } },
  { name: 'semantic', mode: 'semantic', tuning: {} },
  { name: 'hybrid RRF k=60 (equal weights)', mode: 'hybrid', tuning: { fusion: { method: 'rrf', alpha: 0.5, k: 60 } } },
  { name: 'hybrid RRF keyword weight 0.4', mode: 'hybrid', tuning: { fusion: { method: 'rrf', alpha: 0.4, k: 60 } } },
  { name: 'hybrid RRF keyword weight 0.6', mode: 'hybrid', tuning: { fusion: { method: 'rrf', alpha: 0.6, k: 60 } } },
  { name: 'hybrid convex alpha=0.3', mode: 'hybrid', tuning: { fusion: { method: 'convex', alpha: 0.3, k: 60 } } },
  { name: 'hybrid convex alpha=0.4', mode: 'hybrid', tuning: { fusion: { method: 'convex', alpha: 0.4, k: 60 } } },
  { name: 'hybrid convex alpha=0.5', mode: 'hybrid', tuning: { fusion: { method: 'convex', alpha: 0.5, k: 60 } } },
  { name: 'hybrid convex alpha=0.6', mode: 'hybrid', tuning: { fusion: { method: 'convex', alpha: 0.6, k: 60 } } },
  { name: 'hybrid convex alpha=0.7', mode: 'hybrid', tuning: { fusion: { method: 'convex', alpha: 0.7, k: 60 } } },
];

function fmt(n: number): string {
  return n.toFixed(3);
}

const USAGE = `usage: npm run eval [-- --queries FILE --corpus DIR --index DIR --variants --per-query]
Builds (or reuses) an index of the judged corpus, runs every judged query in each mode and prints
nDCG@10, MRR@10, recall@10 and recall@100.
  --queries FILE   judged queries (default ../shared/eval/dev-queries.json)
  --corpus DIR     judged corpus (default ../shared/corpus/seeds)
  --index DIR      where its index goes (default data/eval-seeds)
  --variants       also run the fusion variants of docs/relevance.md
  --per-query      print nDCG@10 per query
  -h, --help       show this help`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      queries: { type: 'string', default: '../shared/eval/dev-queries.json' },
      corpus: { type: 'string', default: '../shared/corpus/seeds' },
      index: { type: 'string', default: 'data/eval-seeds' },
      variants: { type: 'boolean', default: false },
      'per-query': { type: 'boolean', default: false },
    },
  });
  const queries = (JSON.parse(await readFile(resolve(values.queries!), 'utf8')) as { queries: JudgedQuery[] }).queries;
  await buildIndex({ corpusDir: resolve(values.corpus!), indexDir: resolve(values.index!), log: (l) => process.stderr.write(`${l}\n`) });
  const index = await loadIndex(resolve(values.index!));
  const embedder = await loadIndexEmbedder(index);
  const runs = values.variants
    ? VARIANTS
    : [
        { name: 'keyword', mode: 'keyword' as const, tuning: {} },
        { name: 'semantic', mode: 'semantic' as const, tuning: {} },
        { name: 'hybrid', mode: 'hybrid' as const, tuning: {} },
      ];
  process.stdout.write(`${queries.length} queries, ${index.docs.length} documents, ${index.chunks.length} chunks, embedder ${embedder.info.id}\n`);
  process.stdout.write('| variant | nDCG@10 | MRR@10 | recall@10 | recall@100 |\n|---|---|---|---|---|\n');
  const rows: EvalRow[] = [];
  for (const v of runs) {
    const engine = new SearchEngine(index, embedder, { ...DEFAULT_TUNING, ...v.tuning });
    const row = await evaluate(engine, queries, v.mode, v.name);
    rows.push(row);
    const s = row.scores;
    process.stdout.write(`| ${v.name} | ${fmt(s.ndcg10)} | ${fmt(s.mrr10)} | ${fmt(s.recall10)} | ${fmt(s.recall100)} |\n`);
  }
  if (values['per-query']) {
    process.stdout.write(`\nper query nDCG@10: ${rows.map((r) => r.name).join(' / ')}\n`);
    queries.forEach((q, i) => process.stdout.write(`${q.id} ${q.kind.padEnd(9)} ${rows.map((r) => fmt(r.perQuery[i]!.ndcg10)).join(' ')}  ${q.query}\n`));
  }
  await embedder.dispose();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
