/**
 * The work of one embed/embedder-pool.ts worker thread: load the model once (workerData: id,
 * threads, modelsDir), then embed each job's texts in order and send the vectors back (their
 * buffers transferred, not copied). Started through embed/embedder-pool-worker.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import type { PoolReply, PoolRequest } from './embedder-pool.ts';
import { loadEmbedder } from './registry.ts';

const port = parentPort!;
const { id, threads, modelsDir } = workerData as { id: string; threads: number; modelsDir?: string };

function failed(job: number | null, err: unknown): PoolReply {
  return { kind: 'failed', job, code: err instanceof AppError ? err.code : null, message: err instanceof Error ? err.message : String(err) };
}

let embedder: Embedder;
try {
  embedder = await loadEmbedder(id, modelsDir ? { threads, modelsDir } : { threads });
  port.postMessage({ kind: 'ready', info: embedder.info } satisfies PoolReply);
} catch (err) {
  port.postMessage(failed(null, err));
  process.exit(1);
}

// One job at a time, in arrival order (a second job waits in this queue while the first runs).
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: PoolRequest) => {
  chain = chain.then(async () => {
    if (m.kind === 'close') {
      await embedder.dispose();
      port.close();
      return;
    }
    try {
      const vectors = m.kind === 'query' ? [await embedder.embedQuery(m.texts[0]!)] : await embedder.embedPassages(m.texts);
      port.postMessage({ kind: 'done', job: m.job, vectors } satisfies PoolReply, [...new Set(vectors.map((v) => v.buffer as ArrayBuffer))]);
    } catch (err) {
      port.postMessage(failed(m.job, err));
    }
  });
});
