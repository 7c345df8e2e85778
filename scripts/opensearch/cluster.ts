/**
 * Start, stop and report a cluster of N OpenSearch nodes on loopback. A cluster is named by its
 * first HTTP port P: node i (0-based) serves HTTP on P+i and transport on P+100+i, and lives in
 * clusters/P/node-<i+1>/. Start is idempotent: running nodes are kept, missing ones started.
 * A secured cluster (--secure) runs from the distribution with the security plugin, speaks HTTPS
 * and is asked for its health as the admin user, trusting only its own CA (security.ts).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ensureAssembled, ensureSecureAssembled } from './assemble.ts';
import { javaHome } from './java.ts';
import { clusterDir, nodeDir, securityDir, nodeName, OPENSEARCH_VERSION, TRANSPORT_OFFSET } from './layout.ts';
import type { Log } from './maven.ts';
import { hasData, writeNodeConfig } from './node-config.ts';
import { isAlive, isOurNode, spawnNode, stdoutLog, stopNodes } from './node-process.ts';
import { ensureSecurityMaterial, securitySettings, writeSecurityConfig, type Credentials } from './security.ts';
import { assertReadableBy, chownTo, serviceUser } from './service-user.ts';
import { listStates, readState, removeState, writeState, type ClusterState, type NodeState } from './state.ts';

export interface StartOptions {
  nodes: number;
  port: number;
  /** Per-node JVM heap, e.g. 512m. */
  heap: string;
  /** Delete the cluster's data first. */
  fresh: boolean;
  timeoutSeconds: number;
  /** TLS, users and roles (security.ts). */
  secure: boolean;
  /** The alias whose indexes the secured cluster's indexer and reader may use. */
  alias: string;
}

export interface Started {
  url: string;
  /** A secured cluster's CA (PEM) and credentials file (users and passwords, 0600). */
  secure?: { ca: string; credentials: string };
}

/** How to ask a secured cluster: its CA and the admin's basic auth. */
interface Access {
  ca: Buffer;
  authorization: string;
}

interface Health {
  status: string;
  number_of_nodes: number;
}

export function urlOf(port: number, secure = false): string {
  return `${secure ? 'https' : 'http'}://127.0.0.1:${port}`;
}

async function accessOf(secure: ClusterState['secure']): Promise<Access | null> {
  if (!secure) return null;
  const credentials = JSON.parse(await readFile(secure.credentials, 'utf8')) as Credentials;
  const admin = credentials.users.admin;
  return { ca: await readFile(secure.ca), authorization: `Basic ${Buffer.from(`admin:${admin.password}`).toString('base64')}` };
}

