/**
 * List the files of a corpus folder: paths relative to it with forward slashes, sorted, hidden
 * files and folders left out. A symbolic link is followed only when its target stays inside the
 * corpus folder, so a link cannot pull outside files into the index.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CATALOG_FILE } from './catalog.ts';

export interface WalkResult {
  files: string[];
  /** Entries left out, with a one-line reason (links pointing outside, unreadable folders). */
  skipped: Array<{ file: string; reason: string }>;
}

export async function walkCorpus(corpusDir: string): Promise<WalkResult> {
  const root = await realpath(corpusDir);
  const files: string[] = [];
  const skipped: WalkResult['skipped'] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      skipped.push({ file: toRel(root, dir), reason: `folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      const rel = toRel(root, full);
      if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => null);
        if (target === null || !(target === root || target.startsWith(root + sep))) {
          skipped.push({ file: rel, reason: 'symbolic link to a place outside the corpus folder' });
          continue;
        }
        const s = await stat(full);
        if (s.isDirectory()) await visit(full);
        else if (s.isFile()) files.push(rel);
        continue;
      }
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile() && rel !== CATALOG_FILE) files.push(rel);
    }
  };
  await visit(root);
  files.sort();
  return { files, skipped };
}

function toRel(root: string, full: string): string {
  return relative(root, full).split(sep).join('/');
}
