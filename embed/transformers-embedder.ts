/**
 * Embedder backed by transformers.js (onnxruntime-node): tokenise, run the ONNX encoder, pool
 * (mean or CLS, per the model's sentence-transformers config), L2-normalise.
 * Passages are embedded in length-sorted batches; queries go through a micro-batch queue and an
 * LRU cache.
 */
import { AutoModel, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import type { EmbedderInfo } from '../core/types.ts';
import { normalize } from '../core/vectors.ts';
import { BatchQueue } from './batch-queue.ts';
import { LruCache } from './lru-cache.ts';
import type { ModelSpec } from './model-spec.ts';

export type ModelDtype = 'q8' | 'fp32';

export interface TransformersEmbedderOptions {
  /** The id recorded in indexes (encodes model and quantisation). */
  id: string;
  /** Folder that holds the model folder (becomes env.localModelPath). */
  modelsDir: string;
  /** Model folder name under modelsDir, or a hub id when remote loading is allowed. */
  name: string;
  spec: ModelSpec;
  dtype?: ModelDtype;
  /** Allow transformers.js to fetch from the hub (only when it is reachable). Default false. */
  allowRemote?: boolean;
  /** Passages per forward pass (default 32). */
  batchSize?: number;
  /** onnxruntime intra-op threads (default: env EMBED_THREADS, else 2 = this machine's cores). */
  threads?: number;
  /** Query embeddings kept (default 500). */
  queryCacheSize?: number;
}

/** Loads are serialised because env.localModelPath / env.allowRemoteModels are global. */
let loadLock: Promise<unknown> = Promise.resolve();

export class TransformersEmbedder implements Embedder {
  readonly info: EmbedderInfo;
  /** Milliseconds the tokenizer + ONNX session took to load. */
  readonly loadMs: number;
  private readonly queryCache: LruCache<string, Promise<Float32Array>>;
  private readonly queryQueue: BatchQueue<string, Float32Array>;
  private disposed = false;

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly spec: ModelSpec,
    info: EmbedderInfo,
    loadMs: number,
    private readonly batchSize: number,
    queryCacheSize: number,
  ) {
    this.info = info;
    this.loadMs = loadMs;
    this.queryCache = new LruCache(queryCacheSize);
    this.queryQueue = new BatchQueue((texts) => this.forward(texts), { maxBatch: 16, maxWaitMs: 2 });
  }

  static async load(opts: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const run = async (): Promise<TransformersEmbedder> => {
      const t0 = performance.now();
      const threads = opts.threads ?? (Number(process.env.EMBED_THREADS) || 2);
      env.allowLocalModels = true;
      env.allowRemoteModels = opts.allowRemote ?? false;
      env.localModelPath = opts.modelsDir.endsWith('/') ? opts.modelsDir : `${opts.modelsDir}/`;
      const local_files_only = !(opts.allowRemote ?? false);
      let tokenizer: PreTrainedTokenizer;
      let model: PreTrainedModel;
      try {
        tokenizer = await AutoTokenizer.from_pretrained(opts.name, { local_files_only });
        model = await AutoModel.from_pretrained(opts.name, {
          local_files_only,
          dtype: opts.dtype ?? 'q8',
          device: 'cpu',
          session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
        });
      } catch (e) {
        throw new AppError(
          'embedder_unavailable',
          `Embedder: could not load model "${opts.id}" from ${env.localModelPath}${opts.name}: ${(e as Error).message}`,
          { cause: e },
        );
      } finally {
        env.allowRemoteModels = false;
      }
      const loadMs = performance.now() - t0;
      const probe = new TransformersEmbedder(tokenizer, model, opts.spec, { id: opts.id, dim: 0 }, loadMs, opts.batchSize ?? 32, opts.queryCacheSize ?? 500);
      const [v] = await probe.forward(['dimension probe']);
      const dim = v!.length;
      if (opts.spec.dim !== null && opts.spec.dim !== dim) {
        await model.dispose();
        throw new AppError('embedder_unavailable', `Embedder: model "${opts.id}" gives ${dim}-d vectors but its config says ${opts.spec.dim}`);
      }
      return new TransformersEmbedder(tokenizer, model, opts.spec, { id: opts.id, dim }, loadMs, opts.batchSize ?? 32, opts.queryCacheSize ?? 500);
    };
    const p = loadLock.then(run, run);
    loadLock = p.catch(() => undefined);
    return p;
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    this.assertOpen();
    const out: Float32Array[] = new Array(texts.length);
    // Similar lengths in one batch waste less on padding.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    for (let s = 0; s < order.length; s += this.batchSize) {
      const idx = order.slice(s, s + this.batchSize);
      const vecs = await this.forward(idx.map((i) => texts[i]!));
      idx.forEach((i, k) => (out[i] = vecs[k]!));
    }
    return out;
  }

  embedQuery(text: string): Promise<Float32Array> {
    this.assertOpen();
    const key = text.trim();
    let hit = this.queryCache.get(key);
    if (!hit) {
      hit = this.queryQueue.push(this.spec.queryPrefix + key);
      this.queryCache.set(key, hit);
      hit.catch(() => this.queryCache.delete(key));
    }
    // A copy, so a caller that scales its vector cannot change the cached one.
    return hit.then((v) => new Float32Array(v));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.queryCache.clear();
    await this.model.dispose();
  }

  private assertOpen(): void {
    if (this.disposed) throw new AppError('embedder_unavailable', `Embedder: model "${this.info.id}" was disposed`);
  }

  /** One forward pass over `texts`; returns pooled, unit-length vectors. */
  private async forward(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const inputs = this.tokenizer(texts, { padding: true, truncation: true, max_length: this.spec.maxLength }) as Record<string, Tensor>;
    const outputs = (await this.model(inputs)) as Record<string, Tensor | undefined>;
    const hidden = outputs['last_hidden_state'] ?? outputs['token_embeddings'] ?? Object.values(outputs)[0];
    if (!hidden || hidden.dims.length !== 3) {
      throw new AppError('embedder_unavailable', `Embedder: model "${this.info.id}" has no (batch, tokens, dim) output`);
    }
    const [batch, seq, dim] = hidden.dims as [number, number, number];
    const h = hidden.data as Float32Array;
    const mask = inputs['attention_mask']!.data as BigInt64Array;
    const vecs: Float32Array[] = [];
    for (let b = 0; b < batch; b++) {
      const v = new Float32Array(dim);
      if (this.spec.pooling === 'cls') {
        v.set(h.subarray(b * seq * dim, b * seq * dim + dim));
      } else {
        let n = 0;
        for (let t = 0; t < seq; t++) {
          if (mask[b * seq + t] === 0n) continue;
          n++;
          const o = (b * seq + t) * dim;
          for (let d = 0; d < dim; d++) v[d]! += h[o + d]!;
        }
        if (n > 0) for (let d = 0; d < dim; d++) v[d]! /= n;
      }
      vecs.push(normalize(v));
    }
    hidden.dispose();
    return vecs;
  }
}
