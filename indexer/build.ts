/**
 * Build or update the saved index of a corpus folder. Only added and changed files are read and
 * embedded; unchanged files keep their chunks and vectors; an unchanged corpus is a no-op that
 * never loads the model. The new index replaces the old one atomically (indexer/write.ts).
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../core/embedder.ts';
import { AppError } from '../core/errors.ts';
import {
  INDEX_FORMAT_VERSION, MANIFEST_FILE, REUSABLE_FORMAT_VERSIONS, decodeIndex, encodeIndex, parseManifest, sha256, verifyIndex,
  type FileRecord, type IndexData, type IndexManifest,
} from '../core/index-file.ts';
import { duplicateGroups } from '../core/duplicates.ts';
import { KEYWORD_FORMAT_VERSION, KeywordIndex } from '../core/keyword-index.ts';
import type { EmbedderInfo, ProcessedDoc, SkippedFile } from '../core/types.ts';
import { resolveEmbedderId } from '../embed/registry.ts';
import { loadCatalog, type CatalogEntry } from './catalog.ts';
import { BuildCheckpoint, CHECKPOINT_FILE } from './checkpoint.ts';
import { ChunkEmbedding, textKey } from './chunk-embedding.ts';

export { embeddingText } from './chunk-embedding.ts';
import { processFile } from './document.ts';
import { progressBar, type ProgressOptions } from './progress.ts';
import { walkCorpus } from './walk.ts';
import { writeAtomic, writeIndex, type IndexFs } from './write.ts';

/**
 * Version of the text pipeline (ingest, sections, chunking, metadata). Bump it when their output
 * changes: every file is then processed again on the next run.
 */
export const PIPELINE_VERSION = 5;

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  /** Embedder id; default from EMBEDDER or the vendored model. */
  embedderId?: string;
  /** An embedder already loaded (it must match embedderId when both are given). */
  embedder?: Embedder;
  /** Process every file again even when unchanged. */
  force?: boolean;
  progress?: ProgressOptions;
  /** One line per event (warnings, stages). */
  log?: (line: string) => void;
  /** File-system calls of the index write (tests make them fail: disk full). */
  writeFs?: IndexFs;
  /**
   * Check the previous index's parts against their SHA-256 before trusting it (default true).
   * npm start passes false: the server checks every part as it loads them a moment later, and
   * start rebuilds when that fails, so an up-to-date index is read and hashed once, not twice.
   * Without it each part must still exist with its recorded size.
   */
  verifyParts?: boolean;
  /** Called once the corpus has been compared with the previous index: true when there is nothing to do. */
  onScanned?: (upToDate: boolean) => void;
}

export interface BuildSummary {
  noop: boolean;
  documents: number;
  chunks: number;
  pages: number;
  skipped: SkippedFile[];
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  embedder: EmbedderInfo;
  embedded: number;
  /** Work taken from the checkpoint of an interrupted build (indexer/checkpoint.ts) instead of done again. */
  resumed: { documents: number; chunks: number };
  seconds: number;
  stages: { scan: number; read: number; embed: number; keyword: number; write: number };
  chunksPerSecond: number | null;
  indexBytes: number;
}

