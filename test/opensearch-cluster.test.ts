/**
 * The real `npm run opensearch` command: a 2-node OpenSearch cluster assembled from Maven Central
 * (cached in .opensearch/), on ports that the default cluster does not use. English stemming and
 * k-NN (lucene HNSW, cosine) answer; a node killed with SIGKILL leaves the other answering; stop
 * ends every node. Under CI=true a failure to fetch or start fails; elsewhere only a machine with
 * no Java skips it, loudly.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/corpus-index.ts';

const PORT = 9250; // node-1 http 9250, node-2 http 9251, transport 9350 and 9351
const URL1 = `http://127.0.0.1:${PORT}`;
const INDEX = 'os-cluster-test';

function hasJava(): boolean {
  return !!process.env.OPENSEARCH_JAVA_HOME || (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'java')));
}
const skip = process.env.CI !== 'true' && !hasJava() ? 'SKIPPED OpenSearch cluster test: no java on PATH (apt-get install -y openjdk-17-jre-headless)' : null;
if (skip) console.warn(`\n*** ${skip} ***\n`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run opensearch -- <args>` without npm's own start-up (the same tsx entry point). */
function opensearch(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'opensearch.ts'), ...args], { cwd: ROOT, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, url = URL1): Promise<T> {
  const ndjson = typeof body === 'string';
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
    body: body === undefined ? undefined : ndjson ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

interface Hits {
  hits: { hits: { _id: string }[] };
}
const ids = (r: Hits): string[] => r.hits.hits.map((h) => h._id);

const DOCS = [
  { id: '1', text: 'The council placed children in unregistered homes', vec: [1, 0, 0, 0] },
  { id: '2', text: 'Inspectors visited the children’s home twice', vec: [0, 1, 0, 0] },
  { id: '3', text: 'Care leavers were supported into suitable housing', vec: [0, 0, 1, 0] },
  { id: '4', text: 'The service improved its sufficiency of foster carers', vec: [0, 0, 0, 1] },
];

/** Both query kinds against `url`: stemming ("placing" finds "placed") and k-NN by cosine. */
async function expectQueriesAnswer(url: string): Promise<void> {
  // The english analyzer stems "placing" and "placed" to "place": the standard analyzer would find nothing.
  const match = await api<Hits>('POST', `/${INDEX}/_search`, { query: { match: { text: 'placing' } } }, url);
  expect(ids(match)).toEqual(['1']);
  const visits = await api<Hits>('POST', `/${INDEX}/_search`, { query: { match: { text: 'visits' } } }, url);
  expect(ids(visits)).toEqual(['2']);
  // Cosine similarity ignores length: [0, 0, 5, 0.5] points the way of doc 3.
  const knn = await api<Hits>('POST', `/${INDEX}/_search`, { size: 2, query: { knn: { vec: { vector: [0, 0, 5, 0.5], k: 2 } } } }, url);
  expect(ids(knn)[0]).toBe('3');
  expect(ids(knn)).toHaveLength(2);
}

describe.skipIf(skip !== null)('npm run opensearch: a 2-node cluster on loopback', () => {
  const pids: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    const r = await opensearch('start', '--nodes', '2', '--port', String(PORT), '--fresh', '--timeout', '150');
    if (r.code !== 0) throw new Error(`opensearch start failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(URL1);
    process.stdout.write(`opensearch-cluster: 2 nodes ready in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  }, 300_000);

  afterAll(async () => {
    const r = await opensearch('stop', '--port', String(PORT));
    if (r.code !== 0) throw new Error(`opensearch stop failed (exit ${r.code}):\n${r.stderr}`);
  }, 120_000);

  it('forms one cluster of 2 nodes', async () => {
    const health = await api<{ number_of_nodes: number; status: string }>('GET', '/_cluster/health');
    expect(health.number_of_nodes).toBe(2);
    expect(['green', 'yellow']).toContain(health.status);
    const nodes = await api<{ name: string; ip: string }[]>('GET', '/_cat/nodes?format=json&h=name,ip');
    expect(nodes.map((n) => n.name).sort()).toEqual(['node-1', 'node-2']);
    expect(nodes.every((n) => n.ip === '127.0.0.1')).toBe(true);
  });

  it('indexes with the english analyzer and a knn_vector field, and answers both query kinds', async () => {
    await api('PUT', `/${INDEX}`, {
      // One replica: each node holds a full copy, so either can answer alone.
      settings: { index: { number_of_shards: 1, number_of_replicas: 1, knn: true } },
      mappings: {
        properties: {
          text: { type: 'text', analyzer: 'english' },
          vec: { type: 'knn_vector', dimension: 4, method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil' } },
        },
      },
    });
    await api('GET', `/_cluster/health/${INDEX}?wait_for_status=green&timeout=60s`);
    const bulk = DOCS.flatMap((d) => [JSON.stringify({ index: { _index: INDEX, _id: d.id } }), JSON.stringify({ text: d.text, vec: d.vec })]).join('\n');
    const r = await api<{ errors: boolean }>('POST', '/_bulk?refresh=true', `${bulk}\n`);
    expect(r.errors).toBe(false);
    await expectQueriesAnswer(URL1);
    await expectQueriesAnswer(`http://127.0.0.1:${PORT + 1}`);
  });

  it('status prints one line per node with its URL and pid', async () => {
    const r = await opensearch('status', '--port', String(PORT));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      const m = new RegExp(`^node-${i + 1} http://127\\.0\\.0\\.1:${PORT + i} pid (\\d+)$`).exec(line);
      expect(m, line).not.toBeNull();
      const pid = Number(m![1]);
      // The pid really is that node's OpenSearch process.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain('org.opensearch.bootstrap.OpenSearch');
      expect(cmdline.some((a) => a.startsWith('-Dopensearch.path.conf=') && a.endsWith(`/clusters/${PORT}/node-${i + 1}/config`))).toBe(true);
      pids[`node-${i + 1}`] = pid;
    }
  });

  it('keeps answering after one node is killed with SIGKILL', async () => {
    // Kill the node that is not the elected cluster manager, so the survivor stays a whole cluster.
    const [manager] = await api<{ node: string }[]>('GET', '/_cat/cluster_manager?format=json');
    const victim = manager!.node === 'node-1' ? 'node-2' : 'node-1';
    const survivorUrl = `http://127.0.0.1:${victim === 'node-1' ? PORT + 1 : PORT}`;
    process.kill(pids[victim]!, 'SIGKILL');

    let nodes = 2;
    const deadline = Date.now() + 60_000;
    while (nodes !== 1 && Date.now() < deadline) {
      nodes = (await api<{ number_of_nodes: number }>('GET', '/_cluster/health', undefined, survivorUrl)).number_of_nodes;
      if (nodes !== 1) await new Promise((r) => setTimeout(r, 500));
    }
    expect(nodes).toBe(1);
    await expectQueriesAnswer(survivorUrl);

    const status = await opensearch('status', '--port', String(PORT));
    expect(status.code).toBe(1); // one recorded node is gone
    expect(status.stdout).toMatch(new RegExp(`^${victim} http://127\\.0\\.0\\.1:\\d+ pid ${pids[victim]} not running$`, 'm'));
  });

  it('stop ends every node and waits for them to exit', async () => {
    const r = await opensearch('stop', '--port', String(PORT));
    expect(r.code, r.stderr).toBe(0);
    for (const pid of Object.values(pids)) {
      const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
      expect(cmdline.includes('org.opensearch.bootstrap.OpenSearch'), `pid ${pid} still runs`).toBe(false);
    }
    const status = await opensearch('status', '--port', String(PORT));
    expect(status.code).toBe(1);
    expect(status.stdout).toBe('');
    await expect(fetch(`${URL1}/`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
  });
});
