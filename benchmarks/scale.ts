/**
 * npm run bench [-- options]          the scale corpus (../shared/scale-corpus, 435 reports)
 * npm run bench:scale10 [-- options]  ten times it: every chunk replicated under other ids
 *
 * One run measures, on this machine, with its date and load:
 * - index: full build per stage and peak RSS (only with --full-build: 6+ minutes; else the last
 *   recorded figure is quoted, labelled), no-op re-index and one-file-added re-index (wall time
 *   of `node indexer/cli.ts` as a child process, its peak RSS); at 10x the replication instead
 *   of a build (benchmarks/replicate.ts, vectors reused, keyword part rebuilt).
 * - start-up from process spawn to the first answer: `npm start` with the index up to date, and
 *   the compiled server alone (`node dist/server/main.js`, scripts/server-build.mjs; compiled
 *   beforehand when not current, untimed, as npm start would), once per server process below.
 *   `--start-only` takes the start-up figures alone, `--start-runs N` times each.
 * - latency over real HTTP against a server process the benchmark spawns, one fresh process per
 *   endpoint (keyword search, hybrid search, every mention): four lists of distinct queries
 *   each (short sequential, natural-language sequential, short at N concurrent clients,
 *   natural-language at N concurrent clients; benchmarks/scale-queries.ts), so no process ever
 *   sees a query twice; p50/p95/p99/max, throughput, errors.
 * - server RSS (VmRSS, VmHWM from /proc/<pid>/status) after 1 000 queries.
 * - the reference BM25 (benchmarks/reference-bm25.ts) on the same chunks and the same queries,
 *   timed in-process, beside our keyword search timed in-process and over HTTP: ratios.
 * - at 10x: every-mention counts of check queries, exactly ten times those of the single corpus,
 *   and keyword totals equal to them (a total counts near-identical passages once).
 * Prints Markdown on stdout, progress with counts and ETA on stderr; writes the figures to
 * data/bench/scale-results.json (scale10-results.json at 10x) and, with --docs, into
 * docs/benchmarks.md. No warm-cache figures are taken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { loadavg, uptime } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { SearchResponse, MentionsResponse } from '../core/api-types.ts';
import { SearchEngine } from '../core/search.ts';
import { progressBar } from '../indexer/progress.ts';
import { walkCorpus } from '../indexer/walk.ts';
import { loadIndex } from '../server/load-index.ts';
import { webBuildIsCurrent } from '../scripts/web-build.ts';
import { buildServer, serverBuildIsCurrent, serverBundle } from '../scripts/server-build.mjs';
import { machineLine, percentile } from './machine.ts';
import { ReferenceBm25 } from './reference-bm25.ts';
import { replicaCorpus } from './replicate.ts';
import { COUNT_CHECK_QUERIES } from './queries.ts';
import { querySets, type QuerySets } from './scale-queries.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BENCH_DIR = resolve(ROOT, 'data', 'bench');
const TSX = ['--import', 'tsx'];
const PEAK = ['--import', './benchmarks/peak-rss.ts'];
/** server/main.ts warms itself with this query before it listens: never used as a measured query. */
const SERVER_WARMUP = 'care leavers accommodation';
/** The first query each process answers (the start-up figure); never used as a measured query. */
const PROBES = { keyword: 'quality of supervision first answer', hybrid: 'how well are children helped at the front door', mentions: 'first answer management oversight' };
const NPM_START_PROBE = 'npm start first answer placement stability';
/** Last full build of the scale corpus (quoted when --full-build is not given). */
const LAST_FULL_BUILD = {
  when: '2026-11-24 21:04 UTC, load average 2.9-5.1, embedding in worker threads beside the reading (read = the reading, with embedding alongside; embed = what was left after it)',
  seconds: 328.6,
  documents: 435,
  stages: { scan: 0.2, read: 179.2, embed: 138.4, keyword: 9.6, write: 0.5 },
  chunksPerSecond: 127,
  peakRssMB: 1371 as number | null,
};
const TARGETS = {
  1: { keywordP95: 15, hybridP95: 50, startS: 2, rssMB: 1000, buildS: 360, buildRssMB: 1536 },
  10: { keywordP95: 50, hybridP95: 150, startS: 5, rssMB: 4096, buildS: null, buildRssMB: null },
} as const;

type Endpoint = 'keyword' | 'hybrid' | 'mentions';

const USAGE = `usage: npm run bench -- [options]          (the scale corpus)
       npm run bench:scale10 -- [options]  (= --copies 10: the scale index replicated ten times)

  --corpus DIR        corpus folder (default ../shared/scale-corpus)
  --index DIR         its index (default data/scale; built if missing, else reused and brought
                      up to date by the indexer)
  --copies N          replicate the index N times (default 1; 10 for bench:scale10) into
                      data/scale<N> with a corpus of hard links data/scale<N>-corpus
  --queries N         distinct queries per list (default 300; 4 lists per server process)
  --concurrency N     concurrent clients for the concurrent lists (default 8)
  --endpoints LIST    keyword,hybrid,mentions (default all three)
  --full-build        also time a full build of the corpus from nothing (6+ minutes at 1x)
  --no-reindex        skip the no-op and one-file-added re-index figures
  --no-start          skip the \`npm start\` start-up figure
  --start-only        only the start-up figures (npm start, and the server alone once per
                      endpoint: spawn to first answer, RSS then); no re-index, no latency lists
  --start-runs N      with --start-only: start each N times (default 3; median and every run)
  --no-reference      skip the in-process reference BM25 and in-process keyword timing
  --fresh-replica     at --copies > 1, replicate again even when an up-to-date replica exists
                      (so the replication is timed in this run)
  --max-set-seconds S stop sending a list after S seconds (default 0: no limit; the report
                      says how many of its queries were sent)
  --docs              write the results into docs/benchmarks.md (the section of this corpus size)
  --out FILE          JSON results (default data/bench/scale-results.json or scale<N>-results.json)
  -h, --help          this text
`;

interface Options {
  corpus: string;
  index: string;
  copies: number;
  perSet: number;
  concurrency: number;
  endpoints: Endpoint[];
  fullBuild: boolean;
  reindex: boolean;
  start: boolean;
  startOnly: boolean;
  startRuns: number;
  reference: boolean;
  freshReplica: boolean;
  maxSetSeconds: number;
  docs: boolean;
  out: string;
}