export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const embedderId = options.embedder?.info.id ?? resolveEmbedderId(options.embedderId);
  const stages = { scan: 0, read: 0, embed: 0, keyword: 0, write: 0 };

  // 1. Scan: hash every file and compare with the previous manifest.
  const walk = await walkCorpus(options.corpusDir);
  const catalog = await loadCatalog(options.corpusDir);
  const previous = await readPreviousManifest(options.indexDir, log, options.verifyParts ?? true);
  const reusable = previous !== null && previous.embedder.id === embedderId && previous.pipeline === PIPELINE_VERSION && !options.force;
  const files: Record<string, FileRecord> = {};
  const todo: Array<{ source: string; hash: string; entry: CatalogEntry | undefined; stamp: FileStamp }> = [];
  let added = 0;
  let changed = 0;
  // Files are looked at (stat, and hashed when needed) SCAN_PARALLEL at a time, then taken in order.
  const looks = await inOrder(walk.files, SCAN_PARALLEL, (source) => contentHash(join(options.corpusDir, source), reusable ? previous?.files[source] : undefined));
  for (const [i, source] of walk.files.entries()) {
    const before = previous?.files[source];
    const content = looks[i]!;
    if (content instanceof Error) {
      files[source] = { hash: '', docId: null, skipped: `file cannot be read (${(content as NodeJS.ErrnoException).code ?? content.message})` };
      continue;
    }
    const entry = catalog[source];
    const hash = content.hash + (entry ? `+${sha256(JSON.stringify(entry)).slice(0, 16)}` : '');
    if (reusable && before && before.hash === hash) {
      files[source] = stamped(before, content.stamp);
      continue;
    }
    if (before) changed++;
    else added++;
    todo.push({ source, hash, entry, stamp: content.stamp });
  }
  const present = new Set(walk.files);
  const removed = previous ? Object.keys(previous.files).filter((f) => !present.has(f)).length : 0;
  stages.scan = seconds(t0);
  const unchanged = walk.files.length - todo.length - Object.values(files).filter((f) => f.hash === '').length;

  const upToDate = reusable && todo.length === 0 && removed === 0 && previous !== null && previous.format === INDEX_FORMAT_VERSION && previous.keywordFormat === KEYWORD_FORMAT_VERSION;
  options.onScanned?.(upToDate);
  if (upToDate && previous) {
    log(`index: up to date (${previous.counts.documents} documents, ${previous.counts.chunks} chunks), nothing to do`);
    // Sizes and times not recorded yet (an index of an earlier build, files just modified) are
    // recorded now, so that the next run need not read those files: the manifest alone is
    // replaced, with the same build and parts.
    if (Object.entries(files).some(([f, r]) => r.mtimeMs !== previous.files[f]?.mtimeMs || r.size !== previous.files[f]?.size)) {
      await writeAtomic(join(options.indexDir, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify({ ...previous, files }, null, 1)));
    }
    // A build killed after its index was in place leaves its checkpoint behind: nothing in it is needed.
    await rm(join(options.indexDir, CHECKPOINT_FILE), { force: true });
    return {
      noop: true, documents: previous.counts.documents, chunks: previous.counts.chunks, pages: previous.counts.pages,
      skipped: previous.skipped, added: 0, changed: 0, removed: 0, unchanged, embedder: previous.embedder, embedded: 0, resumed: { documents: 0, chunks: 0 },
      seconds: seconds(t0), stages, chunksPerSecond: null, indexBytes: indexBytes(previous),
    };
  }

  // 2. Reuse documents and vectors of unchanged files; remember every previous vector by the
  //    text it embeds, so a changed file re-embeds only its changed chunks.
  const kept = new Map<string, { doc: ProcessedDoc; vectors: Float32Array }>();
  const vectorCache = new Map<string, Float32Array>();
  if (previous && previous.embedder.id === embedderId) {
    const data = await decodeIndex(previous, (f) => readFile(join(options.indexDir, f)), { keyword: false }).catch((err: Error) => {
      log(`warning: previous index not reused: ${err.message}`);
      return null;
    });
    let offset = 0;
    const dim = previous.embedder.dim;
    for (const doc of data?.docs ?? []) {
      const vectors = data!.vectors.subarray(offset, offset + doc.chunks.length * dim);
      doc.chunks.forEach((c, i) => vectorCache.set(textKey(c), vectors.subarray(i * dim, (i + 1) * dim)));
      const rec = files[doc.meta.source];
      if (reusable && rec && rec.docId === doc.meta.id) kept.set(doc.meta.source, { doc, vectors });
      offset += doc.chunks.length * dim;
    }
  }

  // What an interrupted build of this index already read and embedded (none with --force).
  const checkpoint = await BuildCheckpoint.open(options.indexDir, { embedder: embedderId, pipeline: PIPELINE_VERSION }, { fresh: options.force, log });
  const embedding = new ChunkEmbedding(embedderId, options.embedder, vectorCache, checkpoint);
  try {
    const resumed = { documents: 0, chunks: 0 };
    // 3+4. Read the added and changed files and embed their new chunks (those whose text was not
    //    embedded before). Embedding runs beside the reading: each file's new chunks go to the
    //    embedder as soon as the file is read (worker threads, embed/embedder-pool.ts), while
    //    this thread reads the next file; then the rest of the embedding is waited for.
    const tRead = performance.now();
    const fresh = new Map<string, ProcessedDoc>();
    const bar = progressBar('read', todo.length, options.progress);
    let pages = 0;
    let newChunks = 0;
    const detail = (): string => `pages ${pages} chunks ${newChunks} embedded ${embedding.embedded}/${embedding.queued}`;
    for (const t of todo) {
      embedding.throwIfFailed();
      try {
        const key = BuildCheckpoint.docKey(t.source, t.hash);
        let doc = checkpoint.docs.get(key);
        if (doc) resumed.documents++;
        else {
          const bytes = await readFile(join(options.corpusDir, t.source));
          doc = await processFile(t.source, bytes, t.hash.slice(0, 64), t.entry);
          if (doc.chunks.length === 0) throw new AppError('unreadable_file', 'Ingest: no text found');
          await checkpoint.addDoc(key, doc);
        }
        fresh.set(t.source, doc);
        files[t.source] = { hash: t.hash, docId: doc.meta.id, ...t.stamp };
        pages += doc.meta.pages ?? 0;
        newChunks += doc.chunks.length;
        resumed.chunks += embedding.add(doc.chunks);
      } catch (err) {
        const reason = err instanceof AppError ? err.message.replace(/^Ingest:\s*/, '') : `could not be read: ${(err as Error).message}`;
        files[t.source] = { hash: t.hash, docId: null, skipped: reason, ...t.stamp };
        log(`warning: skipped ${t.source}: ${reason}`);
      }
      bar.tick(1, detail());
    }
    embedding.flush();
    bar.done(detail());
    stages.read = seconds(tRead);

    const tEmbed = performance.now();
    if (embedding.queued > 0) {
      const ebar = progressBar('embed', embedding.queued, options.progress, embedding.embedded);
      await embedding.finish((n) => ebar.tick(n));
      ebar.done();
    } else await embedding.finish();
    // An index with no vector at all still records which embedder it is for.
    const info: EmbedderInfo = embedding.info ?? (kept.size === 0 && vectorCache.size === 0 ? await embedding.loadInfo() : previous!.embedder);
    const freshVectors = new Map<string, Float32Array>();
    for (const [source, doc] of fresh) {
      const out = new Float32Array(doc.chunks.length * info.dim);
      doc.chunks.forEach((c, i) => out.set(vectorCache.get(textKey(c))!, i * info.dim));
      freshVectors.set(source, out);
    }
    await embedding.dispose();
    stages.embed = seconds(tEmbed);

    // 5. Assemble in corpus order and build the keyword index.
    const tKeyword = performance.now();
    const docs: ProcessedDoc[] = [];
    const parts: Float32Array[] = [];
    for (const source of Object.keys(files).sort()) {
      const k = kept.get(source);
      const f = fresh.get(source);
      if (k) {
        docs.push(k.doc);
        parts.push(k.vectors);
      } else if (f) {
        docs.push(f);
        parts.push(freshVectors.get(source) ?? new Float32Array(0));
      }
    }
    const vectors = concat(parts);
    const kbar = progressBar('keyword', docs.length, options.progress);
    const keyword = buildKeywordIndex(docs, () => kbar.tick(1));
    kbar.done();
    stages.keyword = seconds(tKeyword);

    // 6. Write atomically.
    const tWrite = performance.now();
    const skipped: SkippedFile[] = [
      ...walk.skipped,
      ...Object.entries(files).filter(([, r]) => r.skipped).map(([file, r]) => ({ file, reason: r.skipped! })),
    ];
    const data: IndexData = { docs, vectors, keyword };
    const builtAt = new Date().toISOString();
    const encoded = encodeIndex(data, {
      buildId: buildIdFor(builtAt), builtAt, embedder: info, files, skipped, pipeline: PIPELINE_VERSION, keywordFormat: KEYWORD_FORMAT_VERSION,
    });
    const wbar = progressBar('write', encoded.parts.length + 1, options.progress);
    await writeIndex(options.indexDir, encoded, () => wbar.tick(1), options.writeFs).catch((err: unknown) => {
      if (!(err instanceof AppError) || err.code !== 'index_write' || checkpoint.count() === 0) throw err;
      const mb = (checkpoint.size() / 2 ** 20).toFixed(1);
      const what = checkpoint.whole() ? 'What this build read and embedded is' : 'Part of what this build read and embedded (until the checkpoint could not be written either) is';
      throw new AppError('index_write', `${err.message}. ${what} kept for that run in ${checkpoint.path} (${mb} MB; delete it to free the space, the next run then reads and embeds everything again)`, { cause: err });
    });
    // The new index is in place: what the checkpoint held is in it.
    await checkpoint.remove();
    wbar.done();
    stages.write = seconds(tWrite);

    const embedSeconds = embedding.seconds;
    return {
      noop: false,
      documents: docs.length,
      chunks: encoded.manifest.counts.chunks,
      pages: encoded.manifest.counts.pages,
      skipped,
      added, changed, removed, unchanged,
      embedder: info,
      embedded: embedding.queued,
      resumed,
      seconds: seconds(t0),
      stages,
      chunksPerSecond: embedding.queued > 0 && embedSeconds > 0 ? Math.round(embedding.queued / embedSeconds) : null,
      indexBytes: indexBytes(encoded.manifest),
    };
  } finally {
    await embedding.dispose();
    await checkpoint.close();
  }
}

