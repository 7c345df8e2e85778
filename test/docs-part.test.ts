/**
 * The binary documents part of the saved index (core/docs-part.ts, index format 3): it gives back
 * exactly the documents the JSON part of format 2 gave, refuses a damaged, truncated or
 * other-version part with an "Index: ..." error, refuses to drop a field it does not store, and an
 * index of format 2 is migrated by the next build (nothing read or embedded again) and refused
 * by the server until then.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS_PART_VERSION, decodeDocsPart, encodeDocsPart } from '../core/docs-part.ts';
import { AppError } from '../core/errors.ts';
import { INDEX_FORMAT_VERSION, MANIFEST_FILE, decodeIndex, parseManifest, restoreDoc, sha256, storeDoc, type IndexManifest } from '../core/index-file.ts';
import { SearchEngine } from '../core/search.ts';
import type { ProcessedDoc } from '../core/types.ts';
import { buildIndex } from '../indexer/build.ts';
import { writeAtomic } from '../indexer/write.ts';
import { loadIndex } from '../server/load-index.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { useScratch } from './helpers/scratch.ts';

const scratch = useScratch('docs-part');

let indexDir: string;
let manifest: IndexManifest;
let docs: ProcessedDoc[];

beforeAll(async () => {
  indexDir = await ensureCorpusIndex();
  manifest = parseManifest(await readFile(join(indexDir, MANIFEST_FILE), 'utf8'));
  docs = (await decodeIndex(manifest, (f) => readFile(join(indexDir, f)), { keyword: false })).docs;
});

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return err instanceof AppError ? `${err.code}: ${err.message}` : `not an AppError: ${String(err)}`;
  }
  return 'no error';
}

describe('the binary documents part', () => {
  it('gives back the documents of the shipped corpus exactly as the JSON documents part did', () => {
    expect(docs.length).toBeGreaterThan(10);
    const bytes = encodeDocsPart(docs);
    const back = decodeDocsPart(bytes);
    const viaJson = docs.map((d) => restoreDoc(JSON.parse(JSON.stringify(storeDoc(d)))));
    expect(back).toStrictEqual(viaJson);
    // Same fields in the same order, so JSON answers built from them are byte for byte the same.
    expect(JSON.stringify(back)).toBe(JSON.stringify(viaJson));
    // Smaller than the JSON it replaces.
    expect(bytes.byteLength).toBeLessThan(new TextEncoder().encode(JSON.stringify(docs.map(storeDoc))).byteLength);
  });

  it('keeps text outside Latin-1, empty documents and null pages and numbers', () => {
    const text = 'Children’s services — “good” 😀\n\nSecond';
    const doc: ProcessedDoc = {
      meta: { ...docs[0]!.meta, id: 'odd', source: 'odd.txt' },
      text,
      paragraphs: [
        { anchor: 'p1', text: text.slice(0, 31), section: [], number: null, pageStart: null, pageEnd: null, start: 0, end: 31, heading: false },
        { anchor: 'p2', text: text.slice(33), section: ['Ünïcode heading'], number: '2.1', pageStart: 3, pageEnd: 4, start: 33, end: 39, heading: true },
      ],
      chunks: [
        { id: 'odd#p1', docId: 'odd', anchor: 'p1', text: text.slice(0, 39), section: ['Ünïcode heading'], paragraphs: [], pageStart: null, pageEnd: 4, start: 0, end: 39, words: 6 },
      ],
    };
    const empty: ProcessedDoc = { meta: { ...docs[0]!.meta, id: 'empty', source: 'empty.txt' }, text: '', paragraphs: [], chunks: [] };
    const back = decodeDocsPart(encodeDocsPart([doc, empty, docs[0]!]));
    expect(back[0]).toEqual(doc);
    expect(back[1]).toEqual(empty);
    expect(back[2]).toEqual(docs[0]);
    expect(back[0]!.chunks[0]!.text).toBe(text.slice(0, 39));
  });

  it('refuses to store a paragraph or chunk field it does not know (it would be lost)', () => {
    const d = docs[0]!;
    const odd = { ...d, chunks: [{ ...d.chunks[0]!, extra: 1 }, ...d.chunks.slice(1)] } as ProcessedDoc;
    expect(codeOf(() => encodeDocsPart([odd]))).toMatch(/^internal: Index: document .* has a field "extra" the documents part does not store$/);
  });

  it('refuses a truncated, damaged or other-version part with an "Index: ..." error, never a wrong answer', () => {
    const bytes = encodeDocsPart(docs.slice(0, 5));
    // Cut anywhere: header, string table, columns, texts.
    for (const at of [0, 3, 7, 20, 200, Math.floor(bytes.byteLength / 3), Math.floor(bytes.byteLength / 2), bytes.byteLength - 9, bytes.byteLength - 1]) {
      expect(codeOf(() => decodeDocsPart(bytes.subarray(0, at), 'docs part')), `cut at ${at}`).toMatch(/^index_corrupt: Index: docs part .*; rebuild the index$/);
    }
    const notOurs = bytes.slice();
    notOurs[0] = 0x7b;
    expect(codeOf(() => decodeDocsPart(notOurs))).toBe('index_corrupt: Index: documents part is not a documents part; rebuild the index');
    // Another version: the header says so (same length, so the rest of the layout is unchanged).
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    const other = bytes.slice();
    other.set(new TextEncoder().encode(header.replace(`"version":${DOCS_PART_VERSION}`, `"version":${DOCS_PART_VERSION + 1}`)), 8);
    expect(codeOf(() => decodeDocsPart(other))).toBe(`index_format: Index: documents part has version ${DOCS_PART_VERSION + 1}, this version reads ${DOCS_PART_VERSION}; rebuild the index`);
    // A count in the header that does not match the columns.
    const wrongCount = bytes.slice();
    wrongCount.set(new TextEncoder().encode(header.replace(/"chunks":(\d)/, (_m, d: string) => `"chunks":${(Number(d) + 1) % 10}`)), 8);
    expect(codeOf(() => decodeDocsPart(wrongCount))).toMatch(/^index_corrupt: /);
  });

  it('is refused by the loader when one byte of it changes (its SHA-256 in the manifest)', async () => {
    const damaged = join(scratch.dir, 'damaged');
    await cp(indexDir, damaged, { recursive: true });
    const file = join(damaged, manifest.parts.docs.file);
    expect(manifest.parts.docs.file).toMatch(/^docs-[\w-]+\.bin$/);
    const bytes = await readFile(file);
    bytes[bytes.byteLength >> 1] ^= 0x01;
    await writeFile(file, bytes);
    await expect(loadIndex(damaged)).rejects.toThrow(/^Index: part docs-[\w-]+\.bin fails its checksum \(truncated or damaged\); rebuild the index$/);
  });
});

describe('an index of format 2 (documents as JSON)', () => {
  it('is refused by the server, and migrated by the next build without reading or embedding a file', async () => {
    const old = join(scratch.dir, 'format-2');
    await rm(old, { recursive: true, force: true });
    await cp(indexDir, old, { recursive: true });
    // Write it as format 2 did: the documents part one JSON array of stored documents.
    const json = new TextEncoder().encode(JSON.stringify(docs.map(storeDoc)));
    const file = `docs-${manifest.buildId}.json`;
    await writeFile(join(old, file), json);
    await rm(join(old, manifest.parts.docs.file));
    const v2: IndexManifest = { ...manifest, format: 2, parts: { ...manifest.parts, docs: { file, sha256: sha256(json), bytes: json.byteLength } } };
    await writeAtomic(join(old, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(v2)));
    await expect(loadIndex(old)).rejects.toThrow(`Index: saved index has format version 2, this version reads only ${INDEX_FORMAT_VERSION}; rebuild the index`);
    // The indexer still reads it (to reuse its documents and vectors).
    expect((await decodeIndex(v2, (f) => readFile(join(old, f)), { keyword: false })).docs).toStrictEqual(docs);

    const s = await buildIndex({ corpusDir: CORPUS_DIR, indexDir: old, embedder: scratch.embedder(), progress: { silent: true } });
    expect(s).toMatchObject({ noop: false, added: 0, changed: 0, removed: 0, embedded: 0, documents: docs.length });
    const migrated = parseManifest(await readFile(join(old, MANIFEST_FILE), 'utf8'));
    expect(migrated.format).toBe(INDEX_FORMAT_VERSION);
    expect(migrated.parts.docs.file).toMatch(/\.bin$/);
    const a = await loadIndex(old);
    const b = await loadIndex(indexDir);
    expect(a.docs).toStrictEqual(b.docs);
    expect(a.vectors).toEqual(b.vectors);
    const q = { q: 'children in care', mode: 'hybrid' as const, limit: 10 };
    const ea = new SearchEngine(a, scratch.embedder());
    const eb = new SearchEngine(b, scratch.embedder());
    expect((await ea.search(q)).results).toEqual((await eb.search(q)).results);
    // And the next build is a no-op.
    expect((await buildIndex({ corpusDir: CORPUS_DIR, indexDir: old, embedder: scratch.embedder(), progress: { silent: true } })).noop).toBe(true);
  });
});