function options(): Options | null {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      copies: { type: 'string', default: '1' },
      queries: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '8' },
      endpoints: { type: 'string', default: 'keyword,hybrid,mentions' },
      'full-build': { type: 'boolean', default: false },
      'no-reindex': { type: 'boolean', default: false },
      'no-start': { type: 'boolean', default: false },
      'start-only': { type: 'boolean', default: false },
      'start-runs': { type: 'string', default: '3' },
      'no-reference': { type: 'boolean', default: false },
      'fresh-replica': { type: 'boolean', default: false },
      'max-set-seconds': { type: 'string', default: '0' },
      docs: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return null;
  }
  const copies = Number(values.copies);
  const endpoints = values.endpoints.split(',').map((s) => s.trim()) as Endpoint[];
  for (const e of endpoints) if (!['keyword', 'hybrid', 'mentions'].includes(e)) throw new Error(`--endpoints: unknown "${e}"`);
  if (!Number.isInteger(copies) || copies < 1) throw new Error('--copies must be a whole number >= 1');
  return {
    corpus: resolve(values.corpus ?? resolve(ROOT, '..', 'shared', 'scale-corpus')),
    index: resolve(values.index ?? resolve(ROOT, 'data', 'scale')),
    copies,
    perSet: Number(values.queries),
    concurrency: Number(values.concurrency),
    endpoints,
    fullBuild: values['full-build'],
    reindex: !values['no-reindex'],
    start: !values['no-start'],
    startOnly: values['start-only'],
    startRuns: values['start-only'] ? Math.max(1, Number(values['start-runs'])) : 1,
    reference: !values['no-reference'],
    freshReplica: values['fresh-replica'],
    maxSetSeconds: Number(values['max-set-seconds']),
    docs: values.docs,
    out: resolve(values.out ?? join(BENCH_DIR, copies === 1 ? 'scale-results.json' : `scale${copies}-results.json`)),
  };
}

const say = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
const mb = (kb: number | null | undefined): string => (kb == null ? 'n/a' : `${Math.round(kb / 1024)} MB`);
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------- machine load

const loadSamples: number[] = [];
function sampleLoad(): NodeJS.Timeout {
  loadSamples.push(loadavg()[0]!);
  const t = setInterval(() => loadSamples.push(loadavg()[0]!), 5000);
  t.unref();
  return t;
}

function loadSummary(): { min: number; mean: number; max: number; samples: number } {
  const s = loadSamples.length ? loadSamples : [loadavg()[0]!];
  return { min: Math.min(...s), mean: s.reduce((a, b) => a + b, 0) / s.length, max: Math.max(...s), samples: s.length };
}

function uptimeLine(): string {
  const [a, b, c] = loadavg();
  return `up ${(uptime() / 3600).toFixed(1)} h, load average: ${a!.toFixed(2)}, ${b!.toFixed(2)}, ${c!.toFixed(2)}`;
}

// ---------------------------------------------------------------- child processes

interface ChildRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssKB: number | null;
}

/** Run node with tsx (and the peak-RSS hook) on a script; stderr is passed through, prefixed. */
function runNode(script: string, args: string[], prefix: string, nodeArgs: string[] = []): Promise<ChildRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...TSX, ...PEAK, script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    const lines = (partial + d.toString()).split(/\r|\n/);
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.trim() && !l.startsWith('peak-rss-kb:')) process.stderr.write(`${prefix}: ${l}\n`);
  });
  return new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('close', (code) => {
      const ms = performance.now() - t0;
      const m = /peak-rss-kb: (\d+)/.exec(stderr);
      ok({ ms, code, stdout, stderr, peakRssKB: m ? Number(m[1]) : null });
    });
  });
}

interface IndexerSummary {
  noop: boolean;
  documents: number;
  chunks: number;
  added: number;
  changed: number;
  removed: number;
  embedded: number;
  seconds: number;
  stages: Record<string, number>;
  chunksPerSecond: number | null;
}

interface IndexRun {
  what: string;
  wallMs: number;
  peakRssKB: number | null;
  summary: IndexerSummary;
  /** Node options the indexer ran with, when not the defaults. */
  nodeArgs?: string[];
  /** Earlier attempts that failed (e.g. out of memory at the default heap), with their figures. */
  failures?: Array<{ nodeArgs: string[]; wallMs: number; peakRssKB: number | null; error: string }>;
}

class IndexerFailed extends Error {
  constructor(readonly run: ChildRun, readonly nodeArgs: string[]) {
    const oom = /heap out of memory/.test(run.stderr);
    super(oom ? `JavaScript heap out of memory after ${sec(run.ms)} (${nodeArgs.join(' ') || 'default heap limit'})` : `indexer exited with ${run.code}: ${run.stderr.slice(-1500)}`);
  }
  get oom(): boolean {
    return /heap out of memory/.test(this.run.stderr);
  }
}

async function runIndexer(what: string, corpus: string, index: string, nodeArgs: string[] = []): Promise<IndexRun> {
  say(`${what}: node ${nodeArgs.join(' ')} indexer/cli.ts --corpus ${corpus} --index ${index}`.replace('node  ', 'node '));
  const r = await runNode('indexer/cli.ts', ['--corpus', corpus, '--index', index, '--json'], 'index', nodeArgs);
  if (r.code !== 0) throw new IndexerFailed(r, nodeArgs);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as IndexerSummary;
  say(`${what}: ${sec(r.ms)} wall (indexer's own ${summary.seconds} s), peak RSS ${mb(r.peakRssKB)}, noop=${summary.noop}`);
  return { what, wallMs: r.ms, peakRssKB: r.peakRssKB, summary, ...(nodeArgs.length ? { nodeArgs } : {}) };
}

/** A bigger heap for an indexer run that ran out of memory at the default one (it is said so in the report). */
const BIG_HEAP = ['--max-old-space-size=16384'];

/** Run the indexer; when it runs out of memory at the default heap, record that and try once more with BIG_HEAP. */
async function runIndexerOrRetry(what: string, corpus: string, index: string, beforeRetry: () => Promise<void>): Promise<IndexRun> {
  try {
    return await runIndexer(what, corpus, index);
  } catch (err) {
    if (!(err instanceof IndexerFailed) || !err.oom) throw err;
    say(`${what}: ${err.message}; recorded, and retried with ${BIG_HEAP.join(' ')}`);
    await beforeRetry();
    const r = await runIndexer(what, corpus, index, BIG_HEAP);
    return { ...r, failures: [{ nodeArgs: [], wallMs: err.run.ms, peakRssKB: err.run.peakRssKB, error: err.message }] };
  }
}

interface ProcStatus {
  rssKB: number;
  hwmKB: number;
}

function procStatus(pid: number): ProcStatus | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rssKB: Number(/VmRSS:\s+(\d+)/.exec(s)![1]), hwmKB: Number(/VmHWM:\s+(\d+)/.exec(s)![1]) };
  } catch {
    return null;
  }
}

interface Server {
  child: ChildProcess;
  url: string;
  /** ms from spawn to the "listening" line. */
  listeningMs: number;
  t0: number;
  /** What it printed up to the "listening" line. */
  head: string;
  stop(): Promise<void>;
}

