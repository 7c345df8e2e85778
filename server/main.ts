/**
 * Serve the saved index: load it and its embedder, listen on HOST:PORT (127.0.0.1:3000 by
 * default), and switch to a new index atomically when a build replaces it (the manifest's build
 * id changes). Run directly (`tsx server/main.ts`) or through `npm start` (scripts/start.ts),
 * which builds or updates the index first.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { MANIFEST_FILE } from '../core/index-file.ts';
import { config, type Config } from '../core/config.ts';
import { SearchEngine } from '../core/search.ts';
import { cliArgs } from '../scripts/cli.ts';
import { createApp } from './app.ts';
import { loadIndex, loadIndexEmbedder, loadIndexWithEmbedder } from './load-index.ts';
import type { PartPrefetch } from './part-reader.ts';
import { eventLine, writeLine, type LogFields, type LogLevel } from './log.ts';
import { openSearchProduct } from './opensearch-service.ts';
import { Service, type ServiceOptions } from './service.ts';

export interface ServerOptions {
  indexDir?: string;
  corpusDir?: string;
  host?: string;
  port?: number;
  webDir?: string | null;
  /** Check for a new index every this many ms (0 = never). */
  reloadMs?: number;
  rateLimitPerMinute?: number;
  /** Clock of the rate limit in ms (default Date.now). */
  now?: () => number;
  /**
   * A connection whose request headers have not all arrived this many ms after its request began
   * is answered 408 and closed (slow clients holding sockets, "slowloris"). Default 10 000.
   */
  headersTimeoutMs?: number;
  /** The same for the whole request (headers and body); at least headersTimeoutMs. Default 30 000. */
  requestTimeoutMs?: number;
  /** How often connections are checked against those two limits, in ms. Default 1 000. */
  connectionsCheckingIntervalMs?: number;
  /** The index's parts, already being read (npm start); used when they are of the build in indexDir. */
  prefetch?: PartPrefetch;
}

export interface RunningServer {
  url: string;
  service: Service;
  /** How many checks for a new index have completed (0 when reloadMs is 0). */
  indexChecks(): number;
  close(): Promise<void>;
}

const MAX_HEADER_BYTES = 64 * 1024;

const log = (msg: string, fields: LogFields = {}, level: LogLevel = 'info'): void => writeLine(eventLine(level, msg, fields));

