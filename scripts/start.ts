/**
 * npm start: build the web UI if it is missing or older than its sources, build or update the
 * index of the corpus folder, then serve. `npm start -- --watch` also re-indexes when files in
 * the corpus are added, changed or removed (the server switches to the new index atomically).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCorpusDir, defaultIndexDir } from '../core/paths.ts';
import { buildIndex } from '../indexer/build.ts';
import { startServer } from '../server/main.ts';

const root = resolve(import.meta.dirname, '..');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

async function ensureWebBuilt(): Promise<void> {
  const index = join(root, 'dist', 'web', 'index.html');
  if (!existsSync(join(root, 'web', 'index.html'))) return;
  if (existsSync(index) && statSync(index).mtimeMs >= (await newestMtime(join(root, 'web')))) return;
  process.stdout.write('start: building the web UI (vite build)\n');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.stdout.write('start: web UI build failed; serving the API only\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { watch: { type: 'boolean', default: false } } });
  const corpusDir = defaultCorpusDir();
  const indexDir = defaultIndexDir();
  await ensureWebBuilt();
  const reindex = async (): Promise<void> => {
    const s = await buildIndex({ corpusDir, indexDir, log: (line) => process.stdout.write(`${line}\n`) });
    process.stdout.write(
      s.noop
        ? `index: up to date (${s.documents} documents, ${s.chunks} chunks)\n`
        : `index: ${s.documents} documents, ${s.chunks} chunks (${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.skipped.length} skipped) in ${s.seconds}s\n`,
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
          process.stdout.write(`watch: re-index failed: ${(err as Error).message}\n`);
        });
      }, 500);
    });
    process.stdout.write(`watch: re-indexing ${corpusDir} on change\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
