/** npm run eval: relevance figures (see USAGE below). */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { SearchMode } from '../core/api-types.ts';
import type { EngineSearch } from '../core/engine-search.ts';
import { SearchEngine } from '../core/search.ts';
import { DEFAULT_TUNING, type SearchTuning } from '../core/search-request.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex, loadIndexEmbedder } from '../server/load-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { scoreTheme, type JudgedTheme } from './mention-counts.ts';
import { ReferenceBm25 } from './reference-bm25.ts';
import { judgedQueries, mean, scoreQuery, type JudgedQuery, type QueryScores } from './relevance.ts';

export interface EvalRow {
  name: string;
  scores: QueryScores;
  perQuery: QueryScores[];
}

/** A ranked list for a query: enough of each result to judge it. */
export type Ranker = (query: string) => Promise<Array<{ text: string; doc: { source: string } }>>;

export async function evaluateRanker(rank: Ranker, queries: JudgedQuery[], name: string): Promise<EvalRow> {
  const perQuery: QueryScores[] = [];
  for (const q of queries) perQuery.push(scoreQuery(await rank(q.query), q.relevant));
  return { name, scores: mean(perQuery), perQuery };
}

export function evaluate(engine: SearchEngine, queries: JudgedQuery[], mode: SearchMode, name: string): Promise<EvalRow> {
  return evaluateRanker(async (q) => (await engine.search({ q, mode, limit: 100 })).results, queries, name);
}

/** The reference BM25 over the index's own chunks, as a ranker. */
export function referenceRanker(index: SearchIndex): Ranker {
  const bm25 = new ReferenceBm25(index.chunks.map((c) => c.text));
  return async (q) =>
    bm25.search(q, 100).map((h) => ({ text: index.chunks[h.index]!.text, doc: { source: index.docs[index.chunkDoc[h.index]!]!.meta.source } }));
}

export const REFERENCE_NAME = 'reference BM25 (Lucene english, OR)';

export const VARIANTS: Array<{ name: string; mode: SearchMode; tuning: Partial<SearchTuning> }> = [
  { name: 'keyword, no thesaurus', mode: 'keyword', tuning: { thesaurus: false } },
  { name: 'hybrid RRF k=60', mode: 'hybrid', tuning: { fusion: { method: 'rrf', alpha: 0.5, k: 60 } } },
  { name: 'hybrid convex alpha=0.5', mode: 'hybrid', tuning: { fusion: { method: 'convex', alpha: 0.5, k: 60 } } },
];

const fmt = (n: number): string => n.toFixed(3);