export function defaultWebDir(): string | null {
  const dir = resolve(fileURLToPath(import.meta.url), '..', '..', 'dist', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

/** What both engines' services are given: the reports folder, the web UI, the rate limit. */
function serviceOptions(options: ServerOptions, cfg: Config): ServiceOptions {
  return {
    corpusDir: options.corpusDir ?? cfg.corpusDir,
    webDir: options.webDir === undefined ? defaultWebDir() : options.webDir,
    rateLimitPerMinute: options.rateLimitPerMinute ?? cfg.rateLimit,
    now: options.now,
  };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const cfg = config();
  if (cfg.engine === 'opensearch') return startRemoteServer(options, t0);
  const indexDir = options.indexDir ?? cfg.indexDir;
  const { index, embedder } = await loadIndexWithEmbedder(indexDir, options.prefetch, { thread: true, threads: cfg.queryEmbedThreads });
  const engine = new SearchEngine(index, embedder);
  // Warm the model and the search paths, so the first user's query is as fast as the rest.
  await engine.search({ q: 'care leavers accommodation', mode: 'hybrid' });
  const service = new Service(engine, serviceOptions(options, cfg));
  const { server, url } = await listen(service, options);
  log(`server: listening on ${url} (${index.docs.length} documents, ${index.chunks.length} chunks, embedder ${embedder.info.id}, ready in ${Math.round(performance.now() - t0)} ms)`,
    { url, documents: index.docs.length, chunks: index.chunks.length, embedder: embedder.info.id, buildId: index.manifest.buildId });
  if (!service.options.webDir) log('server: no built web UI in dist/web (run "npm run build:web"); serving the API only', {}, 'warn');

  let buildId = index.manifest.buildId;
  let reloading = false;
  let checks = 0;
  const reloadMs = options.reloadMs ?? 2000;
  const timer = reloadMs > 0 ? setInterval(() => {
    if (reloading) return;
    reloading = true;
    void checkForNewIndex().finally(() => {
      reloading = false;
      checks++;
    });
  }, reloadMs) : null;
  timer?.unref();

  async function checkForNewIndex(): Promise<void> {
    const json = await readFile(join(indexDir, MANIFEST_FILE), 'utf8').catch(() => null);
    if (!json) return;
    let next: string;
    try {
      next = (JSON.parse(json) as { buildId: string }).buildId;
    } catch {
      return;
    }
    if (next === buildId) {
      service.refused = null; // the manifest is back to the build being served
      return;
    }
    // A build that failed to load is not read again (nor logged again) until another replaces it.
    if (next === service.refused?.buildId) return;
    try {
      const fresh = await loadIndex(indexDir);
      const engine = service.embedded!;
      const sameModel = fresh.manifest.embedder.id === engine.index.manifest.embedder.id;
      const freshEmbedder = sameModel ? engine.embedder : await loadIndexEmbedder(fresh, { thread: true, threads: cfg.queryEmbedThreads });
      service.swap(new SearchEngine(fresh, freshEmbedder));
      if (!sameModel) await engine.embedder?.dispose();
      buildId = fresh.manifest.buildId;
      service.refused = null;
      log(`server: switched to index ${buildId} (${fresh.docs.length} documents, ${fresh.chunks.length} chunks)`, { buildId, documents: fresh.docs.length, chunks: fresh.chunks.length });
    } catch (err) {
      const reason = (err as Error).message;
      service.refused = { buildId: next, reason, at: new Date().toISOString() };
      log(`server: new index not loaded, still serving ${buildId}: ${reason}`, { buildId, refused: next }, 'warn');
    }
  }

  return {
    url,
    service,
    indexChecks: () => checks,
    close: async () => {
      if (timer) clearInterval(timer);
      await new Promise<void>((ok) => server.close(() => ok()));
      await service.product.embedder?.dispose();
    },
  };
}

/** Listen on HOST:PORT with the connection limits of ServerOptions. */
async function listen(service: Service, options: ServerOptions): Promise<{ server: ServerType; url: string }> {
  const app = createApp(service);
  const cfg = config();
  const host = options.host ?? cfg.host;
  const port = options.port ?? cfg.port;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const serverOptions = {
    // 64 KB of request line and headers: room for every request the API's schemas allow (core/api-schema.ts).
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout,
    requestTimeout: Math.max(headersTimeout, options.requestTimeoutMs ?? 30_000),
    connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 1_000,
  };
  const server: ServerType = await new Promise((ok) => {
    const s = serve({ fetch: app.fetch, hostname: host, port, serverOptions }, () => ok(s));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  return { server, url };
}

/** ENGINE=opensearch: serve from the OpenSearch alias (no index folder, no reload timer: a rebuild switches the alias). */
async function startRemoteServer(options: ServerOptions, t0: number): Promise<RunningServer> {
  const cfg = config();
  const remote = await openSearchProduct(cfg, (message) => log(message, {}, 'warn'));
  const service = new Service(remote, serviceOptions(options, cfg));
  const { server, url } = await listen(service, options);
  log(`server: listening on ${url} (OpenSearch ${cfg.opensearch.url}, alias ${cfg.opensearch.index}, embedder ${remote.embedder?.info.id}, ready in ${Math.round(performance.now() - t0)} ms)`,
    { url, engine: 'opensearch', opensearch: cfg.opensearch.url, alias: cfg.opensearch.index });
  return {
    url,
    service,
    indexChecks: () => 0,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      await remote.embedder?.dispose();
    },
  };
}

const USAGE = `usage: tsx server/main.ts
Serves the saved index in INDEX_DIR (no indexing; npm start builds it first) on HOST:PORT, and
switches to a new index when a build replaces it.
  -h, --help   show this help`;

/** The server alone from the command line (`tsx server/main.ts`, or the compiled dist/server/main.js). */
export function runServerCli(): void {
  cliArgs(USAGE, { options: {} });
  startServer().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runServerCli();
