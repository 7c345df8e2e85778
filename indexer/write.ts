/**
 * Write a saved index atomically: every part goes to a temporary name, is fsynced and renamed;
 * the manifest is written last the same way, so a reader sees either the old index or the new
 * one, never a mix. Parts no longer named by the manifest are removed afterwards.
 */
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type EncodedIndex } from '../core/index-file.ts';

/** `onFile` is called after each file is in place: the parts, then the manifest (progress). */
export async function writeIndex(indexDir: string, encoded: EncodedIndex, onFile?: (name: string) => void): Promise<void> {
  await mkdir(indexDir, { recursive: true });
  for (const part of encoded.parts) {
    await writeAtomic(join(indexDir, part.file), part.bytes);
    onFile?.(part.file);
  }
  await writeAtomic(join(indexDir, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(encoded.manifest, null, 1)));
  onFile?.(MANIFEST_FILE);
  await syncDir(indexDir);
  await removeStale(indexDir, new Set([MANIFEST_FILE, ...encoded.parts.map((p) => p.file)]));
}

export async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some file systems do not support fsync on a directory; the renames are still atomic.
  } finally {
    await fh.close();
  }
}

/** Remove old parts and temporary files left by earlier or crashed builds. */
async function removeStale(indexDir: string, keep: Set<string>): Promise<void> {
  for (const name of await readdir(indexDir)) {
    const ours = /^(docs|vectors|keyword)-[\w-]+\.(json|f32|bin)$/.test(name) || name.includes('.tmp-');
    if (ours && !keep.has(name)) await rm(join(indexDir, name), { force: true });
  }
}
