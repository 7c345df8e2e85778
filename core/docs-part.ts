/**
 * The documents part of the saved index (index format 3 on), in binary: what one JSON array of
 * documents held (494 MB at ten times the scale corpus, near V8's longest string, and parsed in
 * one piece at every start), as columns that decode without a parse:
 *   meta        the documents' metadata, JSON (small: one object per document)
 *   strings     every distinct anchor, id, paragraph number and heading once: UTF-8 of their
 *               concatenation and the end of each (in UTF-16 units of the decoded string)
 *   lists       every distinct list of strings (section paths, a chunk's paragraph numbers)
 *               once: end of each and its items (string numbers)
 *   texts       each document's cleaned text, UTF-8, one after another, and the end of each
 *   paragraphs  per document its count, then one Int32 column per field
 *   chunks      the same
 * Paragraph and chunk texts are not stored (they are slices of the document text). Decoded
 * documents equal what the JSON part gave (same fields, same order); documents with the same
 * section path share one array of it (nothing changes these arrays once built). A lone UTF-16
 * surrogate (never produced by the text pipeline) would come back as U+FFFD, of the same length,
 * so every offset stays right.
 * Layout: "CSDC", header length (uint32 LE), header JSON (counts, byte length of each section,
 * DOCS_PART_VERSION), then the sections, each starting at a multiple of 8 bytes. Encoding and
 * decoding only; the part's SHA-256 is in the manifest (core/index-file.ts).
 */
import { AppError } from './errors.ts';
import type { Chunk, DocMeta, Paragraph, ProcessedDoc } from './types.ts';

/** Bump when the layout below changes; a part of another version is refused. */
export const DOCS_PART_VERSION = 1;
const MAGIC = 'CSDC';

/** Fields of a paragraph and a chunk as stored (text is not: it is a slice of the document). */
const PARAGRAPH_FIELDS = ['anchor', 'section', 'number', 'pageStart', 'pageEnd', 'start', 'end', 'heading'] as const;
const CHUNK_FIELDS = ['id', 'docId', 'anchor', 'section', 'paragraphs', 'pageStart', 'pageEnd', 'start', 'end', 'words'] as const;

const SECTIONS = [
  'meta', 'stringChars', 'stringEnds', 'listEnds', 'listItems', 'textEnds', 'texts', 'docParagraphs', 'docChunks',
  ...PARAGRAPH_FIELDS.map((f) => `p.${f}`), ...CHUNK_FIELDS.map((f) => `c.${f}`),
] as const;

interface Header {
  version: number;
  docs: number;
  paragraphs: number;
  chunks: number;
  strings: number;
  lists: number;
  /** Byte length of each section, in SECTIONS order. */
  bytes: number[];
}

/** Interning table: each distinct key gets the next number. */
class Table<K> {
  readonly ids = new Map<K, number>();
  id(key: K, add: (key: K) => void): number {
    let n = this.ids.get(key);
    if (n === undefined) {
      n = this.ids.size;
      this.ids.set(key, n);
      add(key);
    }
    return n;
  }
}

