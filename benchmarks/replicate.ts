/**
 * Replicate a saved index k times under other document ids, without re-embedding: the index of
 * "ten times the corpus" for `npm run bench:scale10`.
 *
 * Copy 0 is the original (ids and sources unchanged); copy j (1..k-1) of a document has source
 * `copy-j/<source>` and id `copyj-<id>` (ids stay URL-safe), the same text, paragraphs, council,
 * year, type and judgements, and chunk ids `copyj-<chunk id>` (a chunk id starts with its
 * document's id; the parts of a split paragraph share an anchor, not an id). Vectors are the original
 * chunk's vectors; the keyword part is rebuilt with the indexer's own buildKeywordIndex, and the
 * index is encoded and written as the indexer does (core/index-file.ts encodeIndex,
 * indexer/write.ts writeIndex), in the indexer's document order (sorted by source). The manifest
 * lists every copy's file under `copy-j/<source>` with the original's hash, so a corpus folder
 * holding the same files under copy-j/ (replicaCorpus) is up to date for the indexer.
 *
 * CLI: npm run bench:replicate -- --from DIR --to DIR [--copies 10] [--corpus DIR --corpus-out DIR]
 */
import { link, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliArgs } from '../scripts/cli.ts';
import { MANIFEST_FILE, decodeIndex, encodeIndex, parseManifest, type FileRecord, type IndexData, type IndexManifest } from '../core/index-file.ts';
import { KEYWORD_FORMAT_VERSION } from '../core/keyword-index.ts';
import type { ProcessedDoc, SkippedFile } from '../core/types.ts';
import { buildKeywordIndex } from '../indexer/build.ts';
import { walkCorpus } from '../indexer/walk.ts';
import { writeIndex } from '../indexer/write.ts';

/** Written beside the replicated index: what it was made from (a later run reuses it when this matches). */
export const REPLICA_INFO_FILE = 'replica.json';

export interface ReplicaInfo {
  fromBuildId: string;
  copies: number;
  buildId: string;
  documents: number;
  chunks: number;
}

export function copySource(source: string, copy: number): string {
  return copy === 0 ? source : `copy-${copy}/${source}`;
}

export function copyId(id: string, copy: number): string {
  return copy === 0 ? id : `copy${copy}-${id}`;
}

/** The documents, vectors and file records of k copies, in the indexer's order (by source). Pure. */
export function replicateData(
  manifest: IndexManifest,
  data: Pick<IndexData, 'docs' | 'vectors'>,
  copies: number,
): { docs: ProcessedDoc[]; vectors: Float32Array; files: Record<string, FileRecord>; skipped: SkippedFile[] } {
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`replicate: copies must be a whole number >= 1 (got ${copies})`);
  const dim = manifest.embedder.dim;
  const offsets: number[] = [];
  let offset = 0;
  for (const d of data.docs) {
    offsets.push(offset);
    offset += d.chunks.length * dim;
  }
  if (offset !== data.vectors.length) throw new Error(`replicate: ${data.vectors.length} vector values for ${offset / dim} chunks`);

  const entries: Array<{ doc: ProcessedDoc; from: number }> = [];
  for (let copy = 0; copy < copies; copy++) {
    data.docs.forEach((d, i) => {
      if (copy === 0) {
        entries.push({ doc: d, from: i });
        return;
      }
      const id = copyId(d.meta.id, copy);
      const doc: ProcessedDoc = {
        meta: { ...d.meta, id, source: copySource(d.meta.source, copy) },
        text: d.text,
        paragraphs: d.paragraphs,
        chunks: d.chunks.map((c) => ({ ...c, id: copyId(c.id, copy), docId: id })),
      };
      entries.push({ doc, from: i });
    });
  }
  // The indexer assembles documents in the order of their sources (Object.keys(files).sort()).
  entries.sort((a, b) => (a.doc.meta.source < b.doc.meta.source ? -1 : a.doc.meta.source > b.doc.meta.source ? 1 : 0));
  const vectors = new Float32Array(data.vectors.length * copies);
  let o = 0;
  for (const e of entries) {
    const n = e.doc.chunks.length * dim;
    vectors.set(data.vectors.subarray(offsets[e.from]!, offsets[e.from]! + n), o);
    o += n;
  }

  const files: Record<string, FileRecord> = {};
  const skipped: SkippedFile[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const [source, rec] of Object.entries(manifest.files)) {
      files[copySource(source, copy)] = { ...rec, docId: rec.docId === null ? null : copyId(rec.docId, copy) };
    }
    for (const s of manifest.skipped) skipped.push({ ...s, file: copySource(s.file, copy) });
  }
  return { docs: entries.map((e) => e.doc), vectors, files, skipped };
}

export interface ReplicateSummary extends ReplicaInfo {
  seconds: { load: number; replicate: number; keyword: number; encode: number; write: number; total: number };
  indexBytes: number;
  reused: boolean;
}

/**
 * Write the k-copy index of `fromDir` into `toDir`. Reuses an existing replica of the same
 * source build and copy count unless `force`.
 */
