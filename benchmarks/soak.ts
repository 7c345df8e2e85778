/**
 * npm run bench:soak [-- --queries 2400 --every 200 --mode hybrid --concurrency 2 --index DIR --corpus DIR]:
 * does the server's memory keep growing? Starts the real server (`node --import tsx
 * server/main.ts`, a separate process, 127.0.0.1, a free port) on an index, sends N queries that
 * are all distinct (benchmarks/queries.ts distinctQueries: no answer or query embedding comes from
 * a cache of an earlier identical query, so the bounded caches fill and then turn over), and
 * samples the server's RSS (/proc/<pid>/status) every `every` queries. Default index: the one of
 * the shipped reports the tests use (test/.tmp/corpus-index, built if needed); the report names
 * the corpus, its size, the machine and the date. Prints Markdown for docs/reliability.md and
 * exits 1 if any request failed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cliArgs } from '../scripts/cli.ts';
import { machineLine } from './machine.ts';
import { distinctQueries } from './queries.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MODES = ['keyword', 'semantic', 'hybrid'] as const;

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of 1 or more (got "${value}")`);
  return n;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;

const USAGE = `usage: npm run bench:soak [-- --queries N --every N --mode keyword|semantic|hybrid --concurrency N --index DIR --corpus DIR]
Starts the real server on an index (default: the shipped reports' test index), sends N distinct
queries and samples the server's RSS every --every queries; prints Markdown for docs/reliability.md.
  -h, --help       show this help`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      queries: { type: 'string', default: '2400' },
      every: { type: 'string', default: '200' },
      mode: { type: 'string', default: 'hybrid' },
      concurrency: { type: 'string', default: '2' },
      index: { type: 'string' },
      corpus: { type: 'string' },
    },
  });
  const total = positive('queries', values.queries!);
  const every = positive('every', values.every!);
  const concurrency = positive('concurrency', values.concurrency!);
  const mode = values.mode as (typeof MODES)[number];
  if (!MODES.includes(mode)) throw new Error(`--mode must be one of ${MODES.join(', ')} (got "${values.mode}")`);
  if ((values.index === undefined) !== (values.corpus === undefined)) throw new Error('--index and --corpus go together (the server serves files from the corpus)');

  let indexDir: string;
  let corpusDir: string;
  let label: string;
  if (values.index && values.corpus) {
    indexDir = resolve(values.index);
    corpusDir = resolve(values.corpus);
    if (!existsSync(join(indexDir, 'manifest.json'))) throw new Error(`--index ${indexDir}: no manifest.json there (build it with npm run index)`);
    label = `index ${values.index} (corpus ${values.corpus})`;
  } else {
    const { ensureCorpusIndex, CORPUS_DIR } = await import('../test/helpers/corpus-index.ts');
    process.stderr.write('soak: building or confirming the index of the shipped reports (test/.tmp/corpus-index)\n');
    indexDir = await ensureCorpusIndex();
    corpusDir = CORPUS_DIR;
    label = 'the shipped reports (corpus/ as git lists it, copied to test/.tmp/corpus)';
  }
  const manifest = JSON.parse(await readFile(join(indexDir, 'manifest.json'), 'utf8')) as { counts: { documents: number; chunks: number } };

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: corpusDir, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  let errors = '';
  const url = await new Promise<string>((ok, fail) => {
    // Read everything the server prints (one line per request), or its pipe would fill and stall it.
    child.stdout.on('data', (d: Buffer) => {
      if (head.length < 10_000) head += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(head);
      if (m) ok(m[1]!);
    });
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before listening: ${errors.slice(0, 2000)}`)));
  });
  const pid = child.pid!;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  try {
    const nextQuery = distinctQueries();
    const samples: Array<{ queries: number; rss: number; seconds: number }> = [{ queries: 0, rss: await rssOf(pid), seconds: 0 }];
    process.stderr.write(`soak: server ${url} (pid ${pid}), ${manifest.counts.documents} documents, ${manifest.counts.chunks} chunks, RSS ${mb(samples[0]!.rss)}; ${total} distinct ${mode} queries\n`);
    const t0 = performance.now();
    let sent = 0;
    let failed = 0;
    let firstFailure = '';
    while (sent < total) {
      const batch = Math.min(every, total - sent);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < batch) {
          next++;
          const q = nextQuery();
          const res = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=10`).catch((err: Error) => err);
          if (res instanceof Error || res.status !== 200) {
            failed++;
            firstFailure ||= `${q}: ${res instanceof Error ? res.message : `${res.status} ${await res.text()}`}`;
          } else {
            await res.arrayBuffer();
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      sent += batch;
      samples.push({ queries: sent, rss: await rssOf(pid), seconds: (performance.now() - t0) / 1000 });
      process.stderr.write(`soak: ${sent}/${total} queries, RSS ${mb(samples[samples.length - 1]!.rss)}\n`);
    }

    const warm = samples[1]!;
    const later = samples.slice(1);
    const peak = later.reduce((a, b) => (b.rss > a.rss ? b : a));
    const end = samples[samples.length - 1]!;
    const lines = [
      `RSS soak, ${machineLine()}; ${label}: ${manifest.counts.documents} documents, ${manifest.counts.chunks} chunks.`,
      `Server: \`node --import tsx server/main.ts\` on 127.0.0.1 (request log to a pipe); ${total} distinct ${mode} searches (limit 10), ${concurrency} at a time, RSS sampled every ${every}.`,
      '',
      '| queries done | seconds | server RSS |',
      '|---|---|---|',
      ...samples.map((s) => `| ${s.queries} | ${s.seconds.toFixed(1)} | ${mb(s.rss)} |`),
      '',
      `- failed requests: ${failed}${firstFailure ? ` (first: ${firstFailure.slice(0, 300)})` : ''}`,
      `- RSS ${mb(samples[0]!.rss)} at start, ${mb(warm.rss)} after the first ${warm.queries} queries, peak ${mb(peak.rss)} after ${peak.queries}, ${mb(end.rss)} at the end: ${(((end.rss - warm.rss) / warm.rss) * 100).toFixed(1)} % from the first sample to the last`,
      `- ${(total / end.seconds).toFixed(1)} queries/s over the run`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
