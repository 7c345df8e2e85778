/**
 * An embedder spread over worker threads, for building indexes: each worker loads its own copy of
 * the model (embed/registry.ts loadEmbedder) with few onnxruntime threads, and texts are handed out
 * in jobs, so the cores embed different texts at once instead of splitting one text's small
 * matrices (onnxruntime-node runs one inference at a time per thread, and the intra-op threads of
 * a batch of one wait on each other at every layer). The main thread stays free for reading files.
 *
 * Same text, same vector: every text still goes through the encoder alone (a batch of one, see
 * embed/transformers-embedder.ts), and the result does not depend on the number of intra-op
 * threads (checked bit for bit by test/embedder-pool.test.ts).
 *
 * Workers take jobs from one queue (at most two jobs in flight each), so a slow worker (a core
 * shared with another process) gets less work. A worker that fails or exits fails its jobs and
 * every later one with AppError('embedder_unavailable').
 */
import { Worker } from 'node:worker_threads';
import type { Embedder } from '../core/embedder.ts';
import { AppError, type ErrorCode } from '../core/errors.ts';
import type { EmbedderInfo } from '../core/types.ts';

export interface EmbedderPoolOptions {
  /** Worker threads (each loads the model). */
  workers: number;
  /** onnxruntime intra-op threads per worker. */
  threads: number;
  /** Folder of model folders (default as loadEmbedder). */
  modelsDir?: string;
}

/** What the pool asks a worker to do. */
export type PoolRequest = { kind: 'passages' | 'query'; job: number; texts: string[] } | { kind: 'close' };

/** What a worker answers. */
export type PoolReply =
  | { kind: 'ready'; info: EmbedderInfo }
  | { kind: 'done'; job: number; vectors: Float32Array[] }
  | { kind: 'failed'; job: number | null; code: ErrorCode | null; message: string };

interface Job {
  id: number;
  kind: 'passages' | 'query';
  texts: string[];
  resolve: (v: Float32Array[]) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Job>;
}

/** Jobs in flight per worker: one running, one waiting in its message queue (no idle gap between jobs). */
const DEPTH = 2;

export class EmbedderPool implements Embedder {
  readonly info: EmbedderInfo;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextJob = 1;
  private broken: AppError | null = null;
  private closed = false;

  private constructor(info: EmbedderInfo, slots: Slot[]) {
    this.info = info;
    this.slots = slots;
    for (const s of slots) {
      s.worker.on('message', (m: PoolReply) => this.onReply(s, m));
      s.worker.on('error', (e) => this.breakAll(new AppError('embedder_unavailable', `Embedder: a worker failed: ${e.message}`, { cause: e })));
      s.worker.on('exit', (code) => {
        if (!this.closed) this.breakAll(new AppError('embedder_unavailable', `Embedder: a worker exited (code ${code})`));
      });
    }
  }

  /** Start the workers and load the model in each (in parallel). Throws AppError('embedder_unavailable'). */
  static async start(id: string, options: EmbedderPoolOptions): Promise<EmbedderPool> {
    const n = Math.max(1, Math.floor(options.workers));
    const workers = Array.from({ length: n }, () => new Worker(new URL('./embedder-pool-worker.mjs', import.meta.url), {
      workerData: { id, threads: Math.max(1, Math.floor(options.threads)), modelsDir: options.modelsDir },
      // Not the parent's flags: an --import of a TypeScript file (a benchmark's probe) would run
      // before the worker has registered tsx, and fail.
      execArgv: [],
    }));
    const ready = workers.map((w) => new Promise<EmbedderInfo>((resolve, reject) => {
      const onMessage = (m: PoolReply): void => {
        w.off('message', onMessage);
        if (m.kind === 'ready') resolve(m.info);
        else if (m.kind === 'failed') reject(new AppError(m.code ?? 'embedder_unavailable', m.message));
        else reject(new AppError('embedder_unavailable', `Embedder: a worker answered ${m.kind} before it was ready`));
      };
      w.on('message', onMessage);
      w.once('error', (e) => reject(new AppError('embedder_unavailable', `Embedder: a worker could not start: ${e.message}`, { cause: e })));
    }));
    let infos: EmbedderInfo[];
    try {
      infos = await Promise.all(ready);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new EmbedderPool(infos[0]!, workers.map((worker) => ({ worker, inFlight: new Map() })));
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  embedPassages(texts: string[]): Promise<Float32Array[]> {
    return this.submit('passages', texts);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.submit('query', [text]))[0]!;
  }

  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.breakAll(new AppError('embedder_unavailable', `Embedder: model "${this.info.id}" was disposed`));
    await Promise.all(this.slots.map((s) => new Promise<void>((resolve) => {
      s.worker.once('exit', () => resolve());
      s.worker.postMessage({ kind: 'close' } satisfies PoolRequest);
    })));
  }

  private submit(kind: Job['kind'], texts: string[]): Promise<Float32Array[]> {
    if (this.broken) return Promise.reject(this.broken);
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextJob++, kind, texts, resolve, reject });
      this.dispatch();
    });
  }

  /** Hand queued jobs to the workers with the fewest in flight, up to DEPTH each. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
      if (slot.inFlight.size >= DEPTH) return;
      const job = this.queue.shift()!;
      slot.inFlight.set(job.id, job);
      slot.worker.postMessage({ kind: job.kind, job: job.id, texts: job.texts } satisfies PoolRequest);
    }
  }

  private onReply(slot: Slot, m: PoolReply): void {
    if (m.kind === 'ready') return;
    if (m.kind === 'failed' && m.job === null) {
      this.breakAll(new AppError(m.code ?? 'embedder_unavailable', m.message));
      return;
    }
    const job = m.job === null ? undefined : slot.inFlight.get(m.job);
    if (!job) return;
    slot.inFlight.delete(job.id);
    if (m.kind === 'done') job.resolve(m.vectors);
    else job.reject(new AppError(m.code ?? 'embedder_unavailable', m.message));
    this.dispatch();
  }

  private breakAll(err: AppError): void {
    this.broken ??= err;
    for (const s of this.slots) {
      for (const job of s.inFlight.values()) job.reject(err);
      s.inFlight.clear();
    }
    for (const job of this.queue.splice(0)) job.reject(err);
  }
}
