/**
 * The OpenSearch client with several nodes (OPENSEARCH_URL "http://a:9200,http://b:9200"), against
 * the real OpenSearch of the tests (OPENSEARCH_TEST_URL; CI starts it) and real sockets on
 * loopback: a node that refuses connections is skipped and the client stays on the one that
 * answered; a node that accepts but does not answer is not skipped (the request may have been
 * carried out there), it is a 503-class error within the time limit; when no node can be reached
 * the error names them all.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSearchClient, Unreachable } from '../opensearch/client.ts';
import { OPENSEARCH_TEST_URL, requireOpenSearch } from './helpers/opensearch.ts';

const client = (url: string, timeoutMs = 30_000): OpenSearchClient => new OpenSearchClient({ url, user: null, password: null, ca: null, timeoutMs });

/** A loopback port where nothing listens (connections are refused). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

let silent: Server;
const held: Socket[] = [];
let silentUrl = '';

beforeAll(async () => {
  await requireOpenSearch();
  // Accepts connections and never answers.
  silent = createServer((socket) => void held.push(socket));
  await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise<void>((ok) => silent.close(() => ok()));
});

describe('OpenSearch client and TLS', () => {
  it('https:// to a plain HTTP node: a clear error at once naming the TLS handshake, not a hang', async () => {
    expect(OPENSEARCH_TEST_URL, 'this test needs the plain (http://) node of the tests').toMatch(/^http:/);
    const t0 = Date.now();
    const err = await client(OPENSEARCH_TEST_URL.replace(/^http:/, 'https:')).request('GET', '/').catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(Unreachable);
    expect((err as Unreachable).message).toBe(`Engine: OpenSearch at ${OPENSEARCH_TEST_URL.replace(/^http:/, 'https:')} is unreachable (TLS handshake failed: wrong version number; if the node speaks plain HTTP, use an http:// URL)`);
  });
});

describe('OpenSearch client with a list of nodes', () => {
  it('skips a node that refuses connections and stays on the one that answered', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const c = client(`${dead},${OPENSEARCH_TEST_URL}`);
    expect(c.url).toBe(dead);
    const health = await c.request<{ status: string; number_of_nodes: number }>('GET', '/_cluster/health');
    expect(['green', 'yellow']).toContain(health.status);
    expect(c.url).toBe(OPENSEARCH_TEST_URL);
    // Concurrent requests after the move all go to the live node.
    const answers = await Promise.all(Array.from({ length: 8 }, () => c.request<{ cluster_name: string }>('GET', '/')));
    expect(new Set(answers.map((a) => a.cluster_name)).size).toBe(1);
    expect(c.url).toBe(OPENSEARCH_TEST_URL);
  });

  it('does not resend a request to another node when the first one accepted it but is slow', async () => {
    const c = client(`${silentUrl},${OPENSEARCH_TEST_URL}`, 500);
    const err = await c.request('GET', '/_cluster/health').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unreachable);
    expect((err as Unreachable).message).toContain(`${silentUrl} did not answer within 500 ms`);
    expect(c.url).toBe(silentUrl);
  });

  it('names every node when none can be reached', async () => {
    const a = `http://127.0.0.1:${await deadPort()}`;
    const b = `http://127.0.0.1:${await deadPort()}`;
    const err = await client(`${a},${b}`).request('GET', '/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unreachable);
    expect((err as Unreachable).code).toBe('engine_unavailable');
    expect((err as Unreachable).message).toContain(`2 nodes (${a}, ${b}) is unreachable`);
  });
});
