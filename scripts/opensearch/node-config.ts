/**
 * One node's folder: config/ (a copy of the distribution's, with this node's opensearch.yml and
 * JVM options), data/, logs/ and tmp/. Written before every start, so a changed port, node count
 * or heap takes effect; data/ is kept.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTER_NAME } from './layout.ts';

export interface NodeConfig {
  name: string;
  dir: string;
  httpPort: number;
  transportPort: number;
  /** Transport ports of every node of the cluster (discovery.seed_hosts). */
  seedPorts: number[];
  /** Node names that bootstrap a new cluster; empty once the cluster has formed. */
  initialClusterManagers: string[];
  /** -Xms/-Xmx, e.g. 512m. */
  heap: string;
  /** More opensearch.yml lines (a secured node's TLS and security settings). */
  settings?: string[];
}

function yaml(c: NodeConfig): string {
  const list = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  const lines = [
    '# Written by scripts/opensearch.ts before each start: edits here are overwritten.',
    `cluster.name: ${CLUSTER_NAME}`,
    `node.name: ${c.name}`,
    `path.data: ${JSON.stringify(join(c.dir, 'data'))}`,
    `path.logs: ${JSON.stringify(join(c.dir, 'logs'))}`,
    // Loopback only: no other machine can reach the nodes (and OpenSearch stays in development mode).
    'network.host: 127.0.0.1',
    `http.port: ${c.httpPort}`,
    `transport.port: ${c.transportPort}`,
    `discovery.seed_hosts: ${list(c.seedPorts.map((p) => `127.0.0.1:${p}`))}`,
    // Free-space thresholds instead of the default 85/90/95 % of the disk, which stop shard
    // allocation on a big, mostly full disk that still has gigabytes free.
    'cluster.routing.allocation.disk.watermark.low: 2gb',
    'cluster.routing.allocation.disk.watermark.high: 1gb',
    'cluster.routing.allocation.disk.watermark.flood_stage: 512mb',
  ];
  if (c.initialClusterManagers.length) lines.push(`cluster.initial_cluster_manager_nodes: ${list(c.initialClusterManagers)}`);
  lines.push(...(c.settings ?? []));
  return `${lines.join('\n')}\n`;
}

/** The distribution's jvm.options with the paths it gives relative to OPENSEARCH_HOME made this node's. */
function jvmOptions(text: string, dir: string): string {
  const replacements: [string, string][] = [
    ['-XX:HeapDumpPath=data', `-XX:HeapDumpPath=${join(dir, 'data')}`],
    ['-XX:ErrorFile=logs/', `-XX:ErrorFile=${join(dir, 'logs')}/`],
    ['file=logs/gc.log', `file=${join(dir, 'logs', 'gc.log')}`],
  ];
  let out = text;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`jvm.options of the distribution has no "${from}": the node config recipe needs updating`);
    out = out.replaceAll(from, to);
  }
  return out;
}

/** True if the node has never stored cluster state (so the cluster must be bootstrapped). */
export async function hasData(dir: string): Promise<boolean> {
  const data = join(dir, 'data');
  return existsSync(data) && (await readdir(data)).length > 0;
}

export async function writeNodeConfig(distribution: string, c: NodeConfig): Promise<void> {
  const config = join(c.dir, 'config');
  await mkdir(config, { recursive: true });
  await cp(join(distribution, 'config'), config, { recursive: true, force: true });
  await writeFile(join(config, 'opensearch.yml'), yaml(c));
  await writeFile(join(config, 'jvm.options'), jvmOptions(await readFile(join(distribution, 'config', 'jvm.options'), 'utf8'), c.dir));
  // Read after jvm.options, so these win over its -Xms1g/-Xmx1g.
  await writeFile(join(config, 'jvm.options.d', 'heap.options'), `-Xms${c.heap}\n-Xmx${c.heap}\n`);
  for (const sub of ['data', 'logs', 'tmp']) await mkdir(join(c.dir, sub), { recursive: true });
}
