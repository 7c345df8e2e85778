// @ts-check
/**
 * `npm start`: run scripts/start.ts compiled (dist/server/start.js), compiling it first when it is
 * missing or not current (scripts/server-build.mjs). Plain JavaScript so that nothing is compiled
 * on a start when the compiled file is current. When compiling fails (esbuild missing or broken),
 * the TypeScript sources run through tsx instead, as before, after a warning.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer, serverBuildIsCurrent, serverBundle } from './server-build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @type {number | undefined} */
let compiledMs;
let compiled = true;
if (!(await serverBuildIsCurrent(root))) {
  try {
    compiledMs = await buildServer(root);
  } catch (err) {
    compiled = false;
    process.stderr.write(`warning: could not compile the server (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); running the TypeScript sources with tsx\n`);
  }
}
/** @type {{ main(options?: { compiledMs?: number }): Promise<void>; fail(err: unknown): never }} */
let start;
if (compiled) {
  start = await import(pathToFileURL(serverBundle(root, 'start')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  start = await import(pathToFileURL(join(root, 'scripts', 'start.ts')).href);
}
await start.main(compiledMs === undefined ? {} : { compiledMs }).catch(start.fail);
