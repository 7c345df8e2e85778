// @ts-check
/**
 * The compiled server: scripts/start.ts (what `npm start` runs) and server/main.ts (the server
 * alone) bundled by esbuild into dist/server/start.js and dist/server/main.js, node_modules left
 * outside, so a start runs JavaScript instead of compiling ~100 TypeScript files through tsx
 * (about 1 s of every start).
 *
 * One rule for whether it is current: dist/server/inputs.json, written last by a build, lists
 * every source file esbuild read with its size and modification time; the build is current when
 * both bundles and that list exist, the list is of this BUILD_FORMAT, and every file in it still
 * has that size and time (a changed, touched or deleted source means a rebuild; a new source
 * file can only enter through an edit of one already listed).
 *
 * Plain JavaScript (type-checked through JSDoc), because scripts/start.mjs must decide whether the
 * bundles are current before any TypeScript can run. Sources keep their own `import.meta.url`:
 * each is rewritten to the source file's URL relative to the bundle, so paths a module computes
 * from its own location (the models folder, dist/web, "am I the entry point") mean what they
 * mean when the source runs under tsx, and the folder can move.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Bump when the bundle options below change: bundles of another format are rebuilt. */
export const BUILD_FORMAT = 1;
/** Where the bundles go, relative to the repository root. */
export const SERVER_BUILD_DIR = join('dist', 'server');
const INPUTS_FILE = 'inputs.json';
/** Output name -> its source entry point (relative to the root). */
const ENTRIES = { start: 'scripts/start.ts', main: 'server/main.ts' };

/**
 * @typedef {{ format: number; builtAt: string; inputs: Record<string, { size: number; mtimeMs: number }> }} BuildInputs
 */

/**
 * The bundle file of an entry ('start' or 'main').
 * @param {string} root repository root
 * @param {keyof typeof ENTRIES} entry
 */
export function serverBundle(root, entry) {
  return join(root, SERVER_BUILD_DIR, `${entry}.js`);
}

/**
 * Whether dist/server is current (see above).
 * @param {string} root repository root
 * @returns {Promise<boolean>}
 */
export async function serverBuildIsCurrent(root) {
  const dir = join(root, SERVER_BUILD_DIR);
  for (const entry of Object.keys(ENTRIES)) if (!existsSync(join(dir, `${entry}.js`))) return false;
  /** @type {BuildInputs} */
  let recorded;
  try {
    recorded = JSON.parse(await readFile(join(dir, INPUTS_FILE), 'utf8'));
  } catch {
    return false;
  }
  if (recorded.format !== BUILD_FORMAT || !recorded.inputs || Object.keys(recorded.inputs).length === 0) return false;
  const checks = await Promise.all(
    Object.entries(recorded.inputs).map(async ([file, was]) => {
      const now = await stat(join(root, file)).catch(() => null);
      return now !== null && now.size === was.size && now.mtimeMs === was.mtimeMs;
    }),
  );
  return checks.every(Boolean);
}

/**
 * Bundle scripts/start.ts and server/main.ts into dist/server (each file written under a
 * temporary name and renamed; the input list last). Returns the milliseconds it took.
 * @param {string} root repository root
 * @returns {Promise<number>}
 */
export async function buildServer(root) {
  const t0 = performance.now();
  const esbuild = await import('esbuild');
  const outdir = join(root, SERVER_BUILD_DIR);
  // Sizes and times are taken before esbuild reads the files: a source saved during the build
  // then no longer matches its record, and the next start builds again.
  /** @type {BuildInputs['inputs']} */
  const before = {};
  /** @type {import('esbuild').Plugin} */
  const ownUrls = {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const s = await stat(args.path);
        before[relative(root, args.path).split(sep).join('/')] = { size: s.size, mtimeMs: s.mtimeMs };
        const source = await readFile(args.path, 'utf8');
        const fromBundle = relative(outdir, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        if (/\bimport\.meta\.(dirname|filename)\b/.test(source)) {
          return { errors: [{ text: `${fromBundle}: use import.meta.url (import.meta.dirname and filename are not rewritten for the bundle)` }] };
        }
        return { contents: source.replace(/\bimport\.meta\.url\b/g, url), loader: 'ts' };
      });
      // The server alone: server/main.ts's command line, called (its own "am I the entry point"
      // test compares with server/main.ts, which the bundle is not).
      build.onResolve({ filter: /^server-main-entry$/ }, () => ({ path: 'server-main-entry', namespace: 'entry' }));
      build.onLoad({ filter: /.*/, namespace: 'entry' }, () => ({
        contents: `import { runServerCli } from ${JSON.stringify(resolve(root, ENTRIES.main))};\nrunServerCli();\n`,
        resolveDir: root,
        loader: 'ts',
      }));
    },
  };
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [{ in: ENTRIES.start, out: 'start' }, { in: 'server-main-entry', out: 'main' }],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    write: false,
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [ownUrls],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('entry:') && !f.includes('node_modules/'));
  for (const f of inputs) {
    if (!before[f]) {
      const s = await stat(join(root, f));
      before[f] = { size: s.size, mtimeMs: s.mtimeMs };
    }
  }
  await mkdir(outdir, { recursive: true });
  await rm(join(outdir, INPUTS_FILE), { force: true });
  for (const out of result.outputFiles) await writeAtomic(out.path, out.contents);
  /** @type {BuildInputs} */
  const record = { format: BUILD_FORMAT, builtAt: new Date().toISOString(), inputs: Object.fromEntries(inputs.sort().map((f) => [f, before[f]])) };
  await writeAtomic(join(outdir, INPUTS_FILE), new TextEncoder().encode(`${JSON.stringify(record, null, 1)}\n`));
  return performance.now() - t0;
}

/**
 * @param {string} path
 * @param {Uint8Array} bytes
 */
async function writeAtomic(path, bytes) {
  const tmp = `${path}.tmp-${process.pid}`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}
