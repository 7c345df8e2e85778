/**
 * npm start: build the web UI if it is missing or older than its sources, build or update the
 * index of the corpus folder, then serve. `npm start -- --watch` also re-indexes when files in
 * the corpus are added, changed or removed (the server switches to the new index atomically).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { config } from '../core/config.ts';
import { buildIndex } from '../indexer/build.ts';
import { eventLine, writeLine, type LogLevel } from '../server/log.ts';
import { startServer } from '../server/main.ts';
import { cliArgs } from './cli.ts';
import { webBuildIsCurrent } from './web-build.ts';

const USAGE = `usage: npm start [-- --watch]
Builds the web UI if it is missing or older than its sources, builds or updates the index of the
corpus folder (CORPUS_DIR) into INDEX_DIR, then serves the UI and the API on HOST:PORT.
  --watch      also re-index when files in the corpus are added, changed or removed
  -h, --help   show this help`;

const root = resolve(import.meta.dirname, '..');

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

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, { options: { watch: { type: 'boolean', default: false } } });
  const { corpusDir, indexDir, logFormat } = config();
  await ensureWebBuilt();
  const reindex = async (): Promise<void> => {
    // Progress bars are for people; JSON logs get the summary lines only.
    const s = await buildIndex({ corpusDir, indexDir, log: (line) => log(line, line.startsWith('warning:') ? 'warn' : 'info'), progress: { silent: logFormat === 'json' } });
    log(
      s.noop
        ? `index: up to date (${s.documents} documents, ${s.chunks} chunks)`
        : `index: ${s.documents} documents, ${s.chunks} chunks (${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.skipped.length} skipped) in ${s.seconds}s`,
    );
  };
  await reindex();
  await startServer({ indexDir, corpusDir });
  if (values.watch) {
    let timer: NodeJS.Timeout | null = null;
    let running = Promise.resolve();
    watch(corpusDir, { recursive: true }, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(reindex).catch((err: unknown) => {
          log(`watch: re-index failed: ${(err as Error).message}`, 'error');
        });
      }, 500);
    });
    log(`watch: re-indexing ${corpusDir} on change`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