/**
 * Spawn a server and wait for its "listening on" line (PORT=0: the system picks the port). Its
 * stdout (one line per request) is drained and dropped. `npm` runs `npm start` in its own process
 * group (stopped as a group); otherwise the compiled server alone, `node dist/server/main.js`.
 */
function spawnServer(kind: 'server' | 'npm', indexDir: string, corpusDir: string): Promise<Server> {
  const env = { ...process.env, INDEX_DIR: indexDir, CORPUS_DIR: corpusDir, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT: '0' };
  const t0 = performance.now();
  const child = kind === 'npm'
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(process.execPath, [serverBundle(ROOT, 'main')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let head = '';
  let errors = '';
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (kind === 'npm') process.kill(-child.pid!, 'SIGTERM');
    else child.kill('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) {
      if (kind === 'npm') process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
      await exited;
    }
  };
  return new Promise((ok, fail) => {
    let done = false;
    child.stdout!.on('data', (d: Buffer) => {
      if (done) return;
      head += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(head);
      if (m) {
        done = true;
        ok({ child, url: m[1]!, listeningMs: performance.now() - t0, t0, head, stop });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
    child.once('exit', (code) => {
      if (!done) fail(new Error(`server exited (${code}) before listening: ${(head + errors).slice(-3000)}`));
    });
  });
}

// ---------------------------------------------------------------- HTTP

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function pathFor(endpoint: Endpoint, q: string): string {
  const e = encodeURIComponent(q);
  if (endpoint === 'mentions') return `/api/mentions?q=${e}&limit=10`;
  return `/api/search?q=${e}&mode=${endpoint}&limit=10`;
}

interface Answer {
  status: number;
  ms: number;
  body: unknown;
}

/** One GET as a browser sends it (gzip accepted); timed to the last byte, decoded after. */
function request(base: string, path: string): Promise<Answer> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const req = get(`${base}${path}`, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const ms = performance.now() - t0;
        let buf = Buffer.concat(parts);
        if (res.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf);
        let body: unknown = null;
        try {
          body = JSON.parse(buf.toString('utf8'));
        } catch {
          body = buf.toString('utf8').slice(0, 200);
        }
        ok({ status: res.statusCode ?? 0, ms, body });
      });
      res.on('error', fail);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout after 120 s')));
    req.on('error', fail);
  });
}

interface Latency {
  endpoint: Endpoint;
  kind: 'short' | 'natural';
  clients: number;
  planned: number;
  sent: number;
  errors: number;
  firstError: string | null;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  qps: number;
  /** Search total (or mention paragraphs) was > 0 for this share of the queries. */
  answered: number;
}

/** Send each query once, with `clients` requests in flight; every latency recorded. */
async function runList(
  base: string, endpoint: Endpoint, kind: 'short' | 'natural', queries: string[], clients: number, maxSeconds: number, onAnswer: () => void,
): Promise<Latency> {
  const times: number[] = [];
  let next = 0;
  let sent = 0;
  let errors = 0;
  let nonEmpty = 0;
  let firstError: string | null = null;
  const bar = progressBar(`${endpoint} ${kind} x${clients}`.slice(0, 22), queries.length, { plain: true });
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      if (maxSeconds > 0 && performance.now() - t0 > maxSeconds * 1000) return;
      const q = queries[next++]!;
      sent++;
      try {
        const a = await request(base, pathFor(endpoint, q));
        times.push(a.ms);
        if (a.status !== 200) {
          errors++;
          firstError ??= `${a.status} for "${q}": ${JSON.stringify(a.body).slice(0, 200)}`;
        } else if (((a.body as { total?: number }).total ?? 0) > 0) nonEmpty++;
      } catch (err) {
        errors++;
        firstError ??= `"${q}": ${(err as Error).message}`;
      }
      onAnswer();
      bar.tick(1, `p50 so far ${percentile([...times].sort((a, b) => a - b), 50).toFixed(1)} ms`);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const wall = (performance.now() - t0) / 1000;
  bar.done();
  times.sort((a, b) => a - b);
  return {
    endpoint, kind, clients, planned: queries.length, sent, errors, firstError,
    p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times[times.length - 1] ?? 0,
    mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    qps: times.length / wall,
    answered: nonEmpty / Math.max(1, times.length),
  };
}

// ---------------------------------------------------------------- one server process per endpoint

interface Session {
  endpoint: Endpoint;
  pid: number;
  listeningMs: number;
  firstAnswerMs: number;
  rssAtStart: ProcStatus | null;
  rssAfter: { queries: number; status: ProcStatus | null };
  rssEnd: { queries: number; status: ProcStatus | null };
  lists: Latency[];
  checks: Array<{ q: string; total: number; occurrences?: number }>;
}

async function serverSession(endpoint: Endpoint, indexDir: string, corpusDir: string, sets: QuerySets, o: Options): Promise<Session> {
  say(`${endpoint}: spawning node dist/server/main.js (a fresh process: it has seen no query)`);
  const server = await spawnServer('server', indexDir, corpusDir);
  const pid = server.child.pid!;
  try {
    const probe = await request(server.url, pathFor(endpoint, PROBES[endpoint]));
    if (probe.status !== 200) throw new Error(`first query answered ${probe.status}: ${JSON.stringify(probe.body).slice(0, 300)}`);
    const firstAnswerMs = performance.now() - server.t0;
    const rssAtStart = procStatus(pid);
    say(`${endpoint}: listening after ${sec(server.listeningMs)}, first answer after ${sec(firstAnswerMs)} (spawn to answer), RSS ${mb(rssAtStart?.rssKB)}`);
    let served = 1;
    let rssAfter: Session['rssAfter'] = { queries: 0, status: null };
    const onAnswer = (): void => {
      served++;
      if (served === 1000) rssAfter = { queries: served, status: procStatus(pid) };
    };
    const lists: Latency[] = [];
    const plan: Array<[('short' | 'natural'), string[], number]> = [
      ['short', sets.short[0]!, 1], ['natural', sets.natural[0]!, 1],
      ['short', sets.short[1]!, o.concurrency], ['natural', sets.natural[1]!, o.concurrency],
    ];
    for (const [kind, queries, clients] of plan) {
      const r = await runList(server.url, endpoint, kind, queries, clients, o.maxSetSeconds, onAnswer);
      lists.push(r);
      say(`${endpoint} ${kind} x${clients}: ${r.sent} queries, p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors`);
    }
    const rssEnd = { queries: served, status: procStatus(pid) };
    if (rssAfter.status === null) rssAfter = rssEnd;
    // Counts of the check queries (after the measured lists: they take no part in the figures).
    const checks: Session['checks'] = [];
    if (endpoint !== 'hybrid') {
      for (const q of COUNT_CHECK_QUERIES) {
        const a = await request(server.url, pathFor(endpoint, q));
        const b = a.body as SearchResponse & MentionsResponse;
        checks.push(endpoint === 'mentions' ? { q, total: b.total, occurrences: b.occurrences } : { q, total: b.total });
      }
    }
    return { endpoint, pid, listeningMs: server.listeningMs, firstAnswerMs, rssAtStart, rssAfter, rssEnd, lists, checks };
  } finally {
    await server.stop();
  }
}

