/** Whether the built web UI (dist/web) is current: built after every file of web/ last changed. */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

export async function webBuildIsCurrent(root: string): Promise<boolean> {
  const index = join(root, 'dist', 'web', 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= (await newestMtime(join(root, 'web')));
}
