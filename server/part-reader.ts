/**
 * Read an index part in a worker thread of its own, hashing it there as it is read: the server
 * asks for every part at once (core/index-file.ts decodeIndex), so the parts are read and hashed
 * in parallel, beside the main thread's own start-up work (decoding the documents part as soon as
 * it has arrived, loading the model), instead of one after another on the main thread. The bytes
 * come back without a copy, with the SHA-256 of exactly those bytes, which decodeIndex compares
 * with the manifest's before it uses them.
 */
import { Worker } from 'node:worker_threads';
import type { HashedBytes } from '../core/index-file.ts';

export function readPartInWorker(path: string): Promise<HashedBytes> {
  return new Promise((resolve, reject) => {
    // Not the parent's flags (an --import of a TypeScript file would fail in a worker): it needs none.
    const worker = new Worker(new URL('./part-reader-worker.mjs', import.meta.url), { workerData: { path }, execArgv: [] });
    let done = false;
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