/** `npm start` with the index up to date: spawn to the first (hybrid) answer. */
async function npmStart(indexDir: string, corpusDir: string): Promise<{ listeningMs: number; firstAnswerMs: number; upToDate: boolean }> {
  say('npm start: spawning (index up to date, web UI already built)');
  const server = await spawnServer('npm', indexDir, corpusDir);
  try {
    const probe = await request(server.url, pathFor('hybrid', NPM_START_PROBE));
    if (probe.status !== 200) throw new Error(`npm start: first query answered ${probe.status}`);
    const firstAnswerMs = performance.now() - server.t0;
    say(`npm start: listening after ${sec(server.listeningMs)}, first answer after ${sec(firstAnswerMs)}`);
    const upToDate = /index: up to date/.test(server.head);
    if (!upToDate) say(`npm start: the index was NOT up to date (it printed: ${server.head.slice(0, 300)})`);
    return { listeningMs: server.listeningMs, firstAnswerMs, upToDate };
  } finally {
    await server.stop();
  }
}

/** `npm start` builds the web UI when it is missing or stale; do that beforehand, untimed. */
async function ensureWebBuilt(): Promise<void> {
  if (await webBuildIsCurrent(ROOT)) return;
  say('building the web UI first (vite build; not timed) so that npm start does not');
  const r = await new Promise<number | null>((ok) => {
    const c = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    c.once('close', ok);
  });
  if (r !== 0) throw new Error('vite build failed');
}

/** The compiled server (dist/server) is built when not current, untimed, as npm start would build it. */
async function ensureServerBuilt(): Promise<void> {
  if (await serverBuildIsCurrent(ROOT)) return;
  say('compiling the server first (esbuild, dist/server; not timed) so that npm start does not');
  await buildServer(ROOT);
}

// ---------------------------------------------------------------- start-up only

interface StartRun {
  firstAnswerMs: number;
  listeningMs: number;
  /** The server's own "ready in N ms" (index load, model load, warm-up query). */
  readyMs: number | null;
  status: ProcStatus | null;
}

