/**
 * OpenSearch refuses to run as root. When this script runs as root (as CI does), the nodes run as
 * a system user (OPENSEARCH_RUN_AS, default `opensearch`; not OPENSEARCH_USER, which is the basic-auth user of the server and the indexer), created with useradd if missing, and
 * their folders are handed to it. As any other user, the nodes run as that user.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Log } from './maven.ts';

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

function lookup(name: string): RunAs | null {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name) return { user, uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/** The user the nodes run as when we are root; null when we are not (they run as us). */
export function serviceUser(log: Log): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const name = process.env.OPENSEARCH_RUN_AS ?? 'opensearch';
  const found = lookup(name);
  if (found) return found;
  const r = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`useradd ${name} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}; OpenSearch cannot run as root`);
  log(`created system user ${name} to run OpenSearch (it refuses to run as root)`);
  const created = lookup(name);
  if (!created) throw new Error(`useradd ${name} succeeded but ${name} is not in /etc/passwd`);
  return created;
}

/** Give `dir` (recursively) to the service user. */
export function chownTo(dir: string, runAs: RunAs): void {
  const r = spawnSync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chown -R ${runAs.user} ${dir} failed: ${r.stderr || r.error?.message}`);
}

/** Fail clearly if the service user cannot reach `path` (e.g. a checkout under a 0700 /root). */
export function assertReadableBy(path: string, runAs: RunAs): void {
  const r = spawnSync('test', ['-r', path, '-a', '-x', path], { uid: runAs.uid, gid: runAs.gid });
  if (r.status !== 0) {
    throw new Error(`user ${runAs.user} cannot read ${path}: a parent folder is closed to other users; set OPENSEARCH_CACHE_DIR to a folder it can reach`);
  }
}
