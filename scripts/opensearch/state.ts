/**
 * The state file of one cluster (clusters/<first HTTP port>/state.json): its nodes' ports, folders
 * and pids, so that `status` and `stop` work from any later process.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { clustersDir, stateFile } from './layout.ts';

export interface NodeState {
  name: string;
  httpPort: number;
  transportPort: number;
  /** The node's folder (config/, data/, logs/, tmp/). */
  dir: string;
  pid: number;
}

export interface ClusterState {
  basePort: number;
  heap: string;
  /** The user the nodes run as. */
  user: string;
  startedAt: string;
  nodes: NodeState[];
  /** A secured cluster (start --secure): HTTPS, its CA and the users' credentials file. */
  secure?: { ca: string; credentials: string };
}

export async function readState(basePort: number): Promise<ClusterState | null> {
  const file = stateFile(basePort);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ClusterState;
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message} (remove it if no node of that cluster is running)`);
  }
}

export async function writeState(state: ClusterState): Promise<void> {
  const file = stateFile(state.basePort);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function removeState(basePort: number): Promise<void> {
  await rm(stateFile(basePort), { force: true });
}

/** Every cluster with a state file, by first HTTP port. */
export async function listStates(): Promise<ClusterState[]> {
  if (!existsSync(clustersDir())) return [];
  const states: ClusterState[] = [];
  for (const name of (await readdir(clustersDir())).sort()) {
    if (!/^\d+$/.test(name)) continue;
    const s = await readState(Number(name));
    if (s) states.push(s);
  }
  return states;
}