export async function replicateIndex(
  fromDir: string,
  toDir: string,
  copies: number,
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<ReplicateSummary> {
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const since = (t: number): number => Math.round(performance.now() - t) / 1000;
  const manifest = parseManifest(await readFile(join(fromDir, MANIFEST_FILE), 'utf8'));
  if (!options.force) {
    const info = await readReplicaInfo(toDir);
    const current = await readFile(join(toDir, MANIFEST_FILE), 'utf8').then((j) => (JSON.parse(j) as IndexManifest).buildId).catch(() => null);
    if (info && info.fromBuildId === manifest.buildId && info.copies === copies && info.buildId === current) {
      log(`replicate: ${toDir} already holds ${copies} copies of build ${manifest.buildId} (${info.chunks} chunks); reused`);
      return { ...info, seconds: { load: 0, replicate: 0, keyword: 0, encode: 0, write: 0, total: since(t0) }, indexBytes: 0, reused: true };
    }
  }
  log(`replicate: loading ${fromDir} (${manifest.counts.documents} documents, ${manifest.counts.chunks} chunks)`);
  const data = await decodeIndex(manifest, (f) => readFile(join(fromDir, f)), { keyword: false });
  const tLoad = since(t0);

  const t1 = performance.now();
  const rep = replicateData(manifest, data, copies);
  const chunks = rep.docs.reduce((n, d) => n + d.chunks.length, 0);
  const tRep = since(t1);
  log(`replicate: ${rep.docs.length} documents, ${chunks} chunks (${copies} copies) in ${tRep} s`);

  const t2 = performance.now();
  // One call with no progress hook inside; its time scales about linearly with the chunks.
  log(`replicate: keyword index over ${chunks} chunks (the single corpus's keyword stage took ~9 s for ${manifest.counts.chunks}; expect ~${copies}x)`);
  const keyword = buildKeywordIndex(rep.docs);
  const tKeyword = since(t2);
  log(`replicate: keyword index ${(keyword.byteLength / 2 ** 20).toFixed(0)} MB in ${tKeyword} s`);

  const t3 = performance.now();
  const builtAt = new Date().toISOString();
  const buildId = `${builtAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-x${copies}${Math.random().toString(36).slice(2, 6)}`;
  const encoded = encodeIndex(
    { docs: rep.docs, vectors: rep.vectors, keyword },
    { buildId, builtAt, pipeline: manifest.pipeline, keywordFormat: KEYWORD_FORMAT_VERSION, embedder: manifest.embedder, files: rep.files, skipped: rep.skipped },
  );
  const tEncode = since(t3);
  log(`replicate: encoded in ${tEncode} s (documents part ${(encoded.parts[0]!.bytes.byteLength / 2 ** 20).toFixed(0)} MB); writing ${toDir}`);

  const t4 = performance.now();
  await writeIndex(toDir, encoded);
  const info: ReplicaInfo = { fromBuildId: manifest.buildId, copies, buildId, documents: rep.docs.length, chunks };
  await writeFile(join(toDir, REPLICA_INFO_FILE), `${JSON.stringify(info, null, 1)}\n`);
  const tWrite = since(t4);
  const indexBytes = encoded.parts.reduce((n, p) => n + p.bytes.byteLength, 0);
  log(`replicate: wrote ${(indexBytes / 2 ** 20).toFixed(0)} MB in ${tWrite} s`);
  return { ...info, seconds: { load: tLoad, replicate: tRep, keyword: tKeyword, encode: tEncode, write: tWrite, total: since(t0) }, indexBytes, reused: false };
}

async function readReplicaInfo(dir: string): Promise<ReplicaInfo | null> {
  try {
    return JSON.parse(await readFile(join(dir, REPLICA_INFO_FILE), 'utf8')) as ReplicaInfo;
  } catch {
    return null;
  }
}

/**
 * A corpus folder holding every file of `corpusDir` once per copy (copy j under copy-j/), as
 * hard links (a copy where links cannot be made): the folder the replicated index is up to date
 * for. Symbolic links would not do: the corpus walk follows only links that stay inside the folder.
 */
export async function replicaCorpus(corpusDir: string, outDir: string, copies: number): Promise<number> {
  const { files } = await walkCorpus(corpusDir);
  await rm(outDir, { recursive: true, force: true });
  let n = 0;
  for (let copy = 0; copy < copies; copy++) {
    for (const f of files) {
      const to = join(outDir, copySource(f, copy));
      await mkdir(dirname(to), { recursive: true });
      await link(join(corpusDir, f), to).catch(() => copyFile(join(corpusDir, f), to));
      n++;
    }
  }
  return n;
}

const USAGE = `usage: npm run bench:replicate -- --from DIR --to DIR [--copies N] [--force] [--corpus DIR --corpus-out DIR]

Writes an index holding N copies (default 10) of every document of the index in --from, under
other ids (copy-j/<source>, copyj-<id>), vectors reused (no embedding), keyword part rebuilt.
An up-to-date replica of the same build is reused unless --force. With --corpus and
--corpus-out, also lays out a corpus folder (hard links) the replica is up to date for.
Prints one JSON line (the summary) on stdout; progress on stderr.
  -h, --help   show this help
`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      copies: { type: 'string', default: '10' },
      force: { type: 'boolean', default: false },
      corpus: { type: 'string' },
      'corpus-out': { type: 'string' },
    },
  });
  if (!values.from || !values.to) {
    process.stderr.write(`error: --from and --to are required\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const copies = Number(values.copies);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const summary = await replicateIndex(resolve(values.from), resolve(values.to), copies, { force: values.force, log });
  let corpusFiles: number | undefined;
  if (values.corpus && values['corpus-out']) {
    corpusFiles = await replicaCorpus(resolve(values.corpus), resolve(values['corpus-out']), copies);
    log(`replicate: corpus of ${corpusFiles} files (hard links) in ${values['corpus-out']}`);
  }
  process.stdout.write(`${JSON.stringify({ ...summary, corpusFiles })}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
