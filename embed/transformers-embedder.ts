/**
 * Embedder backed by transformers.js (onnxruntime-node): tokenise, run the ONNX encoder, pool
 * (mean or CLS, per the model's sentence-transformers config), L2-normalise.
 *
 * Every text goes through the encoder on its own (a batch of one), one after another (onnxruntime-
 * node runs one inference at a time per process anyway; the cores are used by intra-op threads).
 * Dynamic int8 models quantise activations with one scale per input tensor, so in a padded
 * batch a text's vector would depend on its batch-mates (cosine ~0.98 to its lone vector);
 * alone, the same text always gets the same vector, and with no padding it is also faster on CPU
 * (measured: 77 vs 53 chunks/s for 200-word chunks on 2 cores). Queries pass through a
 * micro-batch queue (one group at a time, so 50 concurrent queries do not fight for the cores)
 * and an LRU cache.
 */
import { AutoModel, AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { config } from '../core/config.ts';
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
    queryCacheSize: number,
  ) {
    this.info = info;
    this.loadMs = loadMs;
    this.queryCache = new LruCache(queryCacheSize);
    this.queryQueue = new BatchQueue((texts) => this.embedEach(texts), { maxBatch: 16, maxWaitMs: 2 });
  }

  static async load(opts: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const run = async (): Promise<TransformersEmbedder> => {
      const t0 = performance.now();
      const threads = opts.threads ?? config().embedThreads;
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
      const probe = new TransformersEmbedder(tokenizer, model, opts.spec, { id: opts.id, dim: 0 }, loadMs, 1);
      const dim = (await probe.embedOne('dimension probe')).length;
      if (opts.spec.dim !== null && opts.spec.dim !== dim) {
        await model.dispose();
        throw new AppError('embedder_unavailable', `Embedder: model "${opts.id}" gives ${dim}-d vectors but its config says ${opts.spec.dim}`);
      }
      return new TransformersEmbedder(tokenizer, model, opts.spec, { id: opts.id, dim }, loadMs, opts.queryCacheSize ?? 500);
    };
    const p = loadLock.then(run, run);
    loadLock = p.catch(() => undefined);
    return p;
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    this.assertOpen();
    return this.embedEach(texts);
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

  /** Embed each text on its own; results in input order. */
  private async embedEach(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const t of texts) out.push(await this.embedOne(t));
    return out;
  }

  /** One forward pass over one text; returns its pooled, unit-length vector. */
  private async embedOne(text: string): Promise<Float32Array> {
    const inputs = this.tokenizer(text, { truncation: true, max_length: this.spec.maxLength }) as Record<string, Tensor>;
    const outputs = (await this.model(inputs)) as Record<string, Tensor | undefined>;
    const hidden = outputs['last_hidden_state'] ?? outputs['token_embeddings'] ?? Object.values(outputs)[0];
    if (!hidden || hidden.dims.length !== 3 || hidden.dims[0] !== 1) {
      throw new AppError('embedder_unavailable', `Embedder: model "${this.info.id}" has no (1, tokens, dim) output`);
    }
    const [, seq, dim] = hidden.dims as [number, number, number];
    const h = hidden.data as Float32Array;
    const v = new Float32Array(dim);
    if (this.spec.pooling === 'cls') {
      v.set(h.subarray(0, dim));
    } else {
      // No padding in a batch of one: every token counts.
      for (let t = 0; t < seq; t++) {
        const o = t * dim;
        for (let d = 0; d < dim; d++) v[d]! += h[o + d]!;
      }
      for (let d = 0; d < dim; d++) v[d]! /= seq;
    }
    hidden.dispose();
    for (const t of Object.values(inputs)) t.dispose();
    return normalize(v);
  }
}
