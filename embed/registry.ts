/**
 * Which embedder to use and how to load it.
 *   - DEFAULT_EMBEDDER_ID ("minilm-l6-v2-int8"): the model vendored in <repo>/models/, checked
 *     against its SHA256SUMS before it loads.
 *   - "hf:<org>/<model>" (optionally "@q8" or "@fp32"; q8 by default): any other sentence-embedding
 *     model, from <modelsDir>/<org>/<model>/ or the transformers.js cache, downloaded only when
 *     the hub is reachable. Its EmbedderInfo.id always carries the dtype ("hf:<org>/<model>@q8"),
 *     so vectors of two models or quantisations are never mixed.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config, type Config } from '../core/config.ts';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import { verifyModelFiles } from './model-files.ts';
import { readModelSpec } from './model-spec.ts';
import { ThreadEmbedder } from './thread-embedder.ts';
import type { ModelDtype } from './transformers-embedder.ts';

/** The vendored default: all-MiniLM-L6-v2, int8 ONNX, mean pooling, 384-d. */
export const DEFAULT_EMBEDDER_ID = 'minilm-l6-v2-int8';

/** Models vendored in the repo (folder name under models/ = id). */
export const VENDORED_EMBEDDERS: readonly string[] = [DEFAULT_EMBEDDER_ID];

/** <repo>/models, or env MODELS_DIR. */
export function defaultModelsDir(): string {
  return config().modelsDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models');
}

/** The embedder id to use: the argument, else EMBEDDER, else the default. */
export function resolveEmbedderId(id?: string, cfg: Config = config()): string {
  const chosen = (id ?? cfg.embedder ?? '').trim();
  return chosen === '' ? DEFAULT_EMBEDDER_ID : chosen;
}

export interface LoadEmbedderOptions {
  /** Folder holding model folders (default: env MODELS_DIR, else <repo>/models). */
  modelsDir?: string;
  /** onnxruntime intra-op threads (default: env EMBED_THREADS, else 2). */
  threads?: number;
  /**
   * Run the model in a worker thread (embed/thread-embedder.ts), so embedding never holds this
   * thread (the server's main thread). Default false.
   */
  thread?: boolean;
}

interface HfId {
  repo: string;
  dtype: ModelDtype;
}

function parseHfId(id: string): HfId | null {
  const m = /^hf:([A-Za-z0-9][\w.-]*\/[\w.-]+?)(?:@(q8|fp32))?$/.exec(id);
  if (!m || m[1]!.includes('..')) return null;
  return { repo: m[1]!, dtype: (m[2] as ModelDtype | undefined) ?? 'q8' };
}

function onnxFile(dtype: ModelDtype): string {
  return dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
}

/** True when the model hub answers within a few seconds (no hub: no waiting on a download). */
async function hubReachable(): Promise<boolean> {
  const { env } = await import('@huggingface/transformers');
  try {
    const res = await fetch(env.remoteHost, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function inTransformersCache(cache: string | null, repo: string, dtype: ModelDtype): boolean {
  return cache !== null && existsSync(join(cache, repo, 'config.json')) && existsSync(join(cache, repo, onnxFile(dtype)));
}

/** Load the embedder `id` (see resolveEmbedderId). Throws AppError('embedder_unavailable'). */
export async function loadEmbedder(id: string, opts: LoadEmbedderOptions = {}): Promise<Embedder> {
  if (opts.thread) return ThreadEmbedder.load(id, opts);
  // transformers.js is loaded here, not on import: a process whose model runs in a worker thread
  // (the server) does not load it in its main thread (~40 MB).
  const [{ TransformersEmbedder }, { env }] = await Promise.all([import('./transformers-embedder.ts'), import('@huggingface/transformers')]);
  const modelsDir = resolve(opts.modelsDir ?? defaultModelsDir());
  const common = { modelsDir, threads: opts.threads } as const;

  if (VENDORED_EMBEDDERS.includes(id)) {
    const dir = join(modelsDir, id);
    await verifyModelFiles(dir);
    const spec = await readModelSpec(dir, id);
    return TransformersEmbedder.load({ ...common, id, name: id, spec, dtype: 'q8' });
  }

  const hf = parseHfId(id);
  if (!hf) {
    throw new AppError(
      'embedder_unavailable',
      `Embedder: unknown embedder id "${id}"; use "${DEFAULT_EMBEDDER_ID}" or "hf:<org>/<model>" (set EMBEDDER to choose)`,
    );
  }
  const fullId = `hf:${hf.repo}@${hf.dtype}`;
  const dir = join(modelsDir, hf.repo);
  const needed = ['config.json', 'tokenizer.json', onnxFile(hf.dtype)];
  const notFound = (): AppError =>
    new AppError(
      'embedder_unavailable',
      `Embedder: model "${id}" not found; put its files (${needed.join(', ')}) under ${dir}/ ` +
        `(the model hub cannot be reached to download them)`,
    );

  if (needed.every((f) => existsSync(join(dir, f)))) {
    if (existsSync(join(dir, 'SHA256SUMS'))) await verifyModelFiles(dir);
    const spec = await readModelSpec(dir, hf.repo);
    return TransformersEmbedder.load({ ...common, id: fullId, name: hf.repo, spec, dtype: hf.dtype });
  }
  if (inTransformersCache(typeof env.cacheDir === 'string' ? env.cacheDir : null, hf.repo, hf.dtype)) {
    const spec = await readModelSpec(join(env.cacheDir as string, hf.repo), hf.repo);
    return TransformersEmbedder.load({ ...common, id: fullId, name: hf.repo, spec, dtype: hf.dtype, allowRemote: true });
  }
  if (!(await hubReachable())) throw notFound();
  try {
    // Downloaded into the transformers.js cache. sentence-transformers pooling files are not among
    // what transformers.js fetches, so pooling and prefix follow the model name (bge: CLS + prefix).
    const spec = await readModelSpec(join(env.cacheDir as string, hf.repo), hf.repo);
    return await TransformersEmbedder.load({ ...common, id: fullId, name: hf.repo, spec, dtype: hf.dtype, allowRemote: true });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw notFound();
  }
}
