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
import { defaultCorpusDir, defaultIndexDir } from '../core/paths.ts';
import { SearchEngine } from '../core/search.ts';
import { createApp } from './app.ts';
import { loadIndex, loadIndexEmbedder } from './load-index.ts';
import { Service } from './service.ts';

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
}

export interface RunningServer {
  url: string;
  service: Service;
  /** How many checks for a new index have completed (0 when reloadMs is 0). */
  indexChecks(): number;
  close(): Promise<void>;
}

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function defaultWebDir(): string | null {
  const dir = resolve(fileURLToPath(import.meta.url), '..', '..', 'dist', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const indexDir = options.indexDir ?? defaultIndexDir();
  const index = await loadIndex(indexDir);
  const embedder = await loadIndexEmbedder(index);
  const engine = new SearchEngine(index, embedder);
  // Warm the model and the search paths, so the first user's query is as fast as the rest.
  await engine.search({ q: 'care leavers accommodation', mode: 'hybrid' });
  const service = new Service(engine, {
    corpusDir: options.corpusDir ?? defaultCorpusDir(),
    webDir: options.webDir === undefined ? defaultWebDir() : options.webDir,
    rateLimitPerMinute: options.rateLimitPerMinute ?? Number(process.env.RATE_LIMIT ?? 0),
    now: options.now,
  });
  const app = createApp(service);
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const serverOptions = {
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
  log(`server: listening on ${url} (${index.docs.length} documents, ${index.chunks.length} chunks, embedder ${embedder.info.id}, ready in ${Math.round(performance.now() - t0)} ms)`);
  if (!service.options.webDir) log('server: no built web UI in dist/web (run "npm run build:web"); serving the API only');

  let buildId = index.manifest.buildId;
  /** A build that failed to load is not read again (nor logged again) until another replaces it. */
  let refused: string | null = null;
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
    if (next === buildId || next === refused) return;
    try {
      const fresh = await loadIndex(indexDir);
      const engine = service.engine;
      const sameModel = fresh.manifest.embedder.id === engine.index.manifest.embedder.id;
      const freshEmbedder = sameModel ? engine.embedder : await loadIndexEmbedder(fresh);
      service.swap(new SearchEngine(fresh, freshEmbedder));
      if (!sameModel) await engine.embedder?.dispose();
      buildId = fresh.manifest.buildId;
      log(`server: switched to index ${buildId} (${fresh.docs.length} documents, ${fresh.chunks.length} chunks)`);
    } catch (err) {
      refused = next;
      log(`server: new index not loaded, still serving ${buildId}: ${(err as Error).message}`);
    }
  }

  return {
    url,
    service,
    indexChecks: () => checks,
    close: async () => {
      if (timer) clearInterval(timer);
      await new Promise<void>((ok) => server.close(() => ok()));
      await service.engine.embedder?.dispose();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startServer().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
