/**
 * npm start: build the web UI if it is missing or older than its sources, build or update the
 * index of the corpus folder, then serve. `npm start -- --watch` also re-indexes when files in
 * the corpus are added, changed or removed (the server switches to the new index atomically).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { buildIndex } from '../indexer/build.ts';
import { eventLine, writeLine, type LogLevel } from '../server/log.ts';
import { prefetchIndex } from '../server/load-index.ts';
import { startServer } from '../server/main.ts';
import { cliArgs } from './cli.ts';
import { webBuildIsCurrent } from './web-build.ts';

const USAGE = `usage: npm start [-- --watch]
Builds the web UI if it is missing or older than its sources, builds or updates the index of the
corpus folder (CORPUS_DIR) into INDEX_DIR, then serves the UI and the API on HOST:PORT.
  --watch      also re-index when files in the corpus are added, changed or removed
  -h, --help   show this help`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** start's own lines go through the server's log format (LOG_FORMAT). */
const log = (msg: string, level: LogLevel = 'info'): void => writeLine(eventLine(level, msg));

async function ensureWebBuilt(): Promise<void> {
  if (!existsSync(join(root, 'web', 'index.html'))) return;
  if (await webBuildIsCurrent(root)) return;
  log('start: building the web UI (vite build)');
  const json = config().logFormat === 'json';
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: json ? 'pipe' : 'inherit', encoding: 'utf8' });
  // In JSON logs vite's own output becomes log lines too.
  if (json) for (const line of `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => l.trim() !== '')) log(`vite: ${line}`, 'warn');
  if (r.status !== 0) log('start: web UI build failed; serving the API only', 'error');
}

/**
 * Run npm start. `compiledMs`: scripts/start.mjs compiled this file (dist/server) before
 * running it, in that many ms (said in the log).
 */
export async function main(options: { compiledMs?: number } = {}): Promise<void> {
  const { values } = cliArgs(USAGE, { options: { watch: { type: 'boolean', default: false } } });
  const { corpusDir, indexDir, logFormat } = config();
  if (options.compiledMs !== undefined) log(`start: compiled the server into dist/server (esbuild, ${Math.round(options.compiledMs)} ms)`);
  await ensureWebBuilt();
  const reindex = async (verifyParts = true, onScanned?: (upToDate: boolean) => void): Promise<void> => {
    // Progress bars are for people; JSON logs get the summary lines only.
    const s = await buildIndex({
      corpusDir, indexDir, verifyParts, onScanned, log: (line) => log(line, line.startsWith('warning:') ? 'warn' : 'info'), progress: { silent: logFormat === 'json' },
    });
    log(
      s.noop
        ? `index: up to date (${s.documents} documents, ${s.chunks} chunks)`
        : `index: ${s.documents} documents, ${s.chunks} chunks (${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.skipped.length} skipped) in ${s.seconds}s`,
    );
  };
  // The server checks every part's SHA-256 as it loads the index, so the up-to-date check does
  // not read them too; when that load finds a damaged part, the index is rebuilt (the build
  // checks them) and served.
  // The parts of the index in place are read and hashed (in worker threads) while the corpus is
  // compared with it; the server takes them when the comparison finds nothing to do, else they
  // are dropped and the new index is read once built.
  const prefetch = await prefetchIndex(indexDir);
  let upToDate = false;
  await reindex(false, (u) => {
    upToDate = u;
    if (!u) prefetch?.cancel();
  }).catch((err: unknown) => {
    prefetch?.cancel();
    throw err;
  });
  if (!upToDate) prefetch?.cancel();
  await startServer({ indexDir, corpusDir, ...(upToDate && prefetch ? { prefetch } : {}) }).catch(async (err: unknown) => {
    if (!(err instanceof AppError) || err.code !== 'index_corrupt') throw err;
    log(`start: ${err.message.replace(/; rebuild the index$/, '')}: rebuilding the index from the corpus`, 'warn');
    await reindex();
    await startServer({ indexDir, corpusDir });
  });
  if (values.watch) {
    let timer: NodeJS.Timeout | null = null;
    let running = Promise.resolve();
    watch(corpusDir, { recursive: true }, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(() => reindex()).catch((err: unknown) => {
          log(`watch: re-index failed: ${(err as Error).message}`, 'error');
        });
      }, 500);
    });
    log(`watch: re-indexing ${corpusDir} on change`);
  }
}

/** Fails the command with its one-line error (as every command does). */
export function fail(err: unknown): never {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

// Run directly (`tsx scripts/start.ts`); scripts/start.mjs imports the compiled file and calls main.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main().catch(fail);