/**
 * The keyword index over every chunk, encoded; ids are chunk ordinals in corpus order (the vector
 * order). `onDoc` is called after each document (progress).
 */
export function buildKeywordIndex(docs: ProcessedDoc[], onDoc?: () => void): Uint8Array {
  const lastChunk = new Set<number>();
  let n = 0;
  for (const d of docs) lastChunk.add((n += d.chunks.length) - 1);
  return KeywordIndex.build(docs.flatMap((d) => d.chunks), duplicateGroups(docs), (i) => lastChunk.has(i) && onDoc?.()).encode();
}

async function readPreviousManifest(indexDir: string, log: (line: string) => void, verify: boolean): Promise<IndexManifest | null> {
  let json: string;
  try {
    json = await readFile(join(indexDir, MANIFEST_FILE), 'utf8');
  } catch {
    return null;
  }
  let manifest: IndexManifest;
  try {
    manifest = parseManifest(json, REUSABLE_FORMAT_VERSIONS);
  } catch (err) {
    log(`warning: previous index not reused: ${(err as Error).message}`);
    return null;
  }
  // A manifest whose parts fail their checksums is trusted for nothing: rebuild from the corpus.
  try {
    if (verify) await verifyIndex(manifest, (f) => readFile(join(indexDir, f)));
    else await checkPartSizes(manifest, indexDir);
  } catch (err) {
    log(`warning: previous index damaged, rebuilding it from the corpus: ${(err as Error).message}`);
    return null;
  }
  return manifest;
}

