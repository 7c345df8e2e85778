/**
 * npm run bench:index: index ../shared/bench-corpus (real Ofsted PDFs) plus corpus/ from scratch,
 * then again with no change; print the figures as a Markdown table (for docs/benchmarks.md).
 * Peak RSS is sampled every 100 ms during the build.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildIndex } from '../indexer/build.ts';
import { machineLine } from './machine.ts';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = resolve(ROOT, 'data', 'bench');

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('usage: npm run bench:index\nIndexes ../shared/bench-corpus plus corpus/ from scratch into data/bench/index, then again (no-op); prints a Markdown table.\n');
    return;
  }
  const corpus = resolve(WORK, 'corpus');
  const index = resolve(WORK, 'index');
  await rm(WORK, { recursive: true, force: true });
  await mkdir(corpus, { recursive: true });
  await cp(resolve(ROOT, '..', 'shared', 'bench-corpus'), resolve(corpus, 'bench'), { recursive: true });
  await cp(resolve(ROOT, 'corpus'), resolve(corpus, 'shipped'), { recursive: true });

  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const full = await buildIndex({ corpusDir: corpus, indexDir: index, progress: { plain: true } });
  const peakFull = Math.max(peak, process.memoryUsage().rss);
  peak = 0;
  const noop = await buildIndex({ corpusDir: corpus, indexDir: index, progress: { plain: true } });
  clearInterval(timer);

  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
  const lines = [
    `Index build, ${machineLine()}`,
    '',
    '| figure | value |',
    '|---|---|',
    `| documents | ${full.documents} (${full.skipped.length} skipped: ${full.skipped.map((s) => `${s.file}: ${s.reason}`).join('; ') || 'none'}) |`,
    `| pages | ${full.pages} |`,
    `| chunks | ${full.chunks} |`,
    `| full build | ${full.seconds.toFixed(1)} s (scan ${full.stages.scan} s, read+chunk ${full.stages.read} s, embed ${full.stages.embed} s, keyword ${full.stages.keyword} s, write ${full.stages.write} s) |`,
    `| chunks embedded per second | ${full.chunksPerSecond} |`,
    `| peak RSS (full build) | ${mb(peakFull)} |`,
    `| index size on disk | ${mb(full.indexBytes)} |`,
    `| no-op re-run | ${noop.seconds.toFixed(2)} s (noop=${noop.noop}) |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exit(1);
});
