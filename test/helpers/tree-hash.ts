/**
 * A fingerprint of a folder: every entry's relative path, type, size, modification time and
 * content (symbolic links by their target, not followed). Equal fingerprints before and after a
 * run show that the run modified, added and removed nothing there.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

export async function treeHash(dir: string): Promise<{ hash: string; entries: number }> {
  const h = createHash('sha256');
  let entries = 0;
  const visit = async (d: string): Promise<void> => {
    const names = (await readdir(d)).sort();
    for (const name of names) {
      const full = join(d, name);
      const s = await lstat(full);
      entries++;
      h.update(`${relative(dir, full)}\0${s.mode}\0${s.size}\0${s.mtimeMs}\0`);
      if (s.isSymbolicLink()) h.update(`link:${await readlink(full)}\0`);
      else if (s.isDirectory()) await visit(full);
      else if (s.isFile()) h.update(await readFile(full));
    }
  };
  await visit(dir);
  return { hash: h.digest('hex'), entries };
}