function httpsJson(url: string, access: Access, ms: number): Promise<unknown> {
  return new Promise((ok, fail) => {
    const req = httpsRequest(url, { ca: access.ca, headers: { authorization: access.authorization }, timeout: ms }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => (res.statusCode === 200 ? ok(JSON.parse(Buffer.concat(parts).toString('utf8'))) : fail(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function health(port: number, access: Access | null): Promise<Health | null> {
  try {
    if (access) return (await httpsJson(`${urlOf(port, true)}/_cluster/health`, access, 2_000)) as Health;
    const res = await fetch(`${urlOf(port)}/_cluster/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? ((await res.json()) as Health) : null;
  } catch {
    return null;
  }
}

/** Health as seen by the first node that answers. */
async function clusterHealth(nodes: NodeState[], access: Access | null): Promise<{ health: Health | null; answering: number }> {
  let first: Health | null = null;
  let answering = 0;
  for (const n of nodes) {
    const h = await health(n.httpPort, access);
    if (h) answering++;
    first ??= h;
  }
  return { health: first, answering };
}

function isReady(h: Health, nodes: number): boolean {
  return (h.status === 'green' || h.status === 'yellow') && h.number_of_nodes === nodes;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function tail(file: string, lines: number): Promise<string> {
  const text = existsSync(file) ? (await readFile(file, 'utf8')).trimEnd() : '';
  return text ? text.split('\n').slice(-lines).join('\n') : '(empty)';
}

/** Names of this cluster's node folders that hold data (the size of the cluster they formed). */
async function nodesWithData(basePort: number): Promise<string[]> {
  const dir = clusterDir(basePort);
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((n) => /^node-\d+$/.test(n));
  const out: string[] = [];
  for (const n of names) if (await hasData(join(dir, n))) out.push(n);
  return out;
}

function validate(o: StartOptions): void {
  if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > 9) throw new Error(`--nodes must be 1 to 9, not ${o.nodes}`);
  if (!Number.isInteger(o.port) || o.port < 1024 || o.port + TRANSPORT_OFFSET + o.nodes - 1 > 65535) {
    throw new Error(`--port must be 1024 to ${65535 - TRANSPORT_OFFSET - o.nodes + 1}, not ${o.port}`);
  }
  if (!/^\d+[mg]$/i.test(o.heap)) throw new Error(`--heap must look like 512m or 1g, not ${o.heap}`);
  if (!(o.timeoutSeconds > 0)) throw new Error(`--timeout must be a positive number of seconds, not ${o.timeoutSeconds}`);
  if (!/^[a-z0-9][a-z0-9_-]{0,100}$/.test(o.alias)) throw new Error(`--alias must be lower-case letters, digits, - and _, not ${o.alias}`);
}

async function waitReady(nodes: NodeState[], started: NodeState[], access: Access | null, o: StartOptions, t0: number, log: Log): Promise<Health> {
  const deadline = t0 + o.timeoutSeconds * 1000;
  let nextReport = t0 + 5_000;
  for (;;) {
    for (const n of started) {
      if (!isAlive(n.pid)) {
        throw new Error(`${n.name} (pid ${n.pid}) exited during start-up; last lines of ${stdoutLog(n.dir)}:\n${await tail(stdoutLog(n.dir), 40)}`);
      }
    }
    const { health: h, answering } = await clusterHealth(nodes, access);
    if (h && isReady(h, o.nodes)) return h;
    const now = Date.now();
    if (now > deadline) {
      const logs = await Promise.all(started.map(async (n) => `--- ${n.name}: ${stdoutLog(n.dir)}\n${await tail(stdoutLog(n.dir), 15)}`));
      throw new Error(`the cluster was not ready (${o.nodes} nodes, green or yellow) after ${o.timeoutSeconds}s; last health: ${JSON.stringify(h)}\n${logs.join('\n')}`);
    }
    if (now >= nextReport) {
      log(`  ${Math.round((now - t0) / 1000)}s: ${answering}/${o.nodes} nodes report cluster health; cluster: ${h ? `${h.number_of_nodes} node(s), ${h.status}` : 'not formed yet'}`);
      nextReport += 5_000;
    }
    await sleep(500);
  }
}

/** Start (or confirm) the cluster; returns the URL of its first node (and, secured, its CA and credentials). */
export async function startCluster(o: StartOptions, log: Log): Promise<Started> {
  validate(o);
  const url = urlOf(o.port, o.secure);
  const layout = Array.from({ length: o.nodes }, (_, i) => ({
    name: nodeName(i),
    httpPort: o.port + i,
    transportPort: o.port + TRANSPORT_OFFSET + i,
    dir: nodeDir(o.port, i),
  }));

  const previous = await readState(o.port);
  const running = (previous?.nodes ?? []).filter((n) => isOurNode(n.pid, n.dir));
  if (running.length && (previous!.nodes.length !== o.nodes || o.fresh)) {
    throw new Error(
      `a ${previous!.nodes.length}-node cluster is running on port ${o.port}${o.fresh ? ' (--fresh needs it stopped)' : ''}; stop it first: npm run opensearch -- stop --port ${o.port}`,
    );
  }
  if (running.length && Boolean(previous!.secure) !== o.secure) {
    throw new Error(`a ${previous!.secure ? 'secured' : 'plain'} cluster is running on port ${o.port}; stop it first (npm run opensearch -- stop --port ${o.port}) or start it ${previous!.secure ? 'with' : 'without'} --secure`);
  }
  if (running.length === o.nodes) {
    const { health: h } = await clusterHealth(running, await accessOf(previous!.secure));
    if (h && isReady(h, o.nodes)) {
      log(`already running: ${o.nodes} node(s), health ${h.status} (pids ${running.map((n) => n.pid).join(', ')})`);
      return { url, ...(previous!.secure ? { secure: previous!.secure } : {}) };
    }
  }

  if (o.fresh && existsSync(clusterDir(o.port))) {
    await rm(clusterDir(o.port), { recursive: true, force: true });
    log(`--fresh: removed ${clusterDir(o.port)}`);
  }
  const withData = await nodesWithData(o.port);
  if (withData.length > o.nodes) {
    throw new Error(
      `${clusterDir(o.port)} holds the data of a ${withData.length}-node cluster; start it with --nodes ${withData.length}, or add --fresh to delete its data`,
    );
  }
  // A secured cluster's data holds its security index, and a plain one has none: neither starts as the other.
  if (withData.length && existsSync(securityDir(o.port)) !== o.secure) {
    throw new Error(`${clusterDir(o.port)} holds the data of a ${o.secure ? 'plain' : 'secured'} cluster; start it ${o.secure ? 'without' : 'with'} --secure, or add --fresh to delete its data`);
  }
  const bootstrap = withData.length === 0;
  const toStart = layout.filter((n) => !running.some((r) => r.name === n.name));
  for (const n of toStart) {
    for (const p of [n.httpPort, n.transportPort]) {
      if (!(await portFree(p))) throw new Error(`port ${p} (for ${n.name}) is in use on 127.0.0.1: pick other ports with --port`);
    }
  }

  const { home } = o.secure ? await ensureSecureAssembled(log) : await ensureAssembled(log);
  const java = javaHome();
  const runAs = serviceUser(log);
  if (runAs) assertReadableBy(join(home, 'bin', 'opensearch'), runAs);
  const security = o.secure ? await ensureSecurityMaterial(o.port, o.alias, home, java, log) : null;
  for (const n of toStart) {
    await writeNodeConfig(home, {
      ...n,
      seedPorts: layout.map((l) => l.transportPort),
      initialClusterManagers: bootstrap ? layout.map((l) => l.name) : [],
      heap: o.heap,
      ...(security ? { settings: securitySettings(security) } : {}),
    });
    if (security) await writeSecurityConfig(join(n.dir, 'config'), security);
    if (runAs) chownTo(n.dir, runAs);
  }

  log(`starting ${toStart.length} of ${o.nodes} ${security ? 'secured ' : ''}OpenSearch ${OPENSEARCH_VERSION} node(s) (heap ${o.heap} each${runAs ? `, as user ${runAs.user}` : ''})`);
  const t0 = Date.now();
  const started: NodeState[] = [];
  for (const n of toStart) {
    const pid = spawnNode(home, n.dir, java, runAs);
    started.push({ ...n, pid });
    log(`  ${n.name}: pid ${pid}, http ${n.httpPort}, transport ${n.transportPort}, folder ${n.dir}`);
  }
  const nodes = layout.map((l) => running.find((r) => r.name === l.name) ?? started.find((s) => s.name === l.name)!);
  const secure = security ? { ca: security.ca, credentials: security.credentialsFile } : undefined;
  const state: ClusterState = { basePort: o.port, heap: o.heap, user: runAs?.user ?? userInfo().username, startedAt: new Date().toISOString(), nodes, ...(secure ? { secure } : {}) };
  await writeState(state);

  try {
    const h = await waitReady(nodes, started, await accessOf(secure), o, t0, log);
    log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${h.number_of_nodes} node(s), health ${h.status}${secure ? ' (TLS, asked as admin)' : ''}`);
  } catch (err) {
    await stopNodes(started, { spawnedHere: true });
    if (!running.length) await removeState(o.port);
    throw err;
  }
  return { url, ...(secure ? { secure } : {}) };
}

/** Stop the cluster on `port`, or every recorded cluster; waits for the processes to exit. */
export async function stopClusters(port: number | null, log: Log): Promise<void> {
  const states = port === null ? await listStates() : [await readState(port)].filter((s): s is ClusterState => s !== null);
  if (!states.length) {
    log(port === null ? 'no OpenSearch cluster is recorded: nothing to stop' : `no OpenSearch cluster is recorded on port ${port}: nothing to stop`);
    return;
  }
  for (const s of states) {
    const running = s.nodes.filter((n) => isOurNode(n.pid, n.dir));
    for (const n of s.nodes) if (!running.includes(n)) log(`${n.name} ${urlOf(n.httpPort, Boolean(s.secure))}: not running (pid ${n.pid} is gone)`);
    const t0 = Date.now();
    await stopNodes(running);
    for (const n of running) log(`${n.name} ${urlOf(n.httpPort, Boolean(s.secure))}: stopped pid ${n.pid}`);
    await removeState(s.basePort);
    if (running.length) log(`cluster on port ${s.basePort} stopped in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
}

/** One line per recorded node: its URL and pid, and whether it runs. */
export async function statusLines(port: number | null): Promise<{ lines: string[]; allRunning: boolean }> {
  const states = port === null ? await listStates() : [await readState(port)].filter((s): s is ClusterState => s !== null);
  const lines: string[] = [];
  let allRunning = states.length > 0;
  for (const s of states) {
    for (const n of s.nodes) {
      const up = isOurNode(n.pid, n.dir);
      allRunning &&= up;
      lines.push(`${n.name} ${urlOf(n.httpPort, Boolean(s.secure))} pid ${n.pid}${up ? '' : ' not running'}`);
    }
  }
  return { lines, allRunning };
}