type FileStamp = Pick<FileRecord, 'size' | 'mtimeMs'>;

/**
 * A file's SHA-256 (hex) and the size and modification time to record with it. A file with the
 * size and time recorded for it by the previous build is not read: its recorded hash stands (as
 * git and make trust a file's stat). Size and time are recorded only for a file last modified
 * more than STAMP_SETTLE_MS before it was looked at, so a change in the same tick of the file
 * system's clock as that look is never taken for no change: such a file is hashed again next time.
 */
async function contentHash(path: string, before: FileRecord | undefined): Promise<{ hash: string; stamp: FileStamp } | Error> {
  try {
    const st = await stat(path);
    const stamp: FileStamp = Date.now() - st.mtimeMs > STAMP_SETTLE_MS ? { size: st.size, mtimeMs: st.mtimeMs } : {};
    if (before?.hash && before.size === st.size && before.mtimeMs === st.mtimeMs && stamp.mtimeMs !== undefined) {
      return { hash: before.hash.slice(0, 64), stamp };
    }
    return { hash: sha256(await readFile(path)), stamp };
  } catch (err) {
    return err as Error;
  }
}

const STAMP_SETTLE_MS = 2000;

/** Corpus files looked at at once by the scan (their stat calls overlap; most need no read). */
const SCAN_PARALLEL = 32;

/** `f` of every item, at most `limit` at a time; results in the items' order. */
async function inOrder<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** A file record with this look's size and time (none, when the file was modified just before). */
function stamped(r: FileRecord, stamp: FileStamp): FileRecord {
  const { size: _s, mtimeMs: _m, ...rest } = r;
  return { ...rest, ...stamp };
}

/** Every part is there with its recorded size (what verifyIndex checks, less the SHA-256). */
async function checkPartSizes(manifest: IndexManifest, indexDir: string): Promise<void> {
  for (const ref of [manifest.parts.docs, manifest.parts.vectors, manifest.parts.keyword]) {
    const s = await stat(join(indexDir, ref.file)).catch(() => null);
    if (s?.size !== ref.bytes) throw new AppError('index_corrupt', `Index: part ${ref.file} is ${s ? `${s.size} bytes, not ${ref.bytes}` : 'missing'}; rebuild the index`);
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function buildIdFor(builtAt: string): string {
  return `${builtAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${Math.random().toString(36).slice(2, 8)}`;
}

function indexBytes(m: IndexManifest): number {
  return m.parts.docs.bytes + m.parts.vectors.bytes + m.parts.keyword.bytes;
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}
