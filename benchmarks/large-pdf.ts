/**
 * npm run bench:large-pdf [-- --pages 2000]: index a hand-written PDF of that many pages (each
 * page a different short paragraph, test/helpers/hostile-files.ts) next to one real report, and
 * report time, chunks, peak RSS, and whether a word printed on one page is found and cited with
 * that page. `npm test` runs the same with 300 pages (test/hostile-corpus.test.ts).
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SearchEngine } from '../core/search.ts';
import { loadEmbedder, resolveEmbedderId } from '../embed/registry.ts';
import { buildIndex } from '../indexer/build.ts';
import { loadIndex } from '../server/load-index.ts';
import { reportPages, textPdf } from '../test/helpers/hostile-files.ts';
import { cliArgs } from '../scripts/cli.ts';
import { machineLine } from './machine.ts';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = resolve(ROOT, 'data', 'bench', 'large-pdf');

async function main(): Promise<void> {
  const usage = `usage: npm run bench:large-pdf [-- --pages 2000]
Indexes a generated PDF of that many pages next to one real report and reports time, chunks,
peak RSS and whether a word on one page is found and cited with that page.
  --pages N    pages of the generated PDF (default 2000)
  -h, --help   show this help`;
  const { values } = cliArgs(usage, { options: { pages: { type: 'string', default: '2000' } } });
  const pages = Number(values.pages);
  await rm(WORK, { recursive: true, force: true });
  const corpus = join(WORK, 'corpus');
  await mkdir(corpus, { recursive: true });
  const content = reportPages(pages);
  const pdf = textPdf(content);
  await writeFile(join(corpus, 'large report.pdf'), pdf);
  await copyFile(resolve(ROOT, 'corpus', 'seeds', '004_23e61ca61d325768.txt'), join(corpus, 'seed.txt'));
  const page = Math.floor(pages * 0.83);
  const word = /PG\d+X\d+/.exec(content[page - 1]![1]!)![0];

  const embedder = await loadEmbedder(resolveEmbedderId());
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  const s = await buildIndex({ corpusDir: corpus, indexDir: join(WORK, 'index'), embedder, progress: { plain: true } });
  const ms = performance.now() - t0;
  clearInterval(timer);
  const index = await loadIndex(join(WORK, 'index'));
  const engine = new SearchEngine(index, embedder);
  const r = await engine.search({ q: word, mode: 'keyword' });
  const big = index.docs.find((d) => d.meta.source === 'large report.pdf');
  const paragraph = big ? (await engine.document(big.meta.id)).paragraphs.find((p) => p.text.includes(word)) : undefined;
  await embedder.dispose();
  const ok = big?.meta.pages === pages && r.total === 1 && paragraph?.page === page;
  process.stdout.write([
    `Large PDF, ${machineLine()}: a ${pages}-page PDF (${(pdf.length / 2 ** 20).toFixed(1)} MB, written by hand, one short paragraph a page) plus one 25 KB report.`,
    '',
    `- indexed: ${s.documents} documents, ${s.pages} pages, ${s.chunks} chunks in ${(ms / 1000).toFixed(1)} s (read+chunk ${s.stages.read} s, embed ${s.stages.embed} s at ${s.chunksPerSecond ?? '-'} chunks/s); skipped ${s.skipped.length}`,
    `- peak RSS during the build: ${(peak / 2 ** 20).toFixed(0)} MB`,
    `- "${word}" (printed on page ${page} only): ${r.total} result, chunk cited from page ${r.results[0]?.page ?? '-'}, paragraph on page ${paragraph?.page ?? '-'}: ${ok ? 'correct' : 'WRONG'}`,
  ].join('\n') + '\n');
  if (!ok) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