/** Every-mention counts of each theme, typed plainly and in quotes, against the judged counts. */
export async function mentionsTable(engine: EngineSearch, themes: JudgedTheme[], title: string): Promise<string> {
  const lines = [title, '', '| theme | true | plain: counted | recall | precision | "quoted": counted | recall | precision |', '|---|---|---|---|---|---|---|---|'];
  for (const t of themes) {
    const plain = await scoreTheme(engine, t, t.phrase);
    const quoted = await scoreTheme(engine, t, `"${t.phrase}"`);
    lines.push(
      `| ${t.phrase} | ${t.occurrences} | ${plain.counted} | ${fmt(plain.recall)} | ${fmt(plain.precision)} | ${quoted.counted} | ${fmt(quoted.recall)} | ${fmt(quoted.precision)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function table(rows: EvalRow[], select: (i: number) => boolean): string {
  const lines = ['| ranking | MRR@10 | R@10 | R@100 | nDCG@10 |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const s = mean(r.perQuery.filter((_, i) => select(i)));
    lines.push(`| ${r.name} | ${fmt(s.mrr10)} | ${fmt(s.recall10)} | ${fmt(s.recall100)} | ${fmt(s.ndcg10)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const USAGE = `usage: npm run eval [-- --set FILE --corpus DIR --index DIR --modes LIST --per-query --variants]
Builds (or reuses: only changed files are read, vectors are reused) an index of the judged corpus,
runs every judged query in each mode and a reference BM25 (Lucene's formula, english analyzer,
every word ORed) over the same chunks in the same run, and prints MRR@10, R@10, R@100 and nDCG@10
overall and per query kind. A set of themes with exact counts (every-mention.json) is judged as
every-mention counts, typed plainly and in quotes.
  --set FILE       judged set (default ../shared/eval/dev-queries.json; --queries is the same)
  --corpus DIR     judged corpus (default ../shared/corpus/seeds)
  --index DIR      where its index goes (default data/eval-<corpus folder name>)
  --modes LIST     modes to run (default keyword,semantic,hybrid)
  --per-query      print the rank of the first hit per query and mode
  --variants       also run the ranking variants of docs/relevance.md
  -h, --help       show this help
At scale:
  npm run eval -- --corpus ../shared/scale-corpus --set ../shared/eval/scale/known-item.json
  npm run eval -- --corpus ../shared/scale-corpus --set ../shared/eval/scale/every-mention.json`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      set: { type: 'string', default: '../shared/eval/dev-queries.json' },
      queries: { type: 'string' },
      corpus: { type: 'string', default: '../shared/corpus/seeds' },
      index: { type: 'string' },
      variants: { type: 'boolean', default: false },
      'per-query': { type: 'boolean', default: false },
      modes: { type: 'string', default: 'keyword,semantic,hybrid' },
    },
  });
  const setPath = resolve(values.queries ?? values.set!);
  const corpus = resolve(values.corpus!);
  const indexDir = resolve(values.index ?? `data/eval-${basename(corpus)}`);
  const set = JSON.parse(await readFile(setPath, 'utf8')) as { queries?: JudgedQuery[]; phrases?: JudgedTheme[] };
  await buildIndex({ corpusDir: corpus, indexDir, log: (l) => process.stderr.write(`${l}\n`) });
  const index = await loadIndex(indexDir);
  if (set.phrases) {
    process.stdout.write(await mentionsTable(new SearchEngine(index, null), set.phrases, `${basename(setPath)}: ${set.phrases.length} themes; ${index.docs.length} documents (${corpus})`));
    return;
  }
  const queries = judgedQueries(set as { queries: JudgedQuery[] });
  const embedder = await loadIndexEmbedder(index);
  const modes = values.modes!.split(',').map((m) => m.trim()) as SearchMode[];
  const runs = [
    ...modes.map((mode) => ({ name: mode as string, mode, tuning: {} })),
    ...(values.variants ? VARIANTS : []),
  ];
  process.stdout.write(
    `${basename(setPath)}: ${queries.length} queries; ${index.docs.length} documents, ${index.chunks.length} chunks (${corpus}); embedder ${embedder.info.id}; ${new Date().toISOString().slice(0, 10)}\n\n`,
  );
  const rows: EvalRow[] = [await evaluateRanker(referenceRanker(index), queries, REFERENCE_NAME)];
  for (const v of runs) {
    const engine = new SearchEngine(index, embedder, { ...DEFAULT_TUNING, ...v.tuning });
    const t0 = performance.now();
    rows.push(await evaluate(engine, queries, v.mode, v.name));
    process.stderr.write(`${v.name}: ${((performance.now() - t0) / queries.length).toFixed(1)} ms/query\n`);
  }
  process.stdout.write(table(rows, () => true));
  const kinds = [...new Set(queries.map((q) => q.kind))];
  for (const kind of kinds) {
    process.stdout.write(`\n${kind} (${queries.filter((q) => q.kind === kind).length} queries)\n`);
    process.stdout.write(table(rows, (i) => queries[i]!.kind === kind));
  }
  if (values['per-query']) {
    process.stdout.write(`\nrank of the first hit (- = not in 100): ${rows.map((r) => r.name).join(' / ')}\n`);
    queries.forEach((q, i) =>
      process.stdout.write(`${q.id.padEnd(5)} ${q.kind.padEnd(10)} ${rows.map((r) => String(r.perQuery[i]!.rank ?? '-').padStart(3)).join(' ')}  ${q.query}\n`),
    );
  }
  await embedder.dispose();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
