/**
 * The embedding of a build's new chunks, running beside the reading of files: `add` queues a
 * document's chunks as soon as it is read and returns at once; `finish` waits for the rest.
 * A text already embedded (the previous index, this build, or the checkpoint of an interrupted
 * one) is never embedded again; every vector is appended to the build checkpoint as it arrives.
 *
 * The model is loaded at the first text to embed: the embedder the caller gave, else a pool of
 * worker threads (embed/embedder-pool.ts; INDEX_EMBED_WORKERS, one onnxruntime thread each), else
 * with INDEX_EMBED_WORKERS=0 the model in this thread (EMBED_THREADS threads). The vectors are the
 * same either way (one text per forward pass).
 */
import { config } from '../core/config.ts';
import type { Embedder } from '../core/embedder.ts';
import { sha256 } from '../core/index-file.ts';
import type { Chunk, EmbedderInfo } from '../core/types.ts';
import { EmbedderPool } from '../embed/embedder-pool.ts';
import { loadEmbedder } from '../embed/registry.ts';
import type { BuildCheckpoint } from './checkpoint.ts';

/**
 * Texts per job handed to the embedder: texts are gathered across documents into jobs of this
 * size (the last one of a build smaller), so the checkpoint grows by whole jobs.
 */
export const JOB_TEXTS = 64;

/** The text embedded for a chunk: its nearest heading gives the passage its topic. */
export function embeddingText(chunk: Chunk): string {
  const heading = chunk.section[chunk.section.length - 1];
  return heading ? `${heading}. ${chunk.text}` : chunk.text;
}

/** The key of a chunk's vector: the SHA-256 of the text embedded. */
export function textKey(chunk: Chunk): string {
  return sha256(embeddingText(chunk));
}

export class ChunkEmbedding {
  /** Texts handed to the embedder so far. */
  queued = 0;
  /** Of those, texts whose vector has come back. */
  embedded = 0;
  /** The embedder's, once it is loaded. */
  info: EmbedderInfo | null = null;
  private embedder: Promise<Embedder> | null = null;
  private readonly pending = new Set<string>();
  /** Texts gathered for the next job. */
  private readonly next: { keys: string[]; texts: string[] } = { keys: [], texts: [] };
  private readonly jobs: Promise<void>[] = [];
  private failure: { err: unknown } | null = null;
  private onVectors: ((n: number) => void) | null = null;
  private disposed = false;
  private firstAt = 0;
  private lastAt = 0;

  /**
   * @param embedderId the embedder to load when none is given
   * @param given an embedder already loaded (used, not disposed)
   * @param vectors every vector known, by textKey; new ones are added to it
   */
  constructor(
    private readonly embedderId: string,
    private readonly given: Embedder | undefined,
    private readonly vectors: Map<string, Float32Array>,
    private readonly checkpoint: BuildCheckpoint,
  ) {}

  /** Queue the chunks whose text has no vector yet; returns how many were found in the checkpoint instead. */
  add(chunks: Chunk[]): number {
    let resumed = 0;
    const { keys, texts } = this.next;
    for (const c of chunks) {
      const key = textKey(c);
      if (this.vectors.has(key) || this.pending.has(key)) continue;
      const v = this.checkpoint.vectors.get(key);
      if (v) {
        this.vectors.set(key, v);
        resumed++;
        continue;
      }
      this.pending.add(key);
      keys.push(key);
      texts.push(embeddingText(c));
      if (keys.length === JOB_TEXTS) this.submit(keys.splice(0), texts.splice(0));
    }
    return resumed;
  }

  /** Hand the texts gathered so far to the embedder (the end of the reading). */
  flush(): void {
    if (this.next.keys.length > 0) this.submit(this.next.keys.splice(0), this.next.texts.splice(0));
  }

  /** Throw the error of a failed embedding, if one failed (the build stops instead of reading on). */
  throwIfFailed(): void {
    if (this.failure) throw this.failure.err;
  }

  /**
   * Wait for every queued text (flushed first); `onVectors(n)` is called as vectors come back and
   * are checkpointed. Throws the first failure.
   */
  async finish(onVectors?: (n: number) => void): Promise<void> {
    this.flush();
    this.onVectors = onVectors ?? null;
    await Promise.all(this.jobs);
    this.onVectors = null;
    this.throwIfFailed();
  }

  /** The embedder's info, loading it when nothing was embedded. */
  async loadInfo(): Promise<EmbedderInfo> {
    return (await this.load()).info;
  }

  /** Seconds from the first text handed to the embedder to the last vector back (0: none). */
  get seconds(): number {
    return Math.round(this.lastAt - this.firstAt) / 1000;
  }

  /** Release the embedder if this build loaded it (again: nothing). */
  async dispose(): Promise<void> {
    const loading = this.embedder;
    if (!loading || this.given || this.disposed) return;
    this.disposed = true;
    const e = await loading.catch(() => null);
    await e?.dispose();
  }

  private load(): Promise<Embedder> {
    if (!this.embedder) {
      const workers = config().indexEmbedWorkers;
      this.embedder = this.given
        ? Promise.resolve(this.given)
        : workers > 0
          ? EmbedderPool.start(this.embedderId, { workers, threads: 1, ...(config().modelsDir ? { modelsDir: config().modelsDir! } : {}) })
          : loadEmbedder(this.embedderId);
      this.embedder.then((e) => (this.info = e.info), () => {});
    }
    return this.embedder;
  }

  private submit(keys: string[], texts: string[]): void {
    if (this.failure) return;
    if (this.queued === 0) this.firstAt = performance.now();
    this.queued += keys.length;
    const job = this.load()
      .then((e) => e.embedPassages(texts))
      .then(async (vecs) => {
        keys.forEach((k, i) => {
          this.vectors.set(k, vecs[i]!);
          this.pending.delete(k);
        });
        this.lastAt = performance.now();
        await this.checkpoint.addVectors(keys.map((k, i) => [k, vecs[i]!]));
        this.embedded += keys.length;
        this.onVectors?.(keys.length);
      })
      .catch((err: unknown) => {
        this.failure ??= { err };
      });
    this.jobs.push(job);
  }
}
