/**
 * The build checkpoint: what an unfinished build has already read and embedded, so a build that
 * is killed (or fails to write) does not lose that work. It is one append-only file in the index
 * folder, next to the index it will replace; the index itself is still replaced atomically
 * (indexer/write.ts) and the checkpoint is removed once the new index is in place.
 *
 * Layout: a header (magic, then the embedder id and pipeline version as JSON, with its SHA-256),
 * then records, each independently checked:
 *   kind (1 byte: 1 document, 2 vector) | payload length (u32 LE) | key (32 bytes) | payload |
 *   SHA-256 of everything before it in the record (32 bytes)
 * A document is keyed by its file (path, content hash) and stored as in the index (JSON); a
 * vector by the SHA-256 of the text embedded, as the indexer keys its vector cache.
 *
 * Nothing in it is trusted unchecked: a header of another embedder or pipeline discards the file;
 * a damaged header, or a record that is incomplete or fails its checksum (a write cut by a kill,
 * a damaged disk), is reported with a warning and it and everything after it are ignored (and cut
 * off, so new records follow good ones). Records are not fsynced one by one: after a process is
 * killed the kernel still writes them; after a power cut the checksums find what was lost.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { restoreDoc, storeDoc, type StoredDoc } from '../core/index-file.ts';
import type { ProcessedDoc } from '../core/types.ts';

export const CHECKPOINT_FILE = 'build-checkpoint.bin';

const MAGIC = Buffer.from('CSSCKPT1');
const DOC = 1;
const VECTOR = 2;
/** kind + length + key before the payload; checksum after it. */
const HEAD = 1 + 4 + 32;
const SUM = 32;

/** What the checkpointed work depends on: a checkpoint of another embedder or pipeline is discarded. */
export interface CheckpointHeader {
  embedder: string;
  pipeline: number;
}