/** --start-only: npm start and the compiled server alone, each started o.startRuns times; spawn to first answer. */
async function startOnlyRun(o: Options, indexDir: string, corpusDir: string, run: { t0: number; uptimeStart: string; replication: Results['replication'] }): Promise<void> {
  const sampler = sampleLoad();
  const up = await runIndexer('index up to date?', corpusDir, indexDir);
  if (!up.summary.noop) say('index updated (not timed)');
  await ensureWebBuilt();
  await ensureServerBuilt();
  const manifest = JSON.parse(await readFile(join(indexDir, 'manifest.json'), 'utf8')) as { buildId: string; format: number; counts: { documents: number; chunks: number } };
  const once = async (kind: 'npm' | 'server', endpoint: Endpoint, probe: string): Promise<StartRun> => {
    const server = await spawnServer(kind, indexDir, corpusDir);
    try {
      const a = await request(server.url, pathFor(endpoint, probe));
      if (a.status !== 200) throw new Error(`first query answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);
      const firstAnswerMs = performance.now() - server.t0;
      const status = kind === 'server' ? procStatus(server.child.pid!) : null;
      const ready = /ready in (\d+) ms/.exec(server.head);
      if (kind === 'npm' && !/index: up to date/.test(server.head)) throw new Error(`npm start: the index was not up to date: ${server.head.slice(0, 300)}`);
      say(`${kind === 'npm' ? 'npm start' : `server (${endpoint})`}: listening after ${sec(server.listeningMs)}, first answer after ${sec(firstAnswerMs)}${status ? `, VmRSS ${mb(status.rssKB)}, VmHWM ${mb(status.hwmKB)}` : ''}`);
      return { firstAnswerMs, listeningMs: server.listeningMs, readyMs: ready ? Number(ready[1]) : null, status };
    } finally {
      await server.stop();
    }
  };
  const rows: Array<{ what: string; runs: StartRun[] }> = [];
  if (o.start) {
    const runs: StartRun[] = [];
    for (let i = 0; i < o.startRuns; i++) runs.push(await once('npm', 'hybrid', `${NPM_START_PROBE} ${i + 1}`));
    rows.push({ what: '`npm start`, index up to date, spawn -> first answer (hybrid)', runs });
  }
  for (const e of o.endpoints) {
    const runs: StartRun[] = [];
    for (let i = 0; i < o.startRuns; i++) runs.push(await once('server', e, `${PROBES[e]} ${i + 1}`));
    rows.push({ what: `\`node dist/server/main.js\` (compiled), spawn -> first ${e} answer`, runs });
  }
  clearInterval(sampler);
  const target = TARGETS[o.copies === 10 ? 10 : 1];
  const load = loadSummary();
  const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
  const L: string[] = [];
  L.push(`### Start-up, ${o.copies === 1 ? 'scale corpus' : `${o.copies} times the scale corpus`}: ${manifest.counts.documents} documents, ${manifest.counts.chunks} chunks (\`npm run ${o.copies === 10 ? 'bench:scale10' : 'bench'} -- --start-only\`)`, '');
  L.push(`- Run: ${new Date().toISOString()}, ${machineLine()}; ${((performance.now() - run.t0) / 60000).toFixed(1)} min.`);
  L.push(`- Machine load (shared: other engineers' jobs run on the same 2 cores): \`uptime\` at start "${run.uptimeStart}", at end "${uptimeLine()}"; 1-min load average sampled every 5 s: min ${load.min.toFixed(2)}, mean ${load.mean.toFixed(2)}, max ${load.max.toFixed(2)}. Times taken under this load are upper bounds.`);
  L.push(`- Index: \`${indexDir.startsWith(ROOT) ? indexDir.slice(ROOT.length + 1) : indexDir}\`, format ${manifest.format}, build ${manifest.buildId}; corpus \`${corpusDir.startsWith(ROOT) ? corpusDir.slice(ROOT.length + 1) : corpusDir.replace(resolve(ROOT, '..'), '..')}\`. Each start is a fresh process, timed from spawn to the first answer of a query it has not seen; ${o.startRuns} starts each.`);
  L.push('', '| start | median s | every run s (listening / first answer) | server "ready in" ms | RSS at first answer (VmRSS / VmHWM) | target | met |', '|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const m = median(r.runs.map((x) => x.firstAnswerMs)) / 1000;
    const rss = r.runs.filter((x) => x.status).map((x) => `${mb(x.status!.rssKB)} / ${mb(x.status!.hwmKB)}`).join(', ') || 'n/a';
    L.push(`| ${r.what} | ${m.toFixed(2)} | ${r.runs.map((x) => `${(x.listeningMs / 1000).toFixed(2)} / ${(x.firstAnswerMs / 1000).toFixed(2)}`).join('; ')} | ${r.runs.map((x) => x.readyMs ?? 'n/a').join(', ')} | ${rss} | <= ${target.startS} s | ${m <= target.startS ? 'yes' : '**NO**'} |`);
  }
  const md = `${L.join('\n')}\n`;
  process.stdout.write(md);
  const out = o.out.replace(/-results\.json$/, '-start-results.json');
  await mkdir(resolve(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), machine: machineLine(), load, index: indexDir, manifest, rows, replication: run.replication, targets: target }, null, 1)}\n`);
  say(`results in ${out}`);
  if (o.docs) await writeDocs(md, o.copies, '-start');
  agent.destroy();
}

// ---------------------------------------------------------------- re-index

async function oneFileAdded(corpusDir: string, indexDir: string, what: string, from: string, as: string): Promise<IndexRun & { file: string }> {
  const tmp = join(BENCH_DIR, 'tmp-added');
  await rm(tmp, { recursive: true, force: true });
  say(`${what}: laying out the corpus (hard links) + 1 file, copying the index (not timed)`);
  await replicaCorpus(corpusDir, join(tmp, 'corpus'), 1);
  await mkdir(join(tmp, 'corpus', 'added'), { recursive: true });
  await copyFile(from, join(tmp, 'corpus', 'added', as));
  await cp(indexDir, join(tmp, 'index'), { recursive: true });
  try {
    const fresh = async (): Promise<void> => {
      await rm(join(tmp, 'index'), { recursive: true, force: true });
      await cp(indexDir, join(tmp, 'index'), { recursive: true });
    };
    const r = await runIndexerOrRetry(what, join(tmp, 'corpus'), join(tmp, 'index'), fresh);
    if (r.summary.added !== 1) throw new Error(`${what}: the indexer saw ${r.summary.added} added files, not 1`);
    return { ...r, file: `added/${as} (from ${from.startsWith(ROOT) ? from.slice(ROOT.length + 1) : from})` };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- in-process reference

interface Timing {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  n: number;
}

function timing(times: number[]): Timing {
  const t = [...times].sort((a, b) => a - b);
  return { p50: percentile(t, 50), p95: percentile(t, 95), p99: percentile(t, 99), max: t[t.length - 1] ?? 0, mean: t.reduce((a, b) => a + b, 0) / Math.max(1, t.length), n: t.length };
}

interface Reference {
  buildMs: number;
  loadMs: number;
  reference: { short: Timing; natural: Timing };
  ours: { short: Timing; natural: Timing };
}

async function inProcess(indexDir: string, sets: QuerySets): Promise<Reference> {
  say('in-process: loading the index into this process (for the reference BM25 and our keyword search)');
  const t0 = performance.now();
  const index = await loadIndex(indexDir);
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  const bm25 = new ReferenceBm25(index.chunks.map((c) => c.text));
  const buildMs = performance.now() - t1;
  say(`in-process: index loaded in ${sec(loadMs)}, reference BM25 built over ${index.chunks.length} chunks in ${sec(buildMs)}`);
  // A fresh engine: its caches have seen none of these queries (no embedder: keyword only).
  const engine = new SearchEngine(index, null);
  const out: Reference = { buildMs, loadMs, reference: {} as Reference['reference'], ours: {} as Reference['ours'] };
  for (const kind of ['short', 'natural'] as const) {
    const queries = kind === 'short' ? sets.short[0]! : sets.natural[0]!;
    const bar = progressBar(`in-process ${kind}`, queries.length * 2, { plain: true });
    const ref: number[] = [];
    const ours: number[] = [];
    for (const q of queries) {
      const a = performance.now();
      bm25.search(q, 10);
      ref.push(performance.now() - a);
      bar.tick();
      const b = performance.now();
      await engine.search({ q, mode: 'keyword', limit: 10 });
      ours.push(performance.now() - b);
      bar.tick();
    }
    bar.done();
    out.reference[kind] = timing(ref);
    out.ours[kind] = timing(ours);
  }
  return out;
}

/** Every-mention counts and keyword totals of the check queries on an index, in-process. */
async function expectedCounts(index: Awaited<ReturnType<typeof loadIndex>>): Promise<Array<{ q: string; mentions: number; occurrences: number; keyword: number }>> {
  const engine = new SearchEngine(index, null);
  const out = [];
  for (const q of COUNT_CHECK_QUERIES) {
    const m = await engine.mentions({ q, limit: 1 });
    const k = await engine.search({ q, mode: 'keyword', limit: 1 });
    out.push({ q, mentions: m.total, occurrences: m.occurrences, keyword: k.total });
  }
  return out;
}

// ---------------------------------------------------------------- report

interface Results {
  title: string;
  date: string;
  machine: string;
  uptimeStart: string;
  uptimeEnd: string;
  load: ReturnType<typeof loadSummary>;
  corpus: { dir: string; files: number; documents: number; chunks: number; buildId: string; copies: number };
  queries: { perList: number; listsPerServer: number; seed: number; concurrency: number; examples: { short: string[]; natural: string[] } };
  fullBuild: (IndexRun & { measured: true }) | (typeof LAST_FULL_BUILD & { measured: false }) | null;
  replication: Record<string, unknown> | null;
  noop: IndexRun | null;
  added: Array<IndexRun & { file: string }>;
  npmStart: Awaited<ReturnType<typeof npmStart>> | null;
  sessions: Session[];
  reference: Reference | null;
  counts: { factor: number; rows: Array<{ q: string; expected: { mentions: number; occurrences: number; keyword: number }; got: { mentions?: number; occurrences?: number; keyword?: number } }>; exact: boolean } | null;
  seconds: number;
}

function markdown(r: Results): string {
  const copies = r.corpus.copies;
  const target = TARGETS[copies === 10 ? 10 : 1];
  const ok = (good: boolean | null): string => (good === null ? '' : good ? 'yes' : '**NO**');
  const L: string[] = [];
  L.push(`### ${r.title}`, '');
  L.push(`- Run: ${r.date}, ${r.machine}; ${(r.seconds / 60).toFixed(1)} min.`);
  L.push(`- Machine load (shared with other engineers' jobs): \`uptime\` at start "${r.uptimeStart}", at end "${r.uptimeEnd}"; 1-min load average sampled every 5 s during the run: min ${r.load.min.toFixed(2)}, mean ${r.load.mean.toFixed(2)}, max ${r.load.max.toFixed(2)} on 2 cores. Latencies measured under this load are upper bounds.`);
  L.push(`- Corpus: \`${r.corpus.dir}\`: ${r.corpus.files} files, ${r.corpus.documents} documents, ${r.corpus.chunks} chunks (index build ${r.corpus.buildId})${copies > 1 ? `: the scale corpus's index replicated ${copies} times under other document ids (benchmarks/replicate.ts: vectors reused, keyword part rebuilt by the indexer's buildKeywordIndex); its corpus folder holds the same PDFs ${copies} times as hard links` : ''}.`);
  L.push(`- Queries: ${r.queries.perList} distinct queries per list, generated from the chunk texts with seed ${r.queries.seed} (benchmarks/scale-queries.ts; none of the evaluation queries). Each endpoint gets its own fresh server process and 4 lists (short sequential, natural-language sequential, short and natural-language at ${r.queries.concurrency} concurrent clients): no process sees a query twice. No warm-cache figures. Examples: short ${r.queries.examples.short.map((q) => `"${q}"`).join(', ')}; natural ${r.queries.examples.natural.map((q) => `"${q}"`).join(', ')}.`);
  L.push('');
  L.push('| figure | value | target | met |', '|---|---|---|---|');
  const fb = r.fullBuild;
  if (fb && fb.measured) {
    const s = fb.summary;
    L.push(`| full build (${s.documents} documents, ${s.chunks} chunks) | ${sec(fb.wallMs)} wall; indexer ${s.seconds} s: scan ${s.stages.scan}, read ${s.stages.read}, embed ${s.stages.embed}, keyword ${s.stages.keyword}, write ${s.stages.write} s; ${s.chunksPerSecond} chunks/s embedded | <= ${target.buildS} s | ${ok(target.buildS ? fb.wallMs / 1000 <= target.buildS : null)} |`);
    L.push(`| build peak RSS | ${mb(fb.peakRssKB)} (getrusage maxRSS of the indexer process) | <= 1.5 GB | ${ok(target.buildRssMB && fb.peakRssKB ? fb.peakRssKB / 1024 <= target.buildRssMB : null)} |`);
  } else if (fb) {
    L.push(`| full build | NOT RUN in this run (--full-build not given). Last figure: ${fb.seconds} s, ${fb.documents} documents, stages scan ${fb.stages.scan}, read ${fb.stages.read}, embed ${fb.stages.embed}, keyword ${fb.stages.keyword}, write ${fb.stages.write} s, ${fb.chunksPerSecond} chunks/s (measured ${fb.when}) | <= ${target.buildS} s | ${ok(target.buildS ? fb.seconds <= target.buildS : null)} (last figure) |`);
    L.push(`| build peak RSS | not measured in this run | <= 1.5 GB | |`);
  }
  if (r.replication) {
    const x = r.replication as { seconds?: Record<string, number>; wallMs?: number; peakRssKB?: number | null; reused?: boolean };
    L.push(`| replication x${copies} (instead of a build: no embedding) | ${x.reused ? 'reused the replica of an earlier run (same source build)' : `${sec(x.wallMs ?? 0)} wall: keyword ${x.seconds?.keyword} s, encode ${x.seconds?.encode} s, write ${x.seconds?.write} s; peak RSS ${mb(x.peakRssKB)}`} | | |`);
  }
  if (r.noop) L.push(`| no-op re-index | ${sec(r.noop.wallMs)} wall for \`node indexer/cli.ts\` from spawn to exit (indexer's own ${r.noop.summary.seconds} s: look at ${r.corpus.files} files, hashing those whose size or time is not the recorded one, verify every part's SHA-256); peak RSS ${mb(r.noop.peakRssKB)} | | |`);
  for (const a of r.added) {
    const s = a.summary;
    for (const f of a.failures ?? []) L.push(`| ${a.what}, default Node heap | **FAILED**: ${f.error}; peak RSS ${mb(f.peakRssKB)} | | **NO** |`);
    L.push(`| ${a.what}${a.nodeArgs ? `, with \`node ${a.nodeArgs.join(' ')}\`` : ''} | ${sec(a.wallMs)} wall (indexer ${s.seconds} s: scan ${s.stages.scan}, read ${s.stages.read}, embed ${s.stages.embed} (${s.embedded} chunks embedded), keyword ${s.stages.keyword}, write ${s.stages.write}); peak RSS ${mb(a.peakRssKB)} | | |`);
  }
  if (r.npmStart) L.push(`| start: \`npm start\`, index up to date, spawn -> first answer (hybrid) | ${sec(r.npmStart.firstAnswerMs)} (listening at ${sec(r.npmStart.listeningMs)}; includes npm, tsx, the no-op index check) | <= ${target.startS} s | ${ok(r.npmStart.firstAnswerMs / 1000 <= target.startS)} |`);
  for (const s of r.sessions) {
    L.push(`| start: \`node dist/server/main.js\` (compiled), spawn -> first ${s.endpoint} answer | ${sec(s.firstAnswerMs)} (listening at ${sec(s.listeningMs)}) | <= ${target.startS} s | ${ok(s.firstAnswerMs / 1000 <= target.startS)} |`);
  }
  for (const s of r.sessions) {
    const st = s.rssAfter.status;
    L.push(`| server RSS after ${s.rssAfter.queries} queries (${s.endpoint} process) | VmRSS ${mb(st?.rssKB)}, VmHWM ${mb(st?.hwmKB)}; at first answer ${mb(s.rssAtStart?.rssKB)}; after all ${s.rssEnd.queries}: ${mb(s.rssEnd.status?.rssKB)} | <= ${target.rssMB} MB | ${ok(st ? st.rssKB / 1024 <= target.rssMB : null)} |`);
  }
  L.push('');
  L.push(`Latency over HTTP (GET on 127.0.0.1, keep-alive, gzip accepted; client time to the last byte; client and server share the 2 cores). \`limit=10\`. The p95 targets are for queries sent one at a time (as the issue measured them); lists at several clients are reported, not judged.`, '');
  L.push('| endpoint | queries | clients | sent | errors | p50 ms | p95 ms | p99 ms | max ms | answers/s | non-empty | target p95 | met |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of r.sessions) {
    for (const l of s.lists) {
      // The issue's latency targets are for queries sent one at a time; concurrent lists are reported, not judged.
      const t = l.clients !== 1 ? null : l.endpoint === 'keyword' ? target.keywordP95 : l.endpoint === 'hybrid' ? target.hybridP95 : null;
      L.push(`| ${l.endpoint} | ${l.kind === 'short' ? 'short' : 'natural-language'} | ${l.clients} | ${l.sent}${l.sent < l.planned ? ` of ${l.planned}` : ''} | ${l.errors} | ${l.p50.toFixed(1)} | ${l.p95.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(1)} | ${l.qps.toFixed(1)} | ${(l.answered * 100).toFixed(0)} % | ${t === null ? '' : `<= ${t} ms`} | ${t === null ? '' : ok(l.p95 <= t)} |`);
    }
  }
  const errs = r.sessions.flatMap((s) => s.lists).filter((l) => l.firstError);
  if (errs.length) L.push('', ...errs.map((l) => `- first error (${l.endpoint} ${l.kind} x${l.clients}): ${l.firstError}`));
  if (r.reference) {
    const ref = r.reference;
    const http = (kind: 'short' | 'natural'): Latency | undefined => r.sessions.find((s) => s.endpoint === 'keyword')?.lists.find((l) => l.kind === kind && l.clients === 1);
    L.push('', `Reference: plain BM25 (benchmarks/reference-bm25.ts: Lucene's formula and english analyzer, every word ORed, top 10) over the same ${r.corpus.chunks} chunks and the same sequential query lists, timed in-process (the time of its search call alone: no HTTP, JSON, snippets or facets); built in ${sec(ref.buildMs)}. Ours in-process: \`SearchEngine.search({ mode: 'keyword', limit: 10 })\` on a freshly loaded index (whole search: parse, thesaurus, BM25, phrases, collapse, facets, snippets), same queries, same process.`, '');
    L.push('| | short p50 / p95 / p99 ms | natural-language p50 / p95 / p99 ms |', '|---|---|---|');
    const f = (t: { p50: number; p95: number; p99: number } | undefined): string => (t ? `${t.p50.toFixed(2)} / ${t.p95.toFixed(2)} / ${t.p99.toFixed(2)}` : 'n/a');
    const ratio = (a: { p50: number; p95: number } | undefined, b: Timing): string => (a ? `${(a.p50 / b.p50).toFixed(1)}x / ${(a.p95 / b.p95).toFixed(1)}x (p50 / p95)` : 'n/a');
    L.push(`| reference BM25, in-process | ${f(ref.reference.short)} | ${f(ref.reference.natural)} |`);
    L.push(`| ours, keyword, in-process | ${f(ref.ours.short)} | ${f(ref.ours.natural)} |`);
    L.push(`| ours, keyword, over HTTP (sequential list) | ${f(http('short'))} | ${f(http('natural'))} |`);
    L.push(`| ratio ours in-process / reference | ${ratio(ref.ours.short, ref.reference.short)} | ${ratio(ref.ours.natural, ref.reference.natural)} |`);
    L.push(`| ratio ours over HTTP / reference in-process | ${ratio(http('short'), ref.reference.short)} | ${ratio(http('natural'), ref.reference.natural)} |`);
  }
  if (r.counts) {
    L.push('', `Every-mention counts and keyword totals at ${r.counts.factor}x, over HTTP from the ${r.counts.factor}x servers, against the single corpus counted in-process: ${r.counts.exact ? `**exact** (every-mention paragraphs and occurrences ${r.counts.factor} times; keyword totals, which count near-identical passages once, equal: the copies of a passage collapse into one result)` : '**NOT exact**'}.`, '');
    L.push('| query | mention paragraphs 1x -> got | occurrences 1x -> got | keyword total 1x -> got |', '|---|---|---|---|');
    for (const c of r.counts.rows) {
      L.push(`| ${c.q} | ${c.expected.mentions} -> ${c.got.mentions ?? 'n/a'} | ${c.expected.occurrences} -> ${c.got.occurrences ?? 'n/a'} | ${c.expected.keyword} -> ${c.got.keyword ?? 'n/a'} |`);
    }
  }
  return `${L.join('\n')}\n`;
}

