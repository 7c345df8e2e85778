/**
 * npm run search -- "care leavers accommodation" [--mode keyword|semantic|hybrid] [--limit N]
 *   [--council X] [--type T] [--from Y] [--to Y] [--json] [--index DIR]
 * Prints the same cited results as the API, from the saved index.
 */
import type { SearchMode, SearchResponse } from '../core/api-types.ts';
import { AppError } from '../core/errors.ts';
import { config } from '../core/config.ts';
import { parseType, parseYear } from '../core/query.ts';
import { SearchEngine } from '../core/search.ts';
import { SEARCH_MODES } from '../core/search-request.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex, loadIndexEmbedder } from './load-index.ts';

const USAGE = `usage: npm run search -- "WORDS" [--mode hybrid|keyword|semantic] [--limit N] [--council X]
         [--type T] [--from YEAR] [--to YEAR] [--json] [--index DIR]
Searches the saved index and prints cited results (the same as GET /api/search).
  --mode M        hybrid (default), keyword or semantic
  --limit N       results to show, 1-100 (default 10)
  --council X     only this council (repeatable)
  --type T        only this report type (repeatable)
  --from, --to    years
  --json          print the API's JSON answer
  --index DIR     folder of the index (default INDEX_DIR, else ./data)
  -h, --help      show this help`;

async function main(): Promise<void> {
  const { values, positionals } = cliArgs(USAGE, {
    allowPositionals: true,
    options: {
      mode: { type: 'string', default: 'hybrid' },
      limit: { type: 'string', default: '10' },
      council: { type: 'string', multiple: true },
      type: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      index: { type: 'string' },
    },
  });
  const q = positionals.join(' ').trim();
  if (!q) throw new AppError('invalid_parameter', 'Query: give the words to search for, e.g. npm run search -- "care leavers accommodation"');
  const mode = values.mode as SearchMode;
  if (!SEARCH_MODES.includes(mode)) throw new AppError('invalid_parameter', `Query: --mode must be one of ${SEARCH_MODES.join(', ')}`);
  const index = await loadIndex(values.index ?? config().indexDir);
  const embedder = mode === 'keyword' ? null : await loadIndexEmbedder(index);
  const engine = new SearchEngine(index, embedder);
  const res = await engine.search({
    q,
    mode,
    limit: Math.min(100, Math.max(1, Number(values.limit) || 10)),
    filters: {
      council: values.council ?? [],
      type: (values.type ?? []).map((t) => parseType(t, 'type')),
      ...(values.from ? { from: parseYear(values.from, 'from') } : {}),
      ...(values.to ? { to: parseYear(values.to, 'to') } : {}),
    },
  });
  process.stdout.write(values.json ? `${JSON.stringify(res)}\n` : describe(res));
  await embedder?.dispose();
}

function describe(res: SearchResponse): string {
  const plain = (s: string): string => s.replace(/<mark>/g, '\x1b[1m').replace(/<\/mark>/g, '\x1b[22m')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const lines = [`${res.total} results for "${res.query}" (${res.mode}, ${res.tookMs} ms, embedder ${res.embedder.id})`, ''];
  res.results.forEach((r, i) => {
    const how = r.match.keyword && r.match.semantic ? 'words + meaning' : r.match.keyword ? 'words' : 'meaning';
    lines.push(`${i + 1}. ${r.citation}  [${how}]`);
    if (r.section.length > 0) lines.push(`   ${r.section.join(' > ')}`);
    lines.push(`   ${plain(r.snippet).replace(/\s+/g, ' ')}`);
    lines.push(`   ${r.doc.source}${r.page ? ` (page ${r.page})` : ''} -> ${r.url}`, '');
  });
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
