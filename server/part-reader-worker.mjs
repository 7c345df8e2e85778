// @ts-check
/**
 * Worker thread of server/part-reader.ts: read one index part (workerData.path) into a fresh
 * buffer, hashing it (SHA-256) piece by piece as it is read, and send the bytes (transferred, not
 * copied) with their hash. Plain JavaScript: it needs nothing compiled, so it starts at once.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/** Bytes read, then hashed, at a time (hashed while still in the CPU's cache). */
const PIECE = 4 * 2 ** 20;

const fd = openSync(/** @type {{ path: string }} */ (workerData).path, 'r');
try {
  const size = fstatSync(fd).size;
  const bytes = new Uint8Array(new ArrayBuffer(size));
  const hash = createHash('sha256');
  let at = 0;
  while (at < size) {
    const n = readSync(fd, bytes, at, Math.min(PIECE, size - at), at);
    if (n === 0) break; // shorter than it was a moment ago: what was read is sent, and fails its check
    hash.update(bytes.subarray(at, at + n));
    at += n;
  }
  parentPort?.postMessage({ buffer: bytes.buffer, length: at, sha256: hash.digest('hex') }, [bytes.buffer]);
} finally {
  closeSync(fd);
}