async function writeDocs(section: string, copies: number, suffix = ''): Promise<void> {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const tag = `${copies === 1 ? 'scale' : `scale${copies}`}${suffix}`;
  const begin = `<!-- bench:${tag}:begin (written by npm run ${copies === 1 ? 'bench' : copies === 10 ? 'bench:scale10' : 'bench -- --copies N'} -- --docs) -->`;
  const end = `<!-- bench:${tag}:end -->`;
  let doc = await readFile(file, 'utf8');
  const block = `${begin}\n${section}${end}`;
  const i = doc.indexOf(`<!-- bench:${tag}:begin`);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + block + doc.slice(j + end.length);
  else doc = `${doc.trimEnd()}\n\n${block}\n`;
  await writeFile(file, doc);
  say(`wrote the results into docs/benchmarks.md (${tag})`);
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const o = options();
  if (!o) return;
  const t0 = performance.now();
  const sampler = sampleLoad();
  const uptimeStart = uptimeLine();
  say(`${machineLine()}; ${uptimeStart}`);
  await mkdir(BENCH_DIR, { recursive: true });
  const target = TARGETS[o.copies === 10 ? 10 : 1];

  // 1. The single corpus's index: built when missing (that is a full build), else brought up to date.
  let fullBuild: Results['fullBuild'] = null;
  if (!existsSync(join(o.index, 'manifest.json'))) {
    const r = await runIndexer('full build (no index yet)', o.corpus, o.index);
    fullBuild = { ...r, measured: true };
  } else if (o.fullBuild && o.copies === 1) {
    const dir = join(BENCH_DIR, 'full-build-index');
    await rm(dir, { recursive: true, force: true });
    const r = await runIndexer('full build (from nothing, into data/bench/full-build-index)', o.corpus, dir);
    await rm(dir, { recursive: true, force: true });
    fullBuild = { ...r, measured: true };
  } else if (o.copies === 1) {
    fullBuild = { ...LAST_FULL_BUILD, measured: false };
  }

  // 2. At 10x: the replicated index and a corpus folder it is up to date for.
  let indexDir = o.index;
  let corpusDir = o.corpus;
  let replication: Results['replication'] = null;
  if (o.copies > 1) {
    // The source must be up to date first: the replica copies its build.
    const first = await runIndexer('bring the single index up to date', o.corpus, o.index);
    if (!first.summary.noop) say('the single index was updated; the replica will be rebuilt from it');
    indexDir = resolve(ROOT, 'data', `scale${o.copies}`);
    corpusDir = resolve(ROOT, 'data', `scale${o.copies}-corpus`);
    const r = await runNode('benchmarks/replicate.ts', ['--from', o.index, '--to', indexDir, '--copies', String(o.copies), '--corpus', o.corpus, '--corpus-out', corpusDir, ...(o.freshReplica ? ['--force'] : [])], 'replicate');
    if (r.code !== 0) throw new Error(`replicate exited with ${r.code}: ${r.stderr.slice(-2000)}`);
    replication = { ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>), wallMs: r.ms, peakRssKB: r.peakRssKB };
  }

  if (o.startOnly) {
    clearInterval(sampler);
    await startOnlyRun(o, indexDir, corpusDir, { t0, uptimeStart, replication });
    return;
  }

  // 3. Re-index figures.
  let noop: IndexRun | null = null;
  const added: Results['added'] = [];
  if (o.reindex) {
    noop = await runIndexer('no-op re-index', corpusDir, indexDir);
    if (!noop.summary.noop) {
      say(`the index was not up to date (${noop.summary.added} added, ${noop.summary.changed} changed, ${noop.summary.removed} removed): updated; timing the no-op again`);
      noop = await runIndexer('no-op re-index', corpusDir, indexDir);
    }
    const pdf = (await walkCorpus(o.corpus)).files.find((f) => f.endsWith('.pdf'))!;
    added.push(await oneFileAdded(corpusDir, indexDir, 'one file added: a report PDF copied under a new name (same text: its vectors are reused, nothing embedded)', join(o.corpus, pdf), `copy of ${basename(pdf)}`));
    added.push(await oneFileAdded(corpusDir, indexDir, 'one file added: a report never indexed (new text: every chunk embedded)', join(ROOT, 'corpus', 'seeds', '001_014eb678741a591c.txt'), 'new report.txt'));
  } else {
    // The servers need an up-to-date index all the same.
    const r = await runIndexer('index up to date?', corpusDir, indexDir);
    if (!r.summary.noop) say('index updated');
  }

  // 4. Queries (from the single corpus: the replica has the same texts) and the expected counts.
  const { sets, expected } = await prepareQueries(o);
  const corpusFiles = (await walkCorpus(corpusDir)).files.length;
  const manifest = JSON.parse(await readFile(join(indexDir, 'manifest.json'), 'utf8')) as { buildId: string; counts: { documents: number; chunks: number } };

  // 5. Start-up via npm start, then one fresh server per endpoint.
  await ensureServerBuilt();
  let npmStartResult: Results['npmStart'] = null;
  if (o.start) {
    await ensureWebBuilt();
    npmStartResult = await npmStart(indexDir, corpusDir);
  }
  const sessions: Session[] = [];
  for (const e of o.endpoints) sessions.push(await serverSession(e, indexDir, corpusDir, sets, o));

  // 6. The reference and our keyword search in-process, same chunks and queries.
  const reference = o.reference ? await inProcess(indexDir, sets) : null;

  let counts: Results['counts'] = null;
  if (expected) {
    const byQ = (e: Endpoint) => new Map((sessions.find((s) => s.endpoint === e)?.checks ?? []).map((c) => [c.q, c]));
    const m = byQ('mentions');
    const k = byQ('keyword');
    const rows = expected.map((x) => ({
      q: x.q,
      expected: { mentions: x.mentions, occurrences: x.occurrences, keyword: x.keyword },
      got: { mentions: m.get(x.q)?.total, occurrences: m.get(x.q)?.occurrences, keyword: k.get(x.q)?.total },
    }));
    const exact = rows.every((r) =>
      (r.got.mentions === undefined || r.got.mentions === r.expected.mentions * o.copies) &&
      (r.got.occurrences === undefined || r.got.occurrences === r.expected.occurrences * o.copies) &&
      // A search's total counts near-identical passages once: the copies of a passage are one result.
      (r.got.keyword === undefined || r.got.keyword === r.expected.keyword));
    counts = { factor: o.copies, rows, exact };
  }

  clearInterval(sampler);
  const results: Results = {
    title: o.copies === 1 ? `Scale corpus: ${manifest.counts.documents} reports (\`npm run bench\`)` : `${o.copies} times the scale corpus: ${manifest.counts.chunks} chunks (\`npm run bench:scale10\`)`,
    date: new Date().toISOString(),
    machine: machineLine(),
    uptimeStart,
    uptimeEnd: uptimeLine(),
    load: loadSummary(),
    corpus: { dir: corpusDir.startsWith(ROOT) ? corpusDir.slice(ROOT.length + 1) : corpusDir.replace(resolve(ROOT, '..'), '..'), files: corpusFiles, documents: manifest.counts.documents, chunks: manifest.counts.chunks, buildId: manifest.buildId, copies: o.copies },
    queries: { perList: o.perSet, listsPerServer: 4, seed: sets.seed, concurrency: o.concurrency, examples: { short: sets.short[0]!.slice(0, 4), natural: sets.natural[0]!.slice(0, 2) } },
    fullBuild, replication, noop, added, npmStart: npmStartResult, sessions, reference, counts,
    seconds: (performance.now() - t0) / 1000,
  };
  const md = markdown(results);
  process.stdout.write(md);
  await mkdir(resolve(o.out, '..'), { recursive: true });
  await writeFile(o.out, `${JSON.stringify({ ...results, targets: target, queryLists: { short: sets.short, natural: sets.natural } }, null, 1)}\n`);
  say(`results in ${o.out}`);
  if (o.docs) await writeDocs(md, o.copies);
  if (counts && !counts.exact) process.exitCode = 1;
  if (sessions.some((s) => s.lists.some((l) => l.errors > 0))) process.exitCode = 1;
  agent.destroy();
}

