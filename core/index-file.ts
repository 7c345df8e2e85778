/**
 * The saved index: a manifest plus three parts (documents, vectors, keyword index), each named
 * by build id and protected by a SHA-256 in the manifest. Encoding and decoding only: reading
 * and writing files is the caller's job (indexer/write.ts, server/load-index.ts).
 */
import { createHash } from 'node:crypto';
import { decodeDocsPart, encodeDocsPart } from './docs-part.ts';
import { AppError } from './errors.ts';
import type { Chunk, DocMeta, EmbedderInfo, Paragraph, ProcessedDoc, SkippedFile } from './types.ts';

/**
 * Bump when the saved layout or the meaning of its fields changes; load refuses other versions.
 * 3: the documents part is binary (core/docs-part.ts) instead of one JSON array.
 */
export const INDEX_FORMAT_VERSION = 3;
/**
 * Versions whose documents and vectors parts the indexer can still reuse (it always rebuilds the
 * keyword part), so an older index is migrated without reading or embedding a file again: 1 and 2
 * had the same documents as JSON (1 a MiniSearch keyword part).
 */
export const REUSABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
/** Versions whose documents part is one JSON array of StoredDoc. */
const JSON_DOCS_VERSIONS: readonly number[] = [1, 2];
export const MANIFEST_FILE = 'manifest.json';

export interface PartRef {
  file: string;
  sha256: string;
  bytes: number;
}

export interface FileRecord {
  /** SHA-256 of the file's bytes (then "+" and 16 hex digits of its catalog entry's, when it has one). */
  hash: string;
  /**
   * Size and modification time of the file when it was hashed (absent for a file modified just
   * before, and in indexes of earlier builds): while both are unchanged the file is not read again.
   */
  size?: number;
  mtimeMs?: number;
  docId: string | null;
  /** Why it was skipped, when it was. */
  skipped?: string;
}

export interface IndexManifest {
  format: number;
  buildId: string;
  builtAt: string;
  /** Version of the text pipeline that produced the documents (see indexer/build.ts). */
  pipeline: number;
  /** Version of the keyword index's analyzer and layout (core/keyword-index.ts). */
  keywordFormat: number;
  embedder: EmbedderInfo;
  counts: { documents: number; chunks: number; paragraphs: number; words: number; pages: number };
  /** Every file seen in the corpus, by path relative to it. */
  files: Record<string, FileRecord>;
  skipped: SkippedFile[];
  parts: { docs: PartRef; vectors: PartRef; keyword: PartRef };
}

/**
 * A document as JSON (the documents part of format versions 1 and 2, and the build checkpoint):
 * paragraph and chunk texts are slices of the document text, so only offsets are stored.
 */
export interface StoredDoc {
  meta: DocMeta;
  text: string;
  paragraphs: Array<Omit<Paragraph, 'text'>>;
  chunks: Array<Omit<Chunk, 'text'>>;
}

export interface IndexData {
  docs: ProcessedDoc[];
  /** One vector per chunk, in document order then chunk order; length = chunks * dim. */
  vectors: Float32Array;
  /** The keyword index (core/keyword-index.ts binary); empty when not decoded. */
  keyword: Uint8Array;
}

