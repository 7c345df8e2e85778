/**
 * An embedder on its own thread: the model (onnxruntime-node, whose inference runs synchronously
 * on the thread that calls it) is loaded and run in a worker thread (embed/embedder-thread.ts),
 * so query and sentence embeddings do not hold the main thread, which stays free to read
 * requests and answer keyword searches while a meaning search waits for its vector. Same model,
 * same code, same vectors as in the main thread; the model is loaded once, in the worker only.
 * The worker keeps the query cache and micro-batch queue of the embedder it runs.
 */
import { Worker } from 'node:worker_threads';
import type { Embedder } from '../core/embedder.ts';
import { AppError, type ErrorCode } from '../core/errors.ts';
import type { EmbedderInfo } from '../core/types.ts';
import type { ThreadError, ThreadLoad, ThreadReply, ThreadRequest } from './embedder-thread.ts';
import type { LoadEmbedderOptions } from './registry.ts';

const ENTRY = new URL('./embedder-thread.ts', import.meta.url);

/**
 * Node options for the worker: the parent's, plus the TypeScript loader (tsx, a dependency) when
 * the parent runs without it (a test runner's own transform, the compiled server).
 */
function workerExecArgv(): string[] {
  const own = process.execArgv;
  return own.some((a) => a.includes('tsx')) ? own : [...own, '--import', 'tsx'];
}

function fromThread(e: ThreadError): Error {
  return e.code ? new AppError(e.code as ErrorCode, e.message) : new Error(e.message);
}

export class ThreadEmbedder implements Embedder {
  private next = 1;
  private readonly pending = new Map<number, { ok: (r: ThreadReply) => void; fail: (e: Error) => void }>();
  private disposed: Promise<void> | null = null;
  private exited: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly info: EmbedderInfo,
  ) {
    worker.on('message', (r: ThreadReply) => {
      const p = this.pending.get(r.n);
      if (!p) return;
      this.pending.delete(r.n);
      if (r.kind === 'error') p.fail(fromThread(r.error));
      else p.ok(r);
    });
    const stop = (why: Error): void => {
      this.exited = why;
      for (const p of this.pending.values()) p.fail(why);
      this.pending.clear();
    };
    worker.on('error', (e) => stop(new AppError('embedder_unavailable', `Embedder: the embedding thread failed: ${e.message}`)));
    worker.on('exit', (code) => stop(new AppError('embedder_unavailable', `Embedder: the embedding thread stopped (exit code ${code})`)));
  }

  /** Load embedder `id` (embed/registry.ts) in a new worker thread; rejects as loading it in this thread would. */
  static async load(id: string, options: LoadEmbedderOptions = {}): Promise<ThreadEmbedder> {
    const workerData: ThreadLoad = { id, options: { ...options, thread: false } };
    const worker = new Worker(ENTRY, { workerData, execArgv: workerExecArgv() });
    const first = await new Promise<ThreadReply>((ok, fail) => {
      worker.once('message', ok);
      worker.once('error', (e) => fail(new AppError('embedder_unavailable', `Embedder: the embedding thread failed to start: ${e.message}`, { cause: e })));
      worker.once('exit', (code) => fail(new AppError('embedder_unavailable', `Embedder: the embedding thread stopped while loading (exit code ${code})`)));
    });
    worker.removeAllListeners();
    if (first.kind !== 'ready') {
      await worker.terminate();
      throw first.kind === 'error' ? fromThread(first.error) : new AppError('embedder_unavailable', `Embedder: unexpected "${first.kind}" from the embedding thread`);
    }
    return new ThreadEmbedder(worker, first.info);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.ask({ kind: 'query', text }))[0]!;
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    return texts.length === 0 ? [] : this.ask({ kind: 'passages', texts });
  }

  dispose(): Promise<void> {
    this.disposed ??= (this.exited ? Promise.resolve() : this.request({ kind: 'dispose' }).then(() => undefined, () => undefined)).then(async () => {
      await this.worker.terminate();
    });
    return this.disposed;
  }

  private async ask(req: { kind: 'query'; text: string } | { kind: 'passages'; texts: string[] }): Promise<Float32Array[]> {
    if (this.disposed) throw new AppError('embedder_unavailable', `Embedder: model "${this.info.id}" was disposed`);
    const r = await this.request(req);
    if (r.kind !== 'vectors') throw new AppError('embedder_unavailable', `Embedder: unexpected "${r.kind}" from the embedding thread`);
    return r.vectors;
  }

  private request(req: DistributiveOmit<ThreadRequest, 'n'>): Promise<ThreadReply> {
    if (this.exited) return Promise.reject(this.exited);
    const n = this.next++;
    return new Promise((ok, fail) => {
      this.pending.set(n, { ok, fail });
      this.worker.postMessage({ ...req, n } as ThreadRequest);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
