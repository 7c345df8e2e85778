/**
 * npm run bench:load [-- --seconds 60 --clients 10,50 --index DIR --corpus DIR --label TEXT --engine LIST]:
 * load test of the real server (a separate process, `server/main.ts`, on 127.0.0.1) with
 * autocannon, on the bench index (data/bench/index, built by `npm run bench:index`; the shared
 * test index of corpus/ when that is missing, and the report says so) or the index given (e.g.
 * `--index data/scale --corpus ../shared/scale-corpus`). `--engine embedded,opensearch` runs the
 * same phases against each engine in turn, in one run: with `opensearch` the server runs with
 * ENGINE=opensearch against OPENSEARCH_URL / OPENSEARCH_INDEX, whose alias is first written from
 * the index (`npm run index:opensearch -- --index DIR`, timed) unless it already holds that build;
 * the report then adds the RSS and heap of the OpenSearch node(s). Phases:
 *   warm-up (10 s); keyword alone on one connection (the idle figure); `seconds` at each number
 *   of concurrent connections in --clients over a mix of keyword, hybrid, mentions and CSV export
 *   requests (40 % / 30 % / 20 % / 10 % of the connections), each followed by the same number of
 *   keyword connections alone (20 s: what keyword searches cost each other); starvation: keyword latency on one
 *   connection while 50 connections send hybrid queries; hybrid and mentions alone. Every request
 *   of the run asks a query not asked before (benchmarks/queries.ts distinctQueries), so none is
 *   answered from a cache.
 * Reports errors, throughput, p50/p95/p99 per kind, the server's RSS at start, after warm-up and
 * at the end (growth after warm-up must stay under 10 %), and keyword p95 under load against its
 * idle p95 (limit 3x while 50 connections send hybrid searches: searches must not starve keyword
 * ones). Exits 1 when a check fails. Prints Markdown for docs/reliability.md and writes
 * data/bench/load-results.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { ENGINES, config, type EngineKind } from '../core/config.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { OpenSearchEngine } from '../opensearch/engine.ts';
import { cliArgs } from '../scripts/cli.ts';
import { machineLine, percentile } from './machine.ts';
import { distinctQueries } from './queries.ts';

const ROOT = resolve(import.meta.dirname, '..');

type Kind = 'keyword' | 'hybrid' | 'mentions' | 'csv';

interface KindResult {
  kind: Kind;
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The same requests timed inside the server (from its request log): handling without queueing in the socket. */
  serverP50?: number;
  serverP95?: number;
}

interface PhaseResult {
  name: string;
  seconds: number;
  kinds: KindResult[];
  rssBefore: number;
  rssAfter: number;
  /** ENGINE=opensearch: the OpenSearch node(s) at the end of the phase. */
  jvm?: JvmFigures;
  /** The server's main thread over the phase (benchmarks/loop-probe.ts). */
  loop?: LoopFigures;
  /** CPU time over the phase / its length: cores used by the server (all threads) and by the load generator. */
  serverCores: number;
  clientCores: number;
  /** The same for the OpenSearch node(s) on this machine (ENGINE=opensearch). */
  openSearchCores?: number;
}

/** What benchmarks/loop-probe.ts reports: event-loop delay percentiles (ms) and utilisation (0..1). */
interface LoopFigures {
  delayP50: number;
  delayP95: number;
  delayP99: number;
  delayMax: number;
  utilisation: number;
}

/** The OpenSearch node(s) the server reads: RSS (when the nodes run on this machine) and JVM heap, summed over nodes. */
interface JvmFigures {
  nodes: number;
  /** null when a node's process is not on this machine. */
  rss: number | null;
  heapUsed: number;
  heapMax: number;
}

/** The process ids of the cluster's nodes (null for a node not on this machine). */
async function nodePids(client: OpenSearchClient): Promise<Array<number | null>> {
  const info = await client.request<{ nodes: Record<string, { process?: { id?: number } }> }>('GET', '/_nodes/process');
  return Promise.all(Object.values(info.nodes).map(async (n) => {
    const pid = n.process?.id;
    return pid && (await rssOf(pid).then(() => true, () => false)) ? pid : null;
  }));
}

