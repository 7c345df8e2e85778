/**
 * The worker side of embed/thread-embedder.ts: loads the embedder named in workerData (with
 * embed/registry.ts, as the main thread would) and answers embedding requests from the main
 * thread, one message each; vectors go back as transferred buffers (no copy). Started only by
 * ThreadEmbedder.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import { loadEmbedder, type LoadEmbedderOptions } from './registry.ts';

export interface ThreadLoad {
  id: string;
  options: LoadEmbedderOptions;
}

export type ThreadRequest = { n: number; kind: 'query'; text: string } | { n: number; kind: 'passages'; texts: string[] } | { n: number; kind: 'dispose' };

/** An error as it crosses threads: an AppError keeps its code and message. */
export interface ThreadError {
  code: string | null;
  message: string;
}

export type ThreadReply =
  | { n: 0; kind: 'ready'; info: Embedder['info'] }
  | { n: number; kind: 'vectors'; vectors: Float32Array[] }
  | { n: number; kind: 'disposed' }
  | { n: number; kind: 'error'; error: ThreadError };

function toThreadError(e: unknown): ThreadError {
  return e instanceof AppError ? { code: e.code, message: e.message } : { code: null, message: e instanceof Error ? e.message : String(e) };
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { id, options } = workerData as ThreadLoad;
  let embedder: Embedder;
  try {
    embedder = await loadEmbedder(id, { ...options, thread: false });
  } catch (e) {
    port.postMessage({ n: 0, kind: 'error', error: toThreadError(e) } satisfies ThreadReply);
    return;
  }
  port.postMessage({ n: 0, kind: 'ready', info: embedder.info } satisfies ThreadReply);
  port.on('message', (req: ThreadRequest) => {
    if (req.kind === 'dispose') {
      void embedder.dispose().finally(() => {
        port.postMessage({ n: req.n, kind: 'disposed' } satisfies ThreadReply);
        port.close();
      });
      return;
    }
    const work = req.kind === 'query' ? embedder.embedQuery(req.text).then((v) => [v]) : embedder.embedPassages(req.texts);
    work.then(
      (vectors) => port.postMessage({ n: req.n, kind: 'vectors', vectors } satisfies ThreadReply, vectors.map((v) => v.buffer as ArrayBuffer)),
      (e: unknown) => port.postMessage({ n: req.n, kind: 'error', error: toThreadError(e) } satisfies ThreadReply),
    );
  });
}

void main();
