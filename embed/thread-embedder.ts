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
 * The worker's code: its entry is a .ts source file whichever way the server runs (tsx, a test
 * runner's own transform, the compiled server, which points at the sources), so the worker first
 * registers the TypeScript loader (tsx, a dependency) in itself, then imports the entry. The
 * parent's preloads are not passed on (a benchmark's probe of the main thread has nothing to do
 * in the worker).
 */
function workerCode(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(ENTRY.href)}); });`;
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
    const worker = new Worker(workerCode(), { eval: true, workerData, execArgv: [] });
    const listeners: { message?: (r: ThreadReply) => void; error?: (e: Error) => void; exit?: (code: number) => void } = {};
    const first = await new Promise<ThreadReply>((ok, fail) => {
      listeners.message = ok;
      listeners.error = (e) => fail(new AppError('embedder_unavailable', `Embedder: the embedding thread failed to start: ${e.message}`, { cause: e }));
      listeners.exit = (code) => fail(new AppError('embedder_unavailable', `Embedder: the embedding thread stopped while loading (exit code ${code})`));
      worker.once('message', listeners.message).once('error', listeners.error).once('exit', listeners.exit);
    });
    // Only our own listeners: the worker's own (internal) ones must stay.
    worker.off('message', listeners.message!).off('error', listeners.error!).off('exit', listeners.exit!);
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
