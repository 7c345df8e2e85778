/**
 * Failover on a real 2-node cluster (`npm run opensearch -- start --nodes 2`, its own ports): the
 * shipped reports' index with 2 shards and 1 replica served through the real app; one node is
 * killed with SIGKILL under a steady load of searches and mention counts. No answer is partial or
 * wrong (a shard failure is a 503, never fewer results), failures last no longer than the retry
 * window of docs/scale-out.md, counts stay exact, and the node rejoins.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionsResponse, SearchResponse } from '../core/api-types.ts';
import { createApp } from '../server/app.ts';
import { loadIndex } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { OPENSEARCH_FAILOVER_PORT, openSearchProduct, testClient, writeTestIndex } from './helpers/opensearch.ts';

/** node-1 http PORT, node-2 PORT + 1; transport PORT + 100, + 101 (OPENSEARCH_FAILOVER_PORT: another pair when 9280 is taken). */
const PORT = OPENSEARCH_FAILOVER_PORT;
const ALIAS = 'test-failover';
/** The longest a run of failed requests may last after a node dies (docs/scale-out.md). */
const RETRY_WINDOW_MS = 30_000;

function opensearch(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'opensearch.ts'), ...args], { cwd: ROOT, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const url = (node: string): string => `http://127.0.0.1:${PORT + Number(node.slice(-1)) - 1}`;

describe('a 2-node cluster loses a node under load (SIGKILL)', () => {
  const pids: Record<string, number> = {};

  beforeAll(async () => {
    const r = await opensearch('start', '--nodes', '2', '--port', String(PORT), '--fresh', '--timeout', '200');
    if (r.code !== 0) throw new Error(`opensearch start failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    const status = await opensearch('status', '--port', String(PORT));
    for (const m of status.stdout.matchAll(/^(node-\d) \S+ pid (\d+)$/gm)) pids[m[1]!] = Number(m[2]);
    expect(Object.keys(pids).sort()).toEqual(['node-1', 'node-2']);
  }, 400_000);

  afterAll(async () => {
    const r = await opensearch('stop', '--port', String(PORT));
    if (r.code !== 0) throw new Error(`opensearch stop failed (exit ${r.code}):\n${r.stderr}`);
  }, 120_000);

  it('serves every answer whole and exact while a node dies and rejoins', async () => {
    // The client talks to the elected cluster manager; the other node is killed (two nodes cannot lose the manager: part 1).
    const first = testClient(url('node-1'));
    const [manager] = await first.request<Array<{ node: string }>>('GET', '/_cat/cluster_manager?format=json');
    const survivor = manager!.node;
    const victim = survivor === 'node-1' ? 'node-2' : 'node-1';
    const client = testClient(url(survivor), 10_000);
    const index = await loadIndex(await ensureCorpusIndex());
    const written = await writeTestIndex(client, index, ALIAS, { shards: 2, replicas: 1 });
    await client.request('GET', `/_cluster/health/${written.index}?wait_for_status=green&timeout=120s`, undefined, { timeoutMs: 130_000 });
    const app: Hono = createApp(new Service(openSearchProduct(client, ALIAS, null), { corpusDir: CORPUS_DIR, webDir: null, log: null }));

    const paths = ['/api/search?q=care%20leavers%20accommodation&mode=keyword&limit=20', '/api/mentions?q=exploitation&limit=500', '/api/mentions?q=children&limit=1'];
    const key = (path: string, body: string): string => {
      if (path.startsWith('/api/search')) {
        const s = JSON.parse(body) as SearchResponse;
        return JSON.stringify([s.total, s.results.map((r) => r.id)]);
      }
      const m = JSON.parse(body) as MentionsResponse;
      return JSON.stringify([m.total, m.occurrences, m.byYear, m.byCouncil, m.results.map((r) => r.id)]);
    };
    const expected = new Map<string, string>();
    for (const p of paths) {
      const res = await app.request(p);
      const body = await res.text();
      expect(res.status, body).toBe(200);
      expected.set(p, key(p, body));
    }

    const failures: Array<{ at: number; status: number }> = [];
    const wrong: string[] = [];
    let answered = 0;
    let running = true;
    const load = async (): Promise<void> => {
      for (let i = 0; running; i++) {
        const p = paths[i % paths.length]!;
        const res = await app.request(p);
        const body = await res.text();
        if (res.status !== 200) {
          failures.push({ at: Date.now(), status: res.status });
          expect(JSON.parse(body).error.code).toBe('engine_unavailable');
          await new Promise((ok) => setTimeout(ok, 100));
        } else if (key(p, body) !== expected.get(p)) wrong.push(p);
        else answered++;
      }
    };
    const clients = [load(), load()];
    await new Promise((ok) => setTimeout(ok, 2000));
    const killedAt = Date.now();
    process.kill(pids[victim]!, 'SIGKILL');
    // Until the survivor sees one node and its shards are green or yellow again, and a little after.
    let nodes = 2;
    while (nodes !== 1 && Date.now() - killedAt < 90_000) {
      nodes = (await client.request<{ number_of_nodes: number }>('GET', '/_cluster/health')).number_of_nodes;
      await new Promise((ok) => setTimeout(ok, 500));
    }
    expect(nodes).toBe(1);
    await client.request('GET', `/_cluster/health/${written.index}?wait_for_status=yellow&timeout=60s`, undefined, { timeoutMs: 70_000 });
    await new Promise((ok) => setTimeout(ok, 3000));
    const servedAlone = answered;
    // The node comes back and rejoins; the replicas are copied again.
    const restart = await opensearch('start', '--nodes', '2', '--port', String(PORT), '--timeout', '200');
    expect(restart.code, restart.stderr).toBe(0);
    const green = await client.request<{ status: string; number_of_nodes: number }>('GET', `/_cluster/health/${written.index}?wait_for_status=green&timeout=120s`, undefined, { timeoutMs: 130_000 });
    await new Promise((ok) => setTimeout(ok, 2000));
    running = false;
    await Promise.all(clients);

    console.log(`failover: ${answered} whole answers, ${failures.length} 503 (${failures.length > 0 ? `${failures[0]!.at - killedAt}..${failures.at(-1)!.at - killedAt} ms after the kill` : 'none'}), rejoined: ${green.number_of_nodes} nodes ${green.status}`);
    expect(wrong, 'answers that differ from before the kill').toEqual([]);
    expect(servedAlone).toBeGreaterThan(5);
    expect(answered).toBeGreaterThan(servedAlone);
    if (failures.length > 0) expect(failures.at(-1)!.at - failures[0]!.at).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(green.number_of_nodes).toBe(2);
    expect(green.status).toBe('green');
    for (const p of paths) {
      const res = await app.request(p);
      expect(key(p, await res.text())).toBe(expected.get(p));
    }
  }, 600_000);
});