export interface EncodedIndex {
  manifest: IndexManifest;
  parts: Array<{ file: string; bytes: Uint8Array }>;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodeIndex(
  data: IndexData,
  info: { buildId: string; builtAt: string; pipeline: number; keywordFormat: number; embedder: EmbedderInfo; files: Record<string, FileRecord>; skipped: SkippedFile[] },
): EncodedIndex {
  const docsBytes = encodeDocsPart(data.docs);
  const vectorBytes = new Uint8Array(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength);
  const keywordBytes = data.keyword;
  const part = (name: string, ext: string, bytes: Uint8Array) => ({ file: `${name}-${info.buildId}.${ext}`, bytes });
  const parts = { docs: part('docs', 'bin', docsBytes), vectors: part('vectors', 'f32', vectorBytes), keyword: part('keyword', 'bin', keywordBytes) };
  const ref = (p: { file: string; bytes: Uint8Array }): PartRef => ({ file: p.file, sha256: sha256(p.bytes), bytes: p.bytes.byteLength });
  const chunks = data.docs.reduce((n, d) => n + d.chunks.length, 0);
  const manifest: IndexManifest = {
    format: INDEX_FORMAT_VERSION,
    buildId: info.buildId,
    builtAt: info.builtAt,
    pipeline: info.pipeline,
    keywordFormat: info.keywordFormat,
    embedder: info.embedder,
    counts: {
      documents: data.docs.length,
      chunks,
      paragraphs: data.docs.reduce((n, d) => n + d.paragraphs.length, 0),
      words: data.docs.reduce((n, d) => n + d.meta.words, 0),
      pages: data.docs.reduce((n, d) => n + (d.meta.pages ?? 0), 0),
    },
    files: info.files,
    skipped: info.skipped,
    parts: { docs: ref(parts.docs), vectors: ref(parts.vectors), keyword: ref(parts.keyword) },
  };
  if (data.vectors.length !== chunks * info.embedder.dim) {
    throw new AppError('internal', `Index: ${data.vectors.length} vector values for ${chunks} chunks of dimension ${info.embedder.dim}`);
  }
  return { manifest, parts: [parts.docs, parts.vectors, parts.keyword] };
}

/** Parse and check a manifest. Refuses other format versions (than those accepted) with a clear message. */
export function parseManifest(json: string, accept: readonly number[] = [INDEX_FORMAT_VERSION]): IndexManifest {
  let m: IndexManifest;
  try {
    m = JSON.parse(json) as IndexManifest;
  } catch (cause) {
    throw new AppError('index_corrupt', `Index: ${MANIFEST_FILE} is not valid JSON; rebuild the index`, { cause });
  }
  if (typeof m !== 'object' || m === null || typeof m.format !== 'number') {
    throw new AppError('index_corrupt', `Index: ${MANIFEST_FILE} has no format version; rebuild the index`);
  }
  if (!accept.includes(m.format)) {
    throw new AppError(
      'index_format',
      `Index: saved index has format version ${m.format}, this version reads only ${INDEX_FORMAT_VERSION}; rebuild the index`,
    );
  }
  return m;
}

/**
 * Reads a part's bytes; it may also give the SHA-256 it computed of exactly those bytes (e.g. in
 * a worker thread, as server/part-reader.ts does), which is then compared instead of hashing here.
 */
export type PartReader = (file: string) => Promise<Uint8Array | HashedBytes>;

export interface HashedBytes {
  bytes: Uint8Array;
  /** SHA-256 (hex) of `bytes`. */
  sha256: string;
}

/**
 * Read and verify every part named by the manifest. `keyword` may be skipped (the indexer rebuilds
 * it). The parts are asked for all at once (a reader may read and hash them in parallel); each is
 * checked against its size and SHA-256 before it is decoded, and nothing is returned unless all are.
 */
export async function decodeIndex(manifest: IndexManifest, read: PartReader, options: { keyword?: boolean } = {}): Promise<IndexData> {
  const parts = [manifest.parts.docs, manifest.parts.vectors, ...(options.keyword === false ? [] : [manifest.parts.keyword])];
  const reads = parts.map((ref) => readVerified(ref, read));
  // Awaited one by one below; a later part's failure must not go unhandled meanwhile.
  for (const r of reads) r.catch(() => {});
  const docsBytes = await reads[0]!;
  const vectorBytes = await reads[1]!;
  const keyword = options.keyword === false ? new Uint8Array(0) : await reads[2]!;
  let docs: ProcessedDoc[];
  if (JSON_DOCS_VERSIONS.includes(manifest.format)) {
    let stored: StoredDoc[];
    try {
      stored = JSON.parse(new TextDecoder().decode(docsBytes)) as StoredDoc[];
    } catch (cause) {
      throw new AppError('index_corrupt', `Index: ${manifest.parts.docs.file} cannot be parsed; rebuild the index`, { cause });
    }
    docs = stored.map(restoreDoc);
  } else {
    docs = decodeDocsPart(docsBytes, `part ${manifest.parts.docs.file}`);
  }
  if (vectorBytes.byteLength % 4 !== 0) throw new AppError('index_corrupt', `Index: part ${manifest.parts.vectors.file} is not whole float32 values; rebuild the index`);
  // A view when the bytes start at a multiple of 4 (a whole file read by fs does), else an aligned copy.
  let vectors: Float32Array;
  if (vectorBytes.byteOffset % 4 === 0) {
    vectors = new Float32Array(vectorBytes.buffer, vectorBytes.byteOffset, vectorBytes.byteLength / 4);
  } else {
    vectors = new Float32Array(vectorBytes.byteLength / 4);
    new Uint8Array(vectors.buffer).set(vectorBytes);
  }
  return { docs, vectors, keyword };
}

/** Check every part against its size and SHA-256 without decoding; throws as decodeIndex does. */
export async function verifyIndex(manifest: IndexManifest, read: PartReader): Promise<void> {
  for (const ref of [manifest.parts.docs, manifest.parts.vectors, manifest.parts.keyword]) await readVerified(ref, read);
}

async function readVerified(ref: PartRef, read: PartReader): Promise<Uint8Array> {
  let got: Uint8Array | HashedBytes;
  try {
    got = await read(ref.file);
  } catch (cause) {
    throw new AppError('index_corrupt', `Index: part ${ref.file} is missing; rebuild the index`, { cause });
  }
  const bytes = got instanceof Uint8Array ? got : got.bytes;
  if (bytes.byteLength !== ref.bytes || (got instanceof Uint8Array ? sha256(bytes) : got.sha256) !== ref.sha256) {
    throw new AppError('index_corrupt', `Index: part ${ref.file} fails its checksum (truncated or damaged); rebuild the index`);
  }
  return bytes;
}

/** A document as saved: paragraph and chunk texts dropped (they are slices of the text). */
export function storeDoc(d: ProcessedDoc): StoredDoc {
  return {
    meta: d.meta,
    text: d.text,
    paragraphs: d.paragraphs.map(({ text: _t, ...rest }) => rest),
    chunks: d.chunks.map(({ text: _t, ...rest }) => rest),
  };
}

/** A saved document with its paragraph and chunk texts put back. */
export function restoreDoc(d: StoredDoc): ProcessedDoc {
  return {
    meta: d.meta,
    text: d.text,
    paragraphs: d.paragraphs.map((p) => ({ ...p, text: d.text.slice(p.start, p.end) })),
    chunks: d.chunks.map((c) => ({ ...c, text: d.text.slice(c.start, c.end) })),
  };
}
