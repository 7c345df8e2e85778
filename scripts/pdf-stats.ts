/**
 * Read every PDF under a folder with ingestPdf and report time, pages and blocks per file and in
 * total; with --dump FILE print the blocks of one PDF (page range, hint, text).
 *   npx tsx scripts/pdf-stats.ts ../shared/bench-corpus
 *   npx tsx scripts/pdf-stats.ts --dump "corpus/ofsted-ilacs/.../x.pdf"
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPdf } from '../indexer/ingest/pdf.ts';
import { cliArgs } from './cli.ts';

function pdfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...pdfFiles(path));
    else if (name.toLowerCase().endsWith('.pdf')) out.push(path);
  }
  return out;
}

async function dump(file: string): Promise<void> {
  const doc = await ingestPdf(new Uint8Array(readFileSync(file)));
  console.log(`# ${file}: ${doc.pages} pages, ${doc.blocks.length} blocks, title ${JSON.stringify(doc.title)}`);
  for (const b of doc.blocks) {
    const pages = b.pageStart === b.pageEnd ? `${b.pageStart}` : `${b.pageStart}-${b.pageEnd}`;
    const hint = `${b.hint ?? ''}${b.level === undefined ? '' : b.level}`;
    console.log(`[${pages}] ${hint.padEnd(10)} ${b.text}`);
  }
}

async function stats(dir: string): Promise<void> {
  let seconds = 0;
  const cpu0 = process.cpuUsage();
  let pages = 0;
  let blocks = 0;
  let failed = 0;
  const files = pdfFiles(dir);
  for (const file of files) {
    const t0 = performance.now();
    try {
      const doc = await ingestPdf(new Uint8Array(readFileSync(file)));
      const dt = (performance.now() - t0) / 1000;
      seconds += dt;
      pages += doc.pages ?? 0;
      blocks += doc.blocks.length;
      const hints = new Map<string, number>();
      for (const b of doc.blocks) hints.set(b.hint ?? '-', (hints.get(b.hint ?? '-') ?? 0) + 1);
      const h = [...hints].map(([k, v]) => `${k}=${v}`).join(' ');
      console.log(`${dt.toFixed(2)}s ${String(doc.pages).padStart(3)}p ${String(doc.blocks.length).padStart(4)}b ${h} ${file}`);
    } catch (err) {
      seconds += (performance.now() - t0) / 1000;
      failed++;
      console.log(`FAILED ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `total ${files.length} files, ${failed} unreadable, ${seconds.toFixed(2)} s wall (${cpuSeconds.toFixed(2)} s CPU), ` +
      `${pages} pages, ${blocks} blocks, ${(seconds / Math.max(1, files.length - failed)).toFixed(3)} s per file`,
  );
}

const USAGE = `usage: npx tsx scripts/pdf-stats.ts [DIR]          time, pages and blocks of every PDF under DIR (default corpus)
       npx tsx scripts/pdf-stats.ts --dump FILE    the blocks of one PDF (page range, hint, text)
  -h, --help   show this help`;
const { values, positionals } = cliArgs(USAGE, { options: { dump: { type: 'string' } }, allowPositionals: true });
if (values.dump) await dump(values.dump);
else await stats(positionals[0] ?? 'corpus');
