/**
 * Read an index part in a worker thread of its own, hashing it there as it is read: the server
 * asks for every part at once (core/index-file.ts decodeIndex), so the parts are read and hashed
 * in parallel, beside the main thread's own start-up work (decoding the documents part as soon as
 * it has arrived, loading the model), instead of one after another on the main thread. The bytes
 * come back without a copy, with the SHA-256 of exactly those bytes, which decodeIndex compares
 * with the manifest's before it uses them.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HashedBytes } from '../core/index-file.ts';

/** `signal`: stop reading (the worker is terminated) and reject with the signal's reason. */
export function readPartInWorker(path: string, signal?: AbortSignal): Promise<HashedBytes> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    // Not the parent's flags (an --import of a TypeScript file would fail in a worker): it needs none.
    const worker = new Worker(new URL('./part-reader-worker.mjs', import.meta.url), { workerData: { path }, execArgv: [] });
    let done = false;
    signal?.addEventListener('abort', () => {
      if (done) return;
      done = true;
      void worker.terminate();
      reject(signal.reason);
    }, { once: true });
    worker.once('message', (m: { buffer: ArrayBuffer; length: number; sha256: string }) => {
      done = true;
      resolve({ bytes: new Uint8Array(m.buffer, 0, m.length), sha256: m.sha256 });
    });
    worker.once('error', (err) => {
      done = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`part reader for ${path} exited with code ${code} before answering`));
    });
  });
}

/**
 * The parts of one build, being read and hashed ahead of their use (npm start starts them while it
 * checks that the index is up to date). `read` gives a part's bytes and hash as readPartInWorker
 * does; `cancel` stops the reads still running and drops the rest.
 */
export class PartPrefetch {
  private readonly reads = new Map<string, Promise<HashedBytes>>();
  private readonly stop = new AbortController();

  constructor(
    readonly indexDir: string,
    /** The build whose parts these are. */
    readonly buildId: string,
    files: readonly string[],
  ) {
    for (const f of files) {
      const p = readPartInWorker(join(indexDir, f), this.stop.signal);
      p.catch(() => {});
      this.reads.set(f, p);
    }
  }

  /** The part's read (once: the bytes are not kept here after), or a fresh one when it was not prefetched. */
  read(file: string): Promise<HashedBytes> {
    const p = this.reads.get(file);
    this.reads.delete(file);
    return p ?? readPartInWorker(join(this.indexDir, file));
  }

  cancel(): void {
    this.stop.abort(new Error('prefetch cancelled'));
    this.reads.clear();
  }
}
