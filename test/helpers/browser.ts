/**
 * Browser end-to-end helpers: launch Debian's Chromium through playwright-core (never a
 * downloaded browser), and run the REAL server (`scripts/start.ts`, i.e. `npm start`: builds the
 * web UI and the index if needed, then serves) on a free port for a corpus and index folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './corpus-index.ts';
import { requirement, type Requirement } from './requirement.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium for the browser tests: skipped without it outside CI, a failure under CI=true. */
export function browserRequirement(): Requirement {
  return requirement(existsSync(CHROMIUM_PATH) ? null : `browser e2e tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface RealServer {
  url: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}


/**
 * Starts `tsx scripts/start.ts` with PORT, HOST, INDEX_DIR and CORPUS_DIR and waits until
 * GET /api/health answers 200 (the first build of corpus/ embeds every chunk: minutes).
 */
export async function startRealServer(opts: { corpusDir: string; indexDir: string; timeoutMs?: number }): Promise<RealServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', INDEX_DIR: opts.indexDir, CORPUS_DIR: opts.corpusDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer): void => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const stop = async (): Promise<void> => {
    if (exited !== null) return;
    await new Promise<void>((ok) => {
      child.once('exit', () => ok());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 20 * 60_000);
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`server exited with ${exited} before answering:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { url, output: () => out, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`server did not answer /api/health within ${opts.timeoutMs ?? 1_200_000} ms:\n${out}`);
}
