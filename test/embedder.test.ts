/**
 * The real vendored model, loaded offline. Skips loudly only when the model folder is absent
 * (e.g. a clone without the vendored files; run scripts/vendor-model.sh to get it), and never
 * under CI=true, where that fails.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config.ts';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import { BatchQueue } from '../embed/batch-queue.ts';
import { sha256File, parseSha256Sums, verifyModelFiles } from '../embed/model-files.ts';
import { DEFAULT_EMBEDDER_ID, defaultModelsDir, loadEmbedder, resolveEmbedderId } from '../embed/registry.ts';
import { requireFile } from './helpers/requirement.ts';

const modelDir = join(defaultModelsDir(), DEFAULT_EMBEDDER_ID);
const model = requireFile(join(modelDir, 'SHA256SUMS'), 'the vendored model (run scripts/vendor-model.sh)');

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe.skipIf(model.skip)('vendored embedder', () => {
  let emb: Embedder;
  const fetched: string[] = [];

  beforeAll(async () => {
    model.assert();
    // Record any network use while the model loads (there must be none).
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      fetched.push(String(input));
      return realFetch(input, init);
    }) as typeof fetch;
    try {
      emb = await loadEmbedder(DEFAULT_EMBEDDER_ID);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
  afterAll(async () => {
    await emb?.dispose();
  });

  it('loads with remote models disabled and no network request', () => {
    expect(env.allowRemoteModels).toBe(false);
    expect(fetched).toEqual([]);
    expect(emb.info).toEqual({ id: 'minilm-l6-v2-int8', dim: 384 });
  });

  it('has files whose SHA-256 matches SHA256SUMS', async () => {
    const sums = parseSha256Sums(await readFile(join(modelDir, 'SHA256SUMS'), 'utf8'));
    expect(sums.map((s) => s.file)).toEqual(expect.arrayContaining(['onnx/model_quantized.onnx', 'tokenizer.json', 'config.json', 'LICENSE']));
    for (const s of sums) expect(await sha256File(join(modelDir, s.file))).toBe(s.sha256);
    await expect(verifyModelFiles(modelDir)).resolves.toBeUndefined();
  });

  it('gives unit-length vectors of the right dimension, in input order', async () => {
    const texts = ['The local authority has improved services for children in need.', 'short', 'x '.repeat(600)];
    const vs = await emb.embedPassages(texts);
    expect(vs).toHaveLength(3);
    for (const v of vs) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(384);
      expect(Math.abs(Math.sqrt(dot(v, v)) - 1)).toBeLessThan(1e-4);
    }
    // Order is kept, and a text's vector does not depend on the texts embedded with it.
    const [single] = await emb.embedPassages([texts[1]!]);
    expect(Array.from(single!)).toEqual(Array.from(vs[1]!));
    expect(dot(vs[0]!, vs[1]!)).toBeLessThan(0.9);
    const q = await emb.embedQuery('children in need');
    expect(Math.abs(Math.sqrt(dot(q, q)) - 1)).toBeLessThan(1e-4);
  });

  it('puts "young people leaving care" nearer to "care leavers" than to "school attendance"', async () => {
    const q = await emb.embedQuery('young people leaving care');
    const [leavers, attendance] = await emb.embedPassages(['care leavers', 'school attendance']);
    const a = dot(q, leavers!);
    const b = dot(q, attendance!);
    expect(a).toBeGreaterThan(b + 0.2);
  });

  it('returns identical vectors from the query cache, and copies', async () => {
    const first = await emb.embedQuery('placement stability for looked after children');
    first[0] = 42; // a caller scribbling on its vector must not change the cached one
    const second = await emb.embedQuery('placement stability for looked after children');
    const third = await emb.embedQuery('placement stability for looked after children');
    expect(second[0]).not.toBe(42);
    expect(Array.from(third)).toEqual(Array.from(second));
    const [passage] = await emb.embedPassages(['placement stability for looked after children']);
    expect(Array.from(passage!)).toEqual(Array.from(second)); // no query prefix for MiniLM
  });

  it('answers 50 concurrent queries with the same vectors as one at a time', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `concurrent query ${i} about early help`);
    const together = await Promise.all(texts.map((t) => emb.embedQuery(t)));
    const alone = await emb.embedPassages([texts[7]!, texts[42]!]);
    expect(Array.from(together[7]!)).toEqual(Array.from(alone[0]!));
    expect(Array.from(together[42]!)).toEqual(Array.from(alone[1]!));
    expect(dot(together[7]!, together[42]!)).toBeLessThan(0.9999);
  });
});

describe('embedder ids and errors', () => {
  it('resolves the default and the EMBEDDER override', () => {
    expect(resolveEmbedderId(undefined, parseConfig({}))).toBe(DEFAULT_EMBEDDER_ID);
    expect(resolveEmbedderId(undefined, parseConfig({ EMBEDDER: ' ' }))).toBe(DEFAULT_EMBEDDER_ID);
    const hf = parseConfig({ EMBEDDER: 'hf:BAAI/bge-small-en-v1.5' });
    expect(resolveEmbedderId(undefined, hf)).toBe('hf:BAAI/bge-small-en-v1.5');
    expect(resolveEmbedderId('minilm-l6-v2-int8', hf)).toBe('minilm-l6-v2-int8');
  });

  it('names the folder and files for an unknown hf: model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'models-'));
    try {
      const err = await loadEmbedder('hf:no-such-org/no-such-model', { modelsDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('embedder_unavailable');
      expect((err as AppError).message).toMatch(/^Embedder: model "hf:no-such-org\/no-such-model" not found; put its files \(config\.json, tokenizer\.json, onnx\/model_quantized\.onnx\) under .*no-such-org\/no-such-model\//);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an id that is neither vendored nor hf:', async () => {
    await expect(loadEmbedder('word2vec')).rejects.toThrow(/^Embedder: unknown embedder id "word2vec"/);
  });

  it.skipIf(model.skip)('names a damaged model file', async () => {
    model.assert();
    const dir = await mkdtemp(join(tmpdir(), 'models-'));
    try {
      const copy = join(dir, DEFAULT_EMBEDDER_ID);
      await cp(modelDir, copy, { recursive: true });
      await writeFile(join(copy, 'tokenizer.json'), '{}');
      await expect(loadEmbedder(DEFAULT_EMBEDDER_ID, { modelsDir: dir })).rejects.toThrow(/^Embedder: model file .*tokenizer\.json has SHA-256 [0-9a-f]{64}, expected/);
      await rm(join(copy, 'onnx', 'model_quantized.onnx'));
      await expect(verifyModelFiles(copy)).rejects.toThrow(/^Embedder: model file .*onnx\/model_quantized\.onnx is missing; put the vendored/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('batch queue groups concurrent items into few runs and keeps results in order', async () => {
    const sizes: number[] = [];
    const q = new BatchQueue<number, number>(
      async (xs) => {
        sizes.push(xs.length);
        await new Promise((r) => setTimeout(r, 5));
        return xs.map((x) => x * 2);
      },
      { maxBatch: 16, maxWaitMs: 2 },
    );
    const out = await Promise.all(Array.from({ length: 50 }, (_, i) => q.push(i)));
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(sizes.every((s) => s <= 16)).toBe(true);
    expect(q.batches).toBeLessThanOrEqual(4);
    const failing = new BatchQueue<number, number>(async () => {
      throw new Error('boom');
    });
    await expect(Promise.all([failing.push(1), failing.push(2)])).rejects.toThrow('boom');
  });
});
