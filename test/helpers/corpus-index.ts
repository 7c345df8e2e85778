/**
 * The corpus the tests share and its index. Users add their own reports to corpus/, so the tests
 * never read it directly: they use a copy of the shipped reports only (the files git lists under
 * corpus/) in test/.tmp/corpus, indexed once with the real default embedder into
 * test/.tmp/corpus-index and reused (the indexer's no-op run) while corpus and pipeline are
 * unchanged.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { buildIndex } from '../../indexer/build.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The copy of the shipped reports every test reads (made by ensureCorpusIndex / global setup). */
export const CORPUS_DIR = resolve(ROOT, 'test', '.tmp', 'corpus');
export const CORPUS_INDEX_DIR = resolve(ROOT, 'test', '.tmp', 'corpus-index');
export const SHARED_DIR = resolve(ROOT, '..', 'shared');

/** The shipped reports: paths under corpus/ as git lists them. */
export function shippedCorpusFiles(): string[] {
  let out: string;
  try {
    out = execFileSync('git', ['ls-files', '-z', '--', 'corpus'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`test corpus: cannot list the shipped reports with "git ls-files corpus" in ${ROOT} (the tests need a git clone): ${(err as Error).message}`);
  }
  const files = out.split('\0').filter((f) => f.length > 0).map((f) => relative('corpus', f));
  if (files.length === 0) throw new Error(`test corpus: "git ls-files corpus" in ${ROOT} lists no files`);
  return files.sort();
}

/** Make CORPUS_DIR hold exactly the shipped reports (only files that differ are copied). */
export async function ensureFixtureCorpus(): Promise<string> {
  const files = shippedCorpusFiles();
  const wanted = new Set(files);
  for (const f of files) {
    const from = join(ROOT, 'corpus', f);
    const to = join(CORPUS_DIR, f);
    const bytes = await readFile(from).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`test corpus: shipped report ${from} cannot be read (${err.code ?? err.message}); restore it with "git checkout -- corpus"`);
    });
    let same = false;
    try {
      same = readFileSync(to).equals(bytes);
    } catch {
      // not copied yet
    }
    if (!same) {
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    }
  }
  for (const e of await readdir(CORPUS_DIR, { withFileTypes: true, recursive: true })) {
    const rel = relative(CORPUS_DIR, join(e.parentPath, e.name));
    if (!e.isDirectory() && !wanted.has(rel)) await rm(join(CORPUS_DIR, rel), { force: true });
  }
  return CORPUS_DIR;
}

export async function ensureCorpusIndex(): Promise<string> {
  await ensureFixtureCorpus();
  await buildIndex({ corpusDir: CORPUS_DIR, indexDir: CORPUS_INDEX_DIR, progress: { silent: true } });
  return CORPUS_INDEX_DIR;
}