async function jvmFigures(client: OpenSearchClient): Promise<JvmFigures> {
  const stats = await client.request<{ nodes: Record<string, { jvm: { mem: { heap_used_in_bytes: number; heap_max_in_bytes: number } } }> }>('GET', '/_nodes/stats/jvm');
  let rss: number | null = 0;
  for (const pid of await nodePids(client)) {
    const r = pid ? await rssOf(pid).catch(() => null) : null;
    rss = r === null || rss === null ? null : rss + r;
  }
  const mem = Object.values(stats.nodes).map((n) => n.jvm.mem);
  return { nodes: mem.length, rss, heapUsed: mem.reduce((a, m) => a + m.heap_used_in_bytes, 0), heapMax: mem.reduce((a, m) => a + m.heap_max_in_bytes, 0) };
}

function jvmText(j: JvmFigures): string {
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
  return `${j.rss === null ? 'RSS ?' : `RSS ${mb(j.rss)}`}, heap ${mb(j.heapUsed)} of ${mb(j.heapMax)}${j.nodes > 1 ? ` (${j.nodes} nodes)` : ''}`;
}

function pathFor(kind: Kind, q: string): string {
  const e = encodeURIComponent(q);
  if (kind === 'keyword') return `/api/search?q=${e}&mode=keyword`;
  if (kind === 'hybrid') return `/api/search?q=${e}`;
  // The web UI's "Download CSV": every mention of the query.
  if (kind === 'csv') return `/api/mentions?q=${e}&format=csv`;
  return `/api/mentions?q=${e}&limit=20`;
}

/**
 * Every request of the whole run, of every kind and phase, asks a query never asked before: no
 * answer and no query embedding can come from a cache (the embedder keeps the last 500).
 */
const nextQuery = distinctQueries();
let queriesSent = 0;

