/**
 * Write a saved index atomically: every part goes to a temporary name, is fsynced and renamed;
 * the manifest is written last the same way, so a reader sees either the old index or the new
 * one, never a mix. Parts no longer named by the manifest are removed afterwards.
 *
 * A write that fails (disk full, no permission, ...) before the new manifest is in place leaves
 * the previous index as it was: the temporary file and the new parts already renamed are removed,
 * and the error says what happened and what to do ("Index: disk full ..."). The file-system
 * functions are a parameter, so tests can make a write fail where a real disk cannot be filled.
 */
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';
import { MANIFEST_FILE, type EncodedIndex } from '../core/index-file.ts';

/** The file-system calls the write layer makes (node:fs/promises by default). */
export interface IndexFs {
  mkdir: typeof nodeFs.mkdir;
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  rm: typeof nodeFs.rm;
  readdir: typeof nodeFs.readdir;
}

export const defaultFs: IndexFs = { mkdir: nodeFs.mkdir, open: nodeFs.open, rename: nodeFs.rename, rm: nodeFs.rm, readdir: nodeFs.readdir };

/** Files the indexer owns in an index folder: parts (any build id) and temporary files. */
export const PART_FILE = /^(docs|vectors|keyword)-[\w-]+\.(json|f32|bin)$/;

/** `onFile` is called after each file is in place: the parts, then the manifest (progress). */
export async function writeIndex(indexDir: string, encoded: EncodedIndex, onFile?: (name: string) => void, fs: IndexFs = defaultFs): Promise<void> {
  const total = encoded.parts.reduce((n, p) => n + p.bytes.byteLength, 0);
  const placed: string[] = [];
  let current = MANIFEST_FILE;
  try {
    await fs.mkdir(indexDir, { recursive: true });
    for (const part of encoded.parts) {
      current = part.file;
      await writeAtomic(join(indexDir, part.file), part.bytes, fs);
      placed.push(part.file);
      onFile?.(part.file);
    }
    current = MANIFEST_FILE;
    await writeAtomic(join(indexDir, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(encoded.manifest, null, 1)), fs);
  } catch (err) {
    // The manifest was not replaced: the previous index is whole. Take the new parts away too,
    // so a failed build leaves nothing behind (and gives back the space it took).
    for (const file of placed) await fs.rm(join(indexDir, file), { force: true }).catch(() => {});
    throw writeFailure(err as NodeJS.ErrnoException, indexDir, current, total);
  }
  onFile?.(MANIFEST_FILE);
  await syncDir(indexDir, fs);
  await removeStale(indexDir, new Set([MANIFEST_FILE, ...encoded.parts.map((p) => p.file)]), fs);
}

/** Write to a temporary name, fsync, rename; on failure the temporary file is removed. */
export async function writeAtomic(path: string, bytes: Uint8Array, fs: IndexFs = defaultFs): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** A clear message for a failed write; the previous index is unchanged when this is thrown. */
function writeFailure(err: NodeJS.ErrnoException, indexDir: string, file: string, bytes: number): AppError {
  const mb = `${Math.ceil(bytes / 2 ** 20)} MB`;
  const kept = 'the previous index is unchanged (a running server keeps serving it) and no part of the new one is left behind';
  let what: string;
  switch (err.code) {
    case 'ENOSPC':
      what = `disk full while writing ${file} in ${indexDir} (ENOSPC): ${kept}. Free space there (the new index needs about ${mb}) and run the indexer again`;
      break;
    case 'EDQUOT':
      what = `disk quota exceeded while writing ${file} in ${indexDir} (EDQUOT): ${kept}. Free space there (the new index needs about ${mb}) and run the indexer again`;
      break;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      what = `cannot write ${file} in ${indexDir} (${err.code}: no permission or read-only file system): ${kept}`;
      break;
    default:
      what = `writing ${file} in ${indexDir} failed (${err.code ?? err.message}): ${kept}`;
  }
  return new AppError('index_write', `Index: ${what}`, { cause: err });
}

async function syncDir(dir: string, fs: IndexFs): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some file systems do not support fsync on a directory; the renames are still atomic.
  } finally {
    await fh.close();
  }
}

/** Remove old parts and temporary files left by earlier or crashed builds. */
async function removeStale(indexDir: string, keep: Set<string>, fs: IndexFs): Promise<void> {
  for (const name of await fs.readdir(indexDir)) {
    const ours = PART_FILE.test(name) || name.includes('.tmp-');
    if (ours && !keep.has(name)) await fs.rm(join(indexDir, name), { force: true });
  }
}
