/**
 * One node's Java process: started detached from bin/opensearch (which execs java, so the pid
 * we record is the node's), recognised by its /proc/<pid>/cmdline (the OpenSearch main class and
 * this node's config folder, so a reused pid is never taken for ours), and stopped by pid.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunAs } from './service-user.ts';

const MAIN_CLASS = 'org.opensearch.bootstrap.OpenSearch';

export function stdoutLog(dir: string): string {
  return join(dir, 'logs', 'stdout.log');
}

export function spawnNode(distribution: string, dir: string, javaHome: string, runAs: RunAs | null): number {
  const out = openSync(stdoutLog(dir), 'a');
  try {
    const child = spawn(join(distribution, 'bin', 'opensearch'), [], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        OPENSEARCH_JAVA_HOME: javaHome,
        OPENSEARCH_PATH_CONF: join(dir, 'config'),
        OPENSEARCH_TMPDIR: join(dir, 'tmp'),
        HOME: dir,
      },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    if (child.pid === undefined) throw new Error(`could not start ${join(distribution, 'bin', 'opensearch')}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** True if `pid` is a live OpenSearch node whose config folder is `dir`/config. */
export function isOurNode(pid: number, dir: string): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); // empty for a zombie
  } catch {
    return false;
  }
  const args = cmdline.split('\0');
  return args.includes(MAIN_CLASS) && args.includes(`-Dopensearch.path.conf=${join(dir, 'config')}`);
}

/**
 * True while `pid` exists and is not a zombie. During start-up the pid is first bin/opensearch
 * (bash) and becomes the node when the script execs java, so this is what start-up watches.
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Running = (n: { pid: number; dir: string }) => boolean;

/** Wait until none of `nodes` runs; returns those still running after `ms`. */
async function waitForExit<T extends { pid: number; dir: string }>(nodes: T[], running: Running, ms: number): Promise<T[]> {
  const deadline = Date.now() + ms;
  let left = nodes.filter(running);
  while (left.length && Date.now() < deadline) {
    await sleep(200);
    left = left.filter(running);
  }
  return left;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // already gone
  }
}

/**
 * SIGTERM each node, SIGKILL any still running after `graceMs`, and wait for them all to exit.
 * Only pids that are this cluster's nodes are signalled, except with `spawnedHere` (processes this
 * process has just started, which may still be bin/opensearch before it execs java).
 */
export async function stopNodes<T extends { pid: number; dir: string }>(nodes: T[], opts: { graceMs?: number; spawnedHere?: boolean } = {}): Promise<void> {
  const running: Running = opts.spawnedHere ? (n) => isAlive(n.pid) : (n) => isOurNode(n.pid, n.dir);
  const ours = nodes.filter(running);
  for (const n of ours) signal(n.pid, 'SIGTERM');
  const stubborn = await waitForExit(ours, running, opts.graceMs ?? 30_000);
  for (const n of stubborn) signal(n.pid, 'SIGKILL');
  const left = await waitForExit(stubborn, running, 10_000);
  if (left.length) throw new Error(`could not stop pid ${left.map((n) => n.pid).join(', ')}`);
}