export class BuildCheckpoint {
  /** Documents read by an earlier, unfinished build, by docKey. */
  readonly docs = new Map<string, ProcessedDoc>();
  /** Vectors embedded by an earlier, unfinished build, by the SHA-256 of the text embedded. */
  readonly vectors = new Map<string, Float32Array>();
  private fh: FileHandle | null = null;
  private failed = false;
  private bytes = 0;
  private records = 0;
  /** Appends run one after another, in call order (documents and vectors arrive concurrently). */
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Open the index folder's checkpoint, loading what it holds (unless `fresh`: then it starts
   * empty, e.g. for --force), and be ready to append to it.
   */
  static async open(indexDir: string, header: CheckpointHeader, options: { fresh?: boolean; log?: (line: string) => void } = {}): Promise<BuildCheckpoint> {
    const cp = new BuildCheckpoint(join(indexDir, CHECKPOINT_FILE), options.log ?? (() => {}));
    await mkdir(indexDir, { recursive: true });
    const bytes = options.fresh ? null : await readFile(cp.path).catch(() => null);
    const good = bytes ? cp.load(bytes, header) : 0;
    try {
      if (good === 0) await writeFile(cp.path, encodeHeader(header));
      else if (good < bytes!.length) await truncate(cp.path, good);
      cp.bytes = Math.max(good, encodeHeader(header).length);
      cp.fh = await open(cp.path, 'a');
    } catch (err) {
      cp.fail(err as NodeJS.ErrnoException);
    }
    return cp;
  }

  /** The key of a corpus file's document: its path and content hash (catalog entry included). */
  static docKey(source: string, hash: string): string {
    return sha256hex(`${source}\0${hash}`);
  }

  async addDoc(key: string, doc: ProcessedDoc): Promise<void> {
    await this.append([record(DOC, key, Buffer.from(JSON.stringify(storeDoc(doc))))]);
  }

  async addVectors(entries: Array<[key: string, vector: Float32Array]>): Promise<void> {
    await this.append(entries.map(([key, v]) => record(VECTOR, key, Buffer.from(v.buffer, v.byteOffset, v.byteLength))));
  }

  /** Size of the file on disk (bytes). */
  size(): number {
    return this.bytes;
  }

  /** Whether every record this build added was written (false after a write failed). */
  whole(): boolean {
    return !this.failed;
  }

  /** Documents and vectors it holds (loaded and appended). */
  count(): number {
    return this.docs.size + this.vectors.size + this.records;
  }

  async close(): Promise<void> {
    await this.tail;
    const fh = this.fh;
    this.fh = null;
    await fh?.close().catch(() => {});
  }

  /** The build is complete (its index is in place): the checkpoint is no longer needed. */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.path, { force: true });
  }

  private append(records: Buffer[]): Promise<void> {
    this.tail = this.tail.then(() => this.write(records));
    return this.tail;
  }

  private async write(records: Buffer[]): Promise<void> {
    if (!this.fh) return;
    const buf = Buffer.concat(records);
    try {
      await this.fh.write(buf);
      this.bytes += buf.length;
      this.records += records.length;
    } catch (err) {
      this.fail(err as NodeJS.ErrnoException);
      await this.close();
    }
  }

  /** Checkpointing is an aid: when the file cannot be written the build goes on without it. */
  private fail(err: NodeJS.ErrnoException): void {
    if (this.failed) return;
    this.failed = true;
    this.fh = null;
    this.log(`warning: build checkpoint ${this.path} cannot be written (${err.code ?? err.message}); the build goes on, but if it is interrupted the next run reads and embeds again what this one did`);
  }

  /** Load the records of an existing file; returns how many leading bytes are good (0: none). */
  private load(bytes: Buffer, header: CheckpointHeader): number {
    const h = decodeHeader(bytes);
    if (h === null) {
      this.log(`warning: build checkpoint ${this.path} has a damaged header: ignored, starting a new one`);
      return 0;
    }
    if (h.header.embedder !== header.embedder || h.header.pipeline !== header.pipeline) {
      this.log(`build checkpoint: ${this.path} is from another embedder or pipeline (${h.header.embedder}, pipeline ${h.header.pipeline}): discarded`);
      return 0;
    }
    let at = h.end;
    while (at + HEAD <= bytes.length) {
      const kind = bytes[at]!;
      const length = bytes.readUInt32LE(at + 1);
      const end = at + HEAD + length + SUM;
      if (end > bytes.length || (kind !== DOC && kind !== VECTOR)) break;
      const sum = createHash('sha256').update(bytes.subarray(at, end - SUM)).digest();
      if (!sum.equals(bytes.subarray(end - SUM, end))) break;
      const key = bytes.subarray(at + 1 + 4, at + HEAD).toString('hex');
      const payload = bytes.subarray(at + HEAD, end - SUM);
      if (kind === VECTOR) {
        if (length % 4 !== 0) break;
        // A copy: the file's buffer may start at an odd offset.
        const v = new Float32Array(length / 4);
        new Uint8Array(v.buffer).set(payload);
        this.vectors.set(key, v);
      } else {
        let doc: ProcessedDoc;
        try {
          doc = restoreDoc(JSON.parse(payload.toString('utf8')) as StoredDoc);
        } catch {
          break;
        }
        this.docs.set(key, doc);
      }
      at = end;
    }
    if (at < bytes.length) {
      this.log(`warning: build checkpoint ${this.path}: the last ${bytes.length - at} bytes are incomplete or fail their checksum (a write cut short by a killed build, or damage): ignored`);
    }
    if (this.docs.size + this.vectors.size > 0) {
      this.log(`build checkpoint: resuming an interrupted build: ${this.docs.size} documents already read, ${this.vectors.size} chunks already embedded`);
    }
    return at;
  }
}

function record(kind: number, key: string, payload: Buffer): Buffer {
  const out = Buffer.alloc(HEAD + payload.length + SUM);
  out[0] = kind;
  out.writeUInt32LE(payload.length, 1);
  Buffer.from(key, 'hex').copy(out, 5, 0, 32);
  payload.copy(out, HEAD);
  createHash('sha256').update(out.subarray(0, HEAD + payload.length)).digest().copy(out, HEAD + payload.length);
  return out;
}

function encodeHeader(header: CheckpointHeader): Buffer {
  const json = Buffer.from(JSON.stringify({ embedder: header.embedder, pipeline: header.pipeline }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([MAGIC, len, json, createHash('sha256').update(json).digest()]);
}

function decodeHeader(bytes: Buffer): { header: CheckpointHeader; end: number } | null {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const len = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const end = start + len + SUM;
  if (len > 4096 || end > bytes.length) return null;
  const json = bytes.subarray(start, start + len);
  if (!createHash('sha256').update(json).digest().equals(bytes.subarray(start + len, end))) return null;
  try {
    const header = JSON.parse(json.toString('utf8')) as CheckpointHeader;
    if (typeof header.embedder !== 'string' || typeof header.pipeline !== 'number') return null;
    return { header, end };
  } catch {
    return null;
  }
}

function sha256hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