/** One autocannon instance sending one kind of query, every request's latency recorded. */
function run(url: string, kind: Kind, connections: number, seconds: number): Promise<KindResult> {
  const latencies: number[] = [];
  return new Promise((ok, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [{ setupRequest: (req) => {
          queriesSent++;
          return { ...req, path: pathFor(kind, nextQuery()) };
        } }],
      },
      (err, result) => {
        if (err) return fail(err);
        latencies.sort((a, b) => a - b);
        ok({
          kind, connections,
          requests: result.requests.total,
          errors: result.errors,
          non2xx: result.non2xx,
          timeouts: result.timeouts,
          rps: result.requests.total / seconds,
          p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? 0,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** CPU seconds (user + system, all threads) a process has used. */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of /proc/PID/stat (utime, stime), counted from the state field (3).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function phase(name: string, server: ServerProcess, seconds: number, mix: Array<[Kind, number]>): Promise<PhaseResult> {
  const pid = server.child.pid!;
  const rssBefore = await rssOf(pid);
  server.serverTimes();
  await server.loopFigures();
  const cpu0 = await cpuSecondsOf(pid);
  const pids = server.opensearch ? await nodePids(server.opensearch) : [];
  const clusterCpu = async (): Promise<number | null> => (pids.length > 0 && pids.every((p) => p !== null)
    ? (await Promise.all(pids.map((p) => cpuSecondsOf(p!)))).reduce((a, b) => a + b, 0)
    : null);
  const os0 = await clusterCpu();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const kinds = await Promise.all(mix.filter(([, n]) => n > 0).map(([kind, n]) => run(server.url, kind, n, seconds)));
  const wall = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const serverCores = (await cpuSecondsOf(pid) - cpu0) / wall;
  const os1 = await clusterCpu();
  const openSearchCores = os0 !== null && os1 !== null ? (os1 - os0) / wall : undefined;
  const clientCores = (client.user + client.system) / 1e6 / wall;
  const loop = await server.loopFigures();
  const inServer = server.serverTimes();
  for (const k of kinds) {
    const t = (inServer[k.kind] ?? []).sort((a, b) => a - b);
    k.serverP50 = percentile(t, 50);
    k.serverP95 = percentile(t, 95);
  }
  const jvm = server.opensearch ? await jvmFigures(server.opensearch) : undefined;
  const r = { name, seconds, kinds, rssBefore, rssAfter: await rssOf(pid), jvm, loop, serverCores, clientCores, openSearchCores };
  process.stderr.write(`load: ${name}: ${kinds.map((k) => `${k.kind} ${k.rps.toFixed(1)}/s p95 ${k.p95.toFixed(0)} ms (in-server ${(k.serverP95 ?? 0).toFixed(0)}) failed ${k.errors + k.non2xx}`).join('; ')}; ${loopText(r)}\n`);
  return r;
}

interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** ENGINE=opensearch: the cluster the server reads. */
  opensearch?: OpenSearchClient;
  logLines: () => number;
  /** Server-side durations from the request log, by kind, since the last call. */
  serverTimes: () => Record<string, number[]>;
  /** The main thread's figures since the last call (benchmarks/loop-probe.ts), null if it does not answer. */
  loopFigures: () => Promise<LoopFigures | undefined>;
  slowest: Array<{ ms: number; line: string }>;
}

async function startServerProcess(indexDir: string, corpusDir: string, engine: EngineKind): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './benchmarks/loop-probe.ts', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ENGINE: engine, INDEX_DIR: indexDir, CORPUS_DIR: corpusDir, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let head = '';
  let partial = '';
  let times: Record<string, number[]> = {};
  const slowest: Array<{ ms: number; line: string }> = [];
  let errors = '';
  const probeWaiters: Array<(f: LoopFigures) => void> = [];
  const url = await new Promise<string>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      const s = d.toString();
      lines += s.split('\n').length - 1;
      const all = (partial + s).split('\n');
      partial = all.pop() ?? '';
      for (const line of all) {
        const m = / GET (\/api\/(search|mentions)\?\S*) \d{3} ([\d.]+)ms$/.exec(line);
        if (!m) continue;
        const kind = m[1]!.includes('format=csv') ? 'csv' : m[2] === 'mentions' ? 'mentions' : m[1]!.includes('mode=keyword') ? 'keyword' : 'hybrid';
        const ms = Number(m[3]);
        (times[kind] ??= []).push(ms);
        if (slowest.length < 8 || ms > slowest[slowest.length - 1]!.ms) {
          slowest.push({ ms, line: m[1]!.slice(0, 120) });
          slowest.sort((a, b) => b.ms - a.ms);
          slowest.length = Math.min(slowest.length, 8);
        }
      }
      if (head.length < 10_000) head += s;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(head);
      if (m) ok(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => {
      const s = d.toString();
      for (const m of s.matchAll(/^loop-probe (\{.*\})$/gm)) probeWaiters.shift()?.(JSON.parse(m[1]!) as LoopFigures);
      if (errors.length < 100_000) errors += s.replace(/^loop-probe .*\n/gm, '');
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}): ${errors.slice(0, 2000)}`)));
  });
  return {
    child, url, logLines: () => lines, slowest,
    opensearch: engine === 'opensearch' ? new OpenSearchClient(config().opensearch) : undefined,
    serverTimes: () => {
      const t = times;
      times = {};
      return t;
    },
    loopFigures: () => new Promise((ok) => {
      const timer = setTimeout(() => ok(undefined), 5000);
      probeWaiters.push((f) => {
        clearTimeout(timer);
        ok(f);
      });
      child.kill('SIGUSR2');
    }),
  };
}

function loopText(p: PhaseResult): string {
  const l = p.loop;
  const cores = `server ${p.serverCores.toFixed(2)}${p.openSearchCores === undefined ? '' : ` / OpenSearch ${p.openSearchCores.toFixed(2)}`} / client ${p.clientCores.toFixed(2)} cores`;
  return l ? `main thread busy ${(l.utilisation * 100).toFixed(0)} %, loop delay p50 / p95 / p99 ${l.delayP50.toFixed(1)} / ${l.delayP95.toFixed(1)} / ${l.delayP99.toFixed(1)} ms; ${cores}` : cores;
}

/** Per phase: the server's main thread and CPU (where a request's waiting comes from). */
function loopTable(phases: PhaseResult[]): string {
  const os = phases.some((p) => p.openSearchCores !== undefined);
  const rows = [`| phase | main thread busy | event-loop delay p50 / p95 / p99 / max ms | CPU: server${os ? ' / OpenSearch' : ''} / load generator (cores of ${cpus().length}) |`, '|---|---|---|---|'];
  for (const p of phases) {
    const l = p.loop;
    rows.push(`| ${p.name} | ${l ? `${(l.utilisation * 100).toFixed(0)} %` : '?'} | ${l ? `${l.delayP50.toFixed(1)} / ${l.delayP95.toFixed(1)} / ${l.delayP99.toFixed(1)} / ${l.delayMax.toFixed(0)}` : '?'} | ${p.serverCores.toFixed(2)}${os ? ` / ${p.openSearchCores?.toFixed(2) ?? '?'}` : ''} / ${p.clientCores.toFixed(2)} |`);
  }
  return rows.join('\n');
}

function table(phases: PhaseResult[]): string {
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
  const rows = ['| phase | kind | connections | requests | req/s | errors (conn incl. timeouts/non-2xx/timeouts) | p50 ms | p95 ms | p99 ms | max ms | in-server p50 / p95 ms | server RSS before -> after |', '|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const p of phases) {
    p.kinds.forEach((k, i) => {
      rows.push(`| ${i === 0 ? `${p.name} (${p.seconds} s)` : ''} | ${k.kind} | ${k.connections} | ${k.requests} | ${k.rps.toFixed(1)} | ${k.errors}/${k.non2xx}/${k.timeouts} | ${k.p50.toFixed(0)} | ${k.p95.toFixed(0)} | ${k.p99.toFixed(0)} | ${k.max.toFixed(0)} | ${(k.serverP50 ?? 0).toFixed(0)} / ${(k.serverP95 ?? 0).toFixed(0)} | ${i === 0 ? `${mb(p.rssBefore)} -> ${mb(p.rssAfter)}${p.jvm ? `; OpenSearch ${jvmText(p.jvm)}` : ''}` : ''} |`);
    });
    if (p.kinds.length > 1) {
      const total = p.kinds.reduce((n, k) => n + k.requests, 0);
      rows.push(`| | all | ${p.kinds.reduce((n, k) => n + k.connections, 0)} | ${total} | ${(total / p.seconds).toFixed(1)} | ${p.kinds.reduce((n, k) => n + k.errors, 0)}/${p.kinds.reduce((n, k) => n + k.non2xx, 0)}/${p.kinds.reduce((n, k) => n + k.timeouts, 0)} | | | | | | |`);
    }
  }
  return rows.join('\n');
}

/** The index served: folder, corpus, how the report names it, its counts. */
interface Target {
  indexDir: string;
  corpusDir: string;
  note: string;
  manifest: { buildId: string; counts: { documents: number; chunks: number } };
}

/**
 * ENGINE=opensearch: make the alias (OPENSEARCH_INDEX at OPENSEARCH_URL) hold the build of the
 * index, writing it with `npm run index:opensearch` when it holds another or none. Says which.
 */
async function ensureOpenSearchBuild(t: Target): Promise<string> {
  const cfg = config();
  const client = new OpenSearchClient(cfg.opensearch);
  const held = await new OpenSearchEngine(client, { alias: cfg.opensearch.index }).view().then((v) => v.info.buildId, () => null);
  const where = `alias ${cfg.opensearch.index} at ${cfg.opensearch.url}`;
  if (held === t.manifest.buildId) return `${where}, already holding build ${held} (not written in this run)`;
  process.stderr.write(`load: ${where} holds ${held ?? 'no build'}; writing ${t.manifest.buildId} from ${t.indexDir}\n`);
  const t0 = performance.now();
  const stdout = await new Promise<string>((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/opensearch-cli.ts', '--index', t.indexDir, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`index:opensearch exited with ${code}`))));
  });
  const w = JSON.parse(stdout.trim().split('\n').pop()!) as { records: number; seconds: number };
  return `${where}, written in this run (\`npm run index:opensearch -- --index DIR\`): ${w.records} records in ${w.seconds} s (${Math.round(w.records / w.seconds)} records/s; ${((performance.now() - t0) / 1000).toFixed(1)} s with loading the saved index)`;
}

/** Every phase against one engine's server; the Markdown report and whether every check passed. */
async function runEngine(engine: EngineKind, t: Target, seconds: number, clients: number[]): Promise<{ md: string; failed: boolean; json: Record<string, unknown> }> {
  const where = engine === 'opensearch' ? await ensureOpenSearchBuild(t) : null;
  const load0 = loadavg()[0]!;
  const sent0 = queriesSent;
  const server = await startServerProcess(t.indexDir, t.corpusDir, engine);
  const pid = server.child.pid!;
  const rssStart = await rssOf(pid);
  const jvmStart = server.opensearch ? await jvmFigures(server.opensearch) : undefined;
  process.stderr.write(`load: ENGINE=${engine} server ${server.url} (pid ${pid}), ${t.manifest.counts.documents} documents, ${t.manifest.counts.chunks} chunks, RSS ${(rssStart / 2 ** 20).toFixed(0)} MB${jvmStart ? `; OpenSearch ${jvmText(jvmStart)}` : ''}\n`);
  const phases: PhaseResult[] = [];
  try {
    const warm = await phase('warm-up', server, 10, [['keyword', 4], ['hybrid', 3], ['mentions', 2], ['csv', 1]]);
    const rssBefore = await rssOf(pid);
    phases.push(await phase('keyword alone', server, 20, [['keyword', 1]]));
    for (const n of clients) {
      const mix: Array<[Kind, number]> = [['keyword', Math.round(n * 0.4)], ['hybrid', Math.round(n * 0.3)], ['mentions', Math.round(n * 0.2)]];
      mix.push(['csv', n - mix.reduce((k, [, c]) => k + c, 0)]);
      phases.push(await phase(`mix, ${n} connections`, server, seconds, mix));
      // The same keyword connections with nothing else: what they cost each other (queueing on the one main thread).
      phases.push(await phase(`keyword alone, ${mix[0]![1]} connections (as in the mix of ${n})`, server, 20, [['keyword', mix[0]![1]]]));
    }
    phases.push(await phase('keyword during 50 hybrid', server, Math.max(20, Math.round(seconds / 2)), [['keyword', 1], ['hybrid', 50]]));
    phases.push(await phase('keyword during 10 mentions/CSV', server, 20, [['keyword', 1], ['mentions', 5], ['csv', 5]]));
    phases.push(await phase('hybrid alone', server, 20, [['hybrid', 1]]));
    phases.push(await phase('mentions alone', server, 20, [['mentions', 1]]));
    const rssEnd = await rssOf(pid);
    const alive = await fetch(`${server.url}/api/health`).then((r) => r.status).catch(() => 0);
    // autocannon counts a timeout also among its errors: failed requests are errors + non-2xx.
    const errors = phases.flatMap((p) => p.kinds).reduce((n, k) => n + k.errors + k.non2xx, 0);
    const growth = (rssEnd - rssBefore) / rssBefore;
    const alone = phases.find((p) => p.name === 'keyword alone')!.kinds[0]!;
    const starved = phases.find((p) => p.name === 'keyword during 50 hybrid')!.kinds.find((k) => k.kind === 'keyword')!;
    const starveRatio = starved.p95 / Math.max(alone.p95, 1);
    const starvedM = phases.find((p) => p.name === 'keyword during 10 mentions/CSV')!.kinds.find((k) => k.kind === 'keyword')!;
    const starveRatioM = starvedM.p95 / Math.max(alone.p95, 1);
    // In a mix, keyword connections also queue behind each other (Little's law: latency = connections / throughput), which
    // no scheduling removes; what the other kinds add is judged against the same keyword connections with nothing else.
    const mixes = phases.flatMap((p, i) => {
      if (!p.name.startsWith('mix, ')) return [];
      const same = phases[i + 1]!.kinds[0]!;
      return [{ name: p.name, p95: p.kinds.find((k) => k.kind === 'keyword')!.p95, sameP95: same.p95, connections: same.connections }];
    });
    const mixRatio = Math.max(...mixes.map((m) => m.p95 / Math.max(m.sameP95, 1)));
    const mixRatios = mixes.map(
      (m) => `${m.name}: keyword p95 ${m.p95.toFixed(0)} ms = ${(m.p95 / Math.max(m.sameP95, 1)).toFixed(1)}x its ${m.connections} keyword connections alone (${m.sameP95.toFixed(0)} ms), ${(m.p95 / Math.max(alone.p95, 1)).toFixed(1)}x one idle connection`,
    );
    const byKind = (kind: Kind): string => phases.filter((p) => p.name.startsWith('mix, ')).map((p) => {
      const k = p.kinds.find((x) => x.kind === kind);
      return k ? `${p.name.replace('mix, ', '')} ${k.p50.toFixed(0)} / ${k.p95.toFixed(0)} / ${k.p99.toFixed(0)} ms` : '';
    }).join('; ');
    const jvmPeak = phases.map((p) => p.jvm).filter((j): j is JvmFigures => j !== undefined);
    const md = [
      `Load test, ENGINE=${engine}, ${machineLine()}; ${t.note}: ${t.manifest.counts.documents} documents, ${t.manifest.counts.chunks} chunks${where ? `; OpenSearch: ${where}` : ''}.`,
      `Server: \`ENGINE=${engine} node --import tsx server/main.ts\` on 127.0.0.1 (one log line per request to a pipe); client: autocannon in another process on the same 2 cores${engine === 'opensearch' ? ', and the OpenSearch node(s) too' : ''}. Load average at start ${load0.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)}.`,
      `Queries: ${queriesSent - sent0} requests (queries ${sent0} to ${queriesSent - 1} of the sequence), each with a query not sent before in the run (\`distinctQueries()\` in benchmarks/queries.ts), so no query embedding or answer was cached.`,
      '',
      table(phases),
      '',
      'Where the time goes (the server\'s main thread, benchmarks/loop-probe.ts; event-loop delay = how long a request arriving then waits before the main thread reads it):',
      '',
      loopTable(phases),
      '',
      `- failed requests over all phases (errors, timeouts included, + non-2xx): ${errors}; server still answering /api/health afterwards: ${alive === 200 ? 'yes' : `NO (${alive})`}`,
      `- server RSS: ${(rssStart / 2 ** 20).toFixed(0)} MB at start, ${(rssBefore / 2 ** 20).toFixed(0)} MB after warm-up, ${(rssEnd / 2 ** 20).toFixed(0)} MB at the end: growth ${(growth * 100).toFixed(1)} % after warm-up (limit 10 %)`,
      ...(jvmStart && warm.jvm ? [`- OpenSearch: ${jvmText(jvmStart)} at start, ${jvmText(warm.jvm)} after warm-up, ${jvmText(jvmPeak[jvmPeak.length - 1]!)} at the end; largest at a phase's end: RSS ${(Math.max(...jvmPeak.map((j) => j.rss ?? 0)) / 2 ** 20).toFixed(0)} MB, heap used ${(Math.max(...jvmPeak.map((j) => j.heapUsed)) / 2 ** 20).toFixed(0)} MB`] : []),
      `- p50 / p95 / p99 per kind in the mixes: ${(['keyword', 'hybrid', 'mentions', 'csv'] as Kind[]).map((k) => `${k}: ${byKind(k)}`).join(' | ')}`,
      `- keyword p95 alone ${alone.p95.toFixed(0)} ms, while 50 connections send hybrid queries ${starved.p95.toFixed(0)} ms (p50 ${alone.p50.toFixed(0)} -> ${starved.p50.toFixed(0)} ms): ${starveRatio.toFixed(1)}x (limit 3x): ${starveRatio <= 3 ? 'PASS' : 'FAIL'}; ${starved.requests} keyword answers during that phase`,
      `- keyword p95 while 10 connections send mentions and CSV exports ${starvedM.p95.toFixed(0)} ms (p50 ${starvedM.p50.toFixed(0)} ms): ${starveRatioM.toFixed(1)}x (limit 3x): ${starveRatioM <= 3 ? 'PASS' : 'FAIL'}; ${starvedM.requests} keyword answers during that phase`,
      `- keyword p95 in the mixes against the same keyword connections with nothing else (what hybrid, mentions and CSV add): ${mixRatios.join('; ')} (limit 3x of the same connections alone): ${mixRatio <= 3 ? 'PASS' : 'FAIL'}`,
      `- RSS growth after warm-up ${(growth * 100).toFixed(1)} % (limit 10 %): ${growth <= 0.1 ? 'PASS' : 'FAIL'}; errors ${errors}: ${errors === 0 ? 'PASS' : 'FAIL'}`,
      `- server log lines written: ${server.logLines()}; slowest in-server: ${server.slowest.map((s) => `${s.ms.toFixed(0)} ms ${s.line}`).join('; ')}`,
    ].join('\n');
    const failed = errors > 0 || alive !== 200 || growth > 0.1 || starveRatio > 3 || starveRatioM > 3 || mixRatio > 3;
    return { md, failed, json: { engine, opensearch: where, note: t.note, queriesSent: queriesSent - sent0, phases, rssStart, rssBefore, rssEnd, jvmStart, growth, errors, alive, starveRatio, starveRatioM, mixRatio } };
  } finally {
    const exited = new Promise((ok) => server.child.once('exit', ok));
    server.child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const usage = `usage: npm run bench:load [-- --seconds 60 --clients 10,50 --index DIR --corpus DIR --label TEXT --engine LIST]
Load test of the real server (server/main.ts on 127.0.0.1) with autocannon: mixed keyword, hybrid,
mentions and CSV, every query distinct; prints Markdown for docs/reliability.md and writes
data/bench/load-results.json.
  --seconds N     length of the main phases (default 60)
  --clients LIST  concurrent clients per phase (default 10,50)
  --index DIR     index to serve (default data/bench/index, else the test index of corpus/)
  --corpus DIR    its corpus (the server serves files from it)
  --label TEXT    name of the corpus in the report
  --engine LIST   engines to load, one after the other in this run: embedded (default),
                  opensearch, or embedded,opensearch. With opensearch the server reads the alias
                  OPENSEARCH_INDEX at OPENSEARCH_URL, written from --index first unless it
                  already holds that build
  --query-offset N  start N queries into the distinct sequence (default 0): a repeated run
                  against a cluster that kept its caches then sends queries it has not seen
  -h, --help      show this help`;
  const { values } = cliArgs(usage, {
    options: {
      seconds: { type: 'string', default: '60' },
      clients: { type: 'string', default: '10,50' },
      index: { type: 'string' },
      corpus: { type: 'string' },
      label: { type: 'string' },
      engine: { type: 'string', default: 'embedded' },
      'query-offset': { type: 'string', default: '0' },
    },
  });
  const seconds = Number(values.seconds);
  const offset = Number(values['query-offset']);
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`--query-offset: "${values['query-offset']}" is not a whole number`);
  for (let i = 0; i < offset; i++) nextQuery();
  queriesSent = offset;
  const clients = values.clients.split(',').map(Number).filter((n) => n > 0);
  const engines = values.engine.split(',').map((e) => e.trim());
  const unknown = engines.filter((e) => !(ENGINES as readonly string[]).includes(e));
  if (unknown.length > 0 || engines.length === 0) throw new Error(`--engine: "${values.engine}" is not a list of ${ENGINES.join(', ')}`);
  const benchIndex = resolve(ROOT, 'data', 'bench', 'index');
  let indexDir = values.index ? resolve(values.index) : benchIndex;
  let corpusDir = values.corpus ? resolve(values.corpus) : resolve(ROOT, 'data', 'bench', 'corpus');
  let note = values.label ?? (values.index ? `index ${values.index}` : 'bench index (corpus/ + ../shared/bench-corpus, `npm run bench:index`)');
  if (!existsSync(join(indexDir, 'manifest.json'))) {
    const { ensureCorpusIndex, CORPUS_DIR } = await import('../test/helpers/corpus-index.ts');
    indexDir = await ensureCorpusIndex();
    corpusDir = CORPUS_DIR;
    note = 'NO BENCH INDEX (run `npm run bench:index`): used the test index of corpus/ instead';
    process.stderr.write(`load: ${note}\n`);
  }
  const manifest = JSON.parse(await readFile(join(indexDir, 'manifest.json'), 'utf8')) as Target['manifest'];
  const target: Target = { indexDir, corpusDir, note, manifest };
  const runs: Array<Record<string, unknown>> = [];
  for (const engine of engines as EngineKind[]) {
    const r = await runEngine(engine, target, seconds, clients);
    process.stdout.write(`${r.md}\n\n`);
    runs.push(r.json);
    if (r.failed) process.exitCode = 1;
  }
  await mkdir(resolve(ROOT, 'data', 'bench'), { recursive: true });
  await writeFile(resolve(ROOT, 'data', 'bench', 'load-results.json'), JSON.stringify({ machine: machineLine(), runs }, null, 1));
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
