/**
 * A corpus folder assembled from parts of ../shared (copies, not links: the indexer skips links
 * that lead out of the corpus). Only files that are missing or differ in size are copied, and
 * files that are no longer wanted are removed, so a re-run reuses the folder and its index.
 */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export interface SlicePart {
  /** A corpus folder. */
  from: string;
  /** Paths relative to it; every file when absent. */
  files?: string[];
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  }
  return out;
}

export async function copySlice(target: string, parts: SlicePart[]): Promise<string[]> {
  const wanted = new Map<string, string>();
  for (const p of parts) for (const f of p.files ?? (await walk(p.from))) wanted.set(f, join(p.from, f));
  await mkdir(target, { recursive: true });
  for (const f of await walk(target)) if (!wanted.has(f)) await rm(join(target, f));
  for (const [f, from] of wanted) {
    const to = join(target, f);
    const [a, b] = await Promise.all([stat(from), stat(to).catch(() => null)]);
    if (b && b.size === a.size) continue;
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
  return [...wanted.keys()].sort();
}