export function encodeDocsPart(docs: readonly ProcessedDoc[]): Uint8Array {
  const encoder = new TextEncoder();
  const strings: string[] = [];
  const stringTable = new Table<string>();
  const str = (s: string): number => stringTable.id(s, (k) => strings.push(k));
  const listEnds: number[] = [];
  const listItems: number[] = [];
  const listTable = new Table<string>();
  const list = (items: readonly string[]): number => {
    const ids = items.map(str);
    return listTable.id(ids.join(','), () => {
      listItems.push(...ids);
      listEnds.push(listItems.length);
    });
  };
  const nParagraphs = docs.reduce((n, d) => n + d.paragraphs.length, 0);
  const nChunks = docs.reduce((n, d) => n + d.chunks.length, 0);
  const p = Object.fromEntries(PARAGRAPH_FIELDS.map((f) => [f, new Int32Array(nParagraphs)])) as Record<(typeof PARAGRAPH_FIELDS)[number], Int32Array>;
  const c = Object.fromEntries(CHUNK_FIELDS.map((f) => [f, new Int32Array(nChunks)])) as Record<(typeof CHUNK_FIELDS)[number], Int32Array>;
  const docParagraphs = new Uint32Array(docs.length);
  const docChunks = new Uint32Array(docs.length);
  const texts: Uint8Array[] = [];
  const textEnds = new Float64Array(docs.length);
  let textBytes = 0;
  let pi = 0;
  let ci = 0;
  docs.forEach((d, di) => {
    const where = `document ${d.meta.id}`;
    const text = encoder.encode(d.text);
    texts.push(text);
    textBytes += text.byteLength;
    textEnds[di] = textBytes;
    docParagraphs[di] = d.paragraphs.length;
    docChunks[di] = d.chunks.length;
    for (const x of d.paragraphs) {
      checkFields(x, PARAGRAPH_FIELDS, `${where}: paragraph ${x.anchor}`);
      p.anchor[pi] = str(x.anchor);
      p.section[pi] = list(x.section);
      p.number[pi] = x.number === null ? -1 : str(x.number);
      p.pageStart[pi] = page(x.pageStart, where);
      p.pageEnd[pi] = page(x.pageEnd, where);
      p.start[pi] = count(x.start, where);
      p.end[pi] = count(x.end, where);
      p.heading[pi] = x.heading ? 1 : 0;
      pi++;
    }
    for (const x of d.chunks) {
      checkFields(x, CHUNK_FIELDS, `${where}: chunk ${x.id}`);
      c.id[ci] = str(x.id);
      c.docId[ci] = str(x.docId);
      c.anchor[ci] = str(x.anchor);
      c.section[ci] = list(x.section);
      c.paragraphs[ci] = list(x.paragraphs);
      c.pageStart[ci] = page(x.pageStart, where);
      c.pageEnd[ci] = page(x.pageEnd, where);
      c.start[ci] = count(x.start, where);
      c.end[ci] = count(x.end, where);
      c.words[ci] = count(x.words, where);
      ci++;
    }
  });
  const stringEnds = new Uint32Array(strings.length);
  let end = 0;
  strings.forEach((s, i) => (stringEnds[i] = end += s.length));
  const sections: Uint8Array[] = [
    encoder.encode(JSON.stringify(docs.map((d) => d.meta))),
    encoder.encode(strings.join('')),
    bytesOf(stringEnds),
    bytesOf(Uint32Array.from(listEnds)),
    bytesOf(Uint32Array.from(listItems)),
    bytesOf(textEnds),
    concatBytes(texts, textBytes),
    bytesOf(docParagraphs),
    bytesOf(docChunks),
    ...PARAGRAPH_FIELDS.map((f) => bytesOf(p[f])),
    ...CHUNK_FIELDS.map((f) => bytesOf(c[f])),
  ];
  const header: Header = {
    version: DOCS_PART_VERSION, docs: docs.length, paragraphs: nParagraphs, chunks: nChunks, strings: strings.length, lists: listEnds.length,
    bytes: sections.map((s) => s.byteLength),
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  let size = align(8 + headerBytes.byteLength);
  for (const s of sections) size += align(s.byteLength);
  const out = new Uint8Array(size);
  out.set(encoder.encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, headerBytes.byteLength, true);
  out.set(headerBytes, 8);
  let at = align(8 + headerBytes.byteLength);
  for (const s of sections) {
    out.set(s, at);
    at += align(s.byteLength);
  }
  return out;
}

/** Decode a documents part; a damaged or other-version part raises an "Index: ..." AppError. */
export function decodeDocsPart(bytes: Uint8Array, name = 'documents part'): ProcessedDoc[] {
  const fail = (why: string): never => {
    throw new AppError('index_corrupt', `Index: ${name} ${why}; rebuild the index`);
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (bytes.byteLength < 8 || decoder.decode(bytes.subarray(0, 4)) !== MAGIC) fail('is not a documents part');
  // Typed arrays need aligned offsets: work on an aligned copy when the buffer is not.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const headerLength = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(4, true);
  let h: Header;
  try {
    h = JSON.parse(decoder.decode(buf.subarray(8, 8 + headerLength))) as Header;
  } catch {
    return fail('has a damaged header');
  }
  if (h.version !== DOCS_PART_VERSION) {
    throw new AppError('index_format', `Index: ${name} has version ${h.version}, this version reads ${DOCS_PART_VERSION}; rebuild the index`);
  }
  if (!Array.isArray(h.bytes) || h.bytes.length !== SECTIONS.length) fail('has a damaged header');
  let at = align(8 + headerLength);
  const raw = new Map<string, Uint8Array>();
  SECTIONS.forEach((s, i) => {
    const n = h.bytes[i]!;
    if (!Number.isInteger(n) || n < 0 || at + n > buf.byteLength) fail('is truncated');
    raw.set(s, buf.subarray(at, at + n));
    at += align(n);
  });
  if (at !== buf.byteLength) fail(at > buf.byteLength ? 'is truncated' : 'has bytes after its end');
  const section = (s: (typeof SECTIONS)[number]): Uint8Array => raw.get(s)!;
  const ints = (s: (typeof SECTIONS)[number], n: number): Int32Array => {
    const b = section(s);
    if (b.byteLength !== n * 4) fail(`has a damaged ${s} column`);
    return new Int32Array(b.buffer, b.byteOffset, n);
  };
  const uints = (s: (typeof SECTIONS)[number], n: number): Uint32Array => {
    const b = section(s);
    if (b.byteLength !== n * 4) fail(`has a damaged ${s} column`);
    return new Uint32Array(b.buffer, b.byteOffset, n);
  };

  let metas: DocMeta[];
  let stringChars: string;
  try {
    metas = JSON.parse(decoder.decode(section('meta'))) as DocMeta[];
    stringChars = decoder.decode(section('stringChars'));
  } catch {
    return fail('has damaged text');
  }
  if (!Array.isArray(metas) || metas.length !== h.docs) fail('has damaged metadata');
  const stringEnds = uints('stringEnds', h.strings);
  const strings: string[] = new Array(h.strings);
  let from = 0;
  for (let i = 0; i < h.strings; i++) {
    const to = stringEnds[i]!;
    if (to < from || to > stringChars.length) fail('has a damaged string table');
    strings[i] = stringChars.slice(from, to);
    from = to;
  }
  const listEnds = uints('listEnds', h.lists);
  const listItems = uints('listItems', section('listItems').byteLength / 4);
  const lists: string[][] = new Array(h.lists);
  from = 0;
  for (let i = 0; i < h.lists; i++) {
    const to = listEnds[i]!;
    if (to < from || to > listItems.length) fail('has a damaged list table');
    const items: string[] = new Array(to - from);
    for (let j = from; j < to; j++) items[j - from] = strings[listItems[j]!] ?? fail('has a damaged list table');
    lists[i] = items;
    from = to;
  }
  const str = (n: number): string => strings[n] ?? fail('has a damaged string reference');
  const list = (n: number): string[] => lists[n] ?? fail('has a damaged list reference');
  const orNull = (n: number): number | null => (n < 0 ? null : n);

  const tb = section('textEnds');
  if (tb.byteLength !== h.docs * 8) fail('has a damaged text table');
  const textEnds = new Float64Array(tb.buffer, tb.byteOffset, h.docs);
  const texts = section('texts');
  const docParagraphs = uints('docParagraphs', h.docs);
  const docChunks = uints('docChunks', h.docs);
  const p = Object.fromEntries(PARAGRAPH_FIELDS.map((f) => [f, ints(`p.${f}`, h.paragraphs)])) as Record<(typeof PARAGRAPH_FIELDS)[number], Int32Array>;
  const c = Object.fromEntries(CHUNK_FIELDS.map((f) => [f, ints(`c.${f}`, h.chunks)])) as Record<(typeof CHUNK_FIELDS)[number], Int32Array>;

  const docs: ProcessedDoc[] = new Array(h.docs);
  let textFrom = 0;
  let pi = 0;
  let ci = 0;
  for (let di = 0; di < h.docs; di++) {
    const textTo = textEnds[di]!;
    if (!(textTo >= textFrom && textTo <= texts.byteLength)) fail('has a damaged text table');
    let text: string;
    try {
      text = decoder.decode(texts.subarray(textFrom, textTo));
    } catch {
      return fail('has damaged text');
    }
    textFrom = textTo;
    const slice = (start: number, end: number): string => {
      if (start < 0 || end < start || end > text.length) fail('has a damaged offset');
      return text.slice(start, end);
    };
    const pEnd = pi + docParagraphs[di]!;
    const cEnd = ci + docChunks[di]!;
    if (pEnd > h.paragraphs || cEnd > h.chunks) fail('has damaged counts');
    const paragraphs: Paragraph[] = new Array(pEnd - pi);
    for (let k = 0; pi < pEnd; pi++, k++) {
      const start = p.start[pi]!;
      const end = p.end[pi]!;
      paragraphs[k] = {
        anchor: str(p.anchor[pi]!),
        section: list(p.section[pi]!),
        number: p.number[pi]! < 0 ? null : str(p.number[pi]!),
        pageStart: orNull(p.pageStart[pi]!),
        pageEnd: orNull(p.pageEnd[pi]!),
        start,
        end,
        heading: p.heading[pi] === 1,
        text: slice(start, end),
      };
    }
    const chunks: Chunk[] = new Array(cEnd - ci);
    for (let k = 0; ci < cEnd; ci++, k++) {
      const start = c.start[ci]!;
      const end = c.end[ci]!;
      chunks[k] = {
        id: str(c.id[ci]!),
        docId: str(c.docId[ci]!),
        anchor: str(c.anchor[ci]!),
        section: list(c.section[ci]!),
        paragraphs: list(c.paragraphs[ci]!),
        pageStart: orNull(c.pageStart[ci]!),
        pageEnd: orNull(c.pageEnd[ci]!),
        start,
        end,
        words: c.words[ci]!,
        text: slice(start, end),
      };
    }
    docs[di] = { meta: metas[di]!, text, paragraphs, chunks };
  }
  if (pi !== h.paragraphs || ci !== h.chunks || textFrom !== texts.byteLength) fail('has damaged counts');
  return docs;
}

/** The encoder stores exactly these fields: one it does not know would be lost, so it is refused. */
function checkFields(x: object, fields: readonly string[], where: string): void {
  for (const k of Object.keys(x)) {
    if (k !== 'text' && !fields.includes(k)) throw new AppError('internal', `Index: ${where} has a field "${k}" the documents part does not store`);
  }
}

function page(n: number | null, where: string): number {
  if (n === null) return -1;
  return count(n, where);
}

function count(n: number, where: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new AppError('internal', `Index: ${where} has an offset or count out of range (${n})`);
  return n;
}

function bytesOf(a: Int32Array | Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function align(n: number): number {
  return (n + 7) & ~7;
}