/**
 * The query lists, from the single corpus's chunk texts (the replica has the same texts), and at
 * 10x the counts expected of the check queries. The single index is let go afterwards.
 */
async function prepareQueries(o: Options): Promise<{ sets: QuerySets; expected: Awaited<ReturnType<typeof expectedCounts>> | null }> {
  say('generating the query lists from the chunk texts');
  const single = await loadIndex(o.index);
  const exclude = [SERVER_WARMUP, ...Object.values(PROBES), NPM_START_PROBE, ...(await evalQueries())];
  const councils = single.docs.flatMap((d) => (d.meta.council ? [d.meta.council] : []));
  const sets = querySets(single.chunks.map((c) => c.text), councils, { perSet: o.perSet, sets: 2, exclude });
  say(`${sets.short.flat().length} short and ${sets.natural.flat().length} natural-language queries, all distinct`);
  const expected = o.copies > 1 ? await expectedCounts(single) : null;
  return { sets, expected };
}

/** Evaluation queries (never used as benchmark queries). */
async function evalQueries(): Promise<string[]> {
  const out: string[] = [];
  for (const f of ['eval/scale/known-item.json', 'eval/dev-queries.json']) {
    try {
      const j = JSON.parse(await readFile(resolve(ROOT, '..', 'shared', f), 'utf8')) as unknown;
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) {
            if ((k === 'query' || k === 'q') && typeof x === 'string') out.push(x);
            else walk(x);
          }
        }
      };
      walk(j);
    } catch {
      // not there: nothing to leave out
    }
  }
  return out;
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
