/**
 * /api/health when a newer index cannot be loaded: the real server (startServer, polling every
 * 100 ms) on a copy of the corpus index. A new manifest naming a damaged part is refused: health
 * turns "stale" and names the refused build and the reason, while the counts stay those of the
 * index still served. When the manifest is back to the served build, health is "ok" again.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthResponse } from '../core/api-schema.ts';
import { MANIFEST_FILE, parseManifest } from '../core/index-file.ts';
import { writeAtomic } from '../indexer/write.ts';
import { startServer, type RunningServer } from '../server/main.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('health-refused');
const INDEX = join(scratch.dir, 'index');
let server: RunningServer;

beforeAll(async () => {
  await cp(await ensureCorpusIndex(), INDEX, { recursive: true });
  server = await startServer({ indexDir: INDEX, corpusDir: CORPUS_DIR, port: 0, webDir: null, reloadMs: 100 });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function health(): Promise<HealthResponse> {
  const res = await fetch(`${server.url}/api/health`);
  expect(res.status).toBe(200);
  return HealthResponse.parse(await res.json());
}

async function until(what: string, ok: (h: HealthResponse) => boolean): Promise<HealthResponse> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const h = await health();
    if (ok(h)) return h;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; health: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('/api/health and a refused index', () => {
  it('says "stale" with the refused build and why, then "ok" once the manifest is back', async () => {
    const before = await health();
    expect(before.status).toBe('ok');
    expect(before.refused).toBeUndefined();

    const good = await readFile(join(INDEX, MANIFEST_FILE), 'utf8');
    const m = parseManifest(good);
    const bogus = `docs-${m.buildId}-damaged.json`;
    await writeFile(join(INDEX, bogus), (await readFile(join(INDEX, m.parts.docs.file))).subarray(0, 100));
    const damaged = { ...m, buildId: `${m.buildId}-damaged`, parts: { ...m.parts, docs: { ...m.parts.docs, file: bogus } } };
    await writeAtomic(join(INDEX, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(damaged)));

    const stale = await until('status stale', (h) => h.status === 'stale');
    expect(stale.refused?.buildId).toBe(damaged.buildId);
    expect(stale.refused?.reason).toMatch(/^Index: part docs-.*-damaged\.json fails its checksum/);
    expect(Date.parse(stale.refused!.at)).toBeGreaterThan(Date.parse(before.builtAt));
    // Still the index it had.
    expect({ ...stale, status: 'ok', refused: undefined }).toEqual({ ...before, refused: undefined });
    const search = await fetch(`${server.url}/api/search?q=care%20leavers&mode=keyword`);
    expect(search.status).toBe(200);

    await writeAtomic(join(INDEX, MANIFEST_FILE), new TextEncoder().encode(good));
    const back = await until('status ok', (h) => h.status === 'ok');
    expect(back).toEqual(before);
  }, 60_000);
});
