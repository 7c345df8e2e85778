/**
 * The keyword index of the product: three inverted indexes over the same chunk ids,
 *   words     index terms of the chunk text (core/keyword-options.ts: stems, stop words out)
 *   pairs     adjacent index-term pairs of the text ("care leav"), for proximity and phrases
 *   sections  index terms of the chunk's section path
 * and each chunk's near-identical group (core/duplicates.ts), computed once when the index is
 * built; saved as one versioned binary part (typed arrays, no JSON parse of postings).
 */
import { AppError } from './errors.ts';
import { InvertedIndex, type InvertedIndexParts } from './inverted-index.ts';
import { normalizeTerm, tokenize, type KeywordDoc } from './keyword-options.ts';

/** Bump when the analyzer or the layout below changes. */
export const KEYWORD_FORMAT_VERSION = 2;
const MAGIC = 'CSKW';

/** Index terms of a text, in order. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of tokenize(text)) {
    const t = normalizeTerm(raw);
    if (t !== null) out.push(t);
  }
  return out;
}

/** The pair term of two adjacent index terms. */
export function pairTerm(a: string, b: string): string {
  return `${a} ${b}`;
}

export function pairTerms(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < terms.length; i++) out.push(pairTerm(terms[i]!, terms[i + 1]!));
  return out;
}

export class KeywordIndex {
  constructor(
    readonly words: InvertedIndex,
    readonly pairs: InvertedIndex,
    readonly sections: InvertedIndex,
    /** Near-identical group of each chunk (chunks of one group share the id). */
    readonly groups: Int32Array,
  ) {}

  /**
   * Build over the chunks in order (chunk i gets id i), with their near-identical groups (one
   * per chunk: core/duplicates.ts); `onChunk` is told as each chunk is read.
   */
  static build(chunks: readonly KeywordDoc[], groups: Int32Array, onChunk?: (i: number) => void): KeywordIndex {
    if (groups.length !== chunks.length) throw new Error(`KeywordIndex.build: ${groups.length} groups for ${chunks.length} chunks`);
    const terms = chunks.map((c, i) => {
      onChunk?.(i);
      return indexTerms(c.text);
    });
    return new KeywordIndex(
      InvertedIndex.build(terms),
      InvertedIndex.build(terms.map(pairTerms)),
      InvertedIndex.build(chunks.map((c) => indexTerms(c.section.join(' ')))),
      groups,
    );
  }

  get size(): number {
    return this.words.size;
  }

  encode(): Uint8Array {
    const parts = [this.words, this.pairs, this.sections].map(partsOf);
    const vocab = parts.map((p) => new TextEncoder().encode(p.terms.join('\n')));
    const header = {
      version: KEYWORD_FORMAT_VERSION,
      parts: parts.map((p, i) => ({ terms: p.terms.length, vocabBytes: vocab[i]!.byteLength, postings: p.docs.length, chunks: p.lengths.length })),
      groups: this.groups.length,
    };
    const headerBytes = new TextEncoder().encode(JSON.stringify(header));
    const sections: Uint8Array[] = [];
    parts.forEach((p, i) => {
      sections.push(vocab[i]!, bytesOf(p.offsets), bytesOf(p.docs), bytesOf(p.tfs), bytesOf(p.lengths));
    });
    sections.push(bytesOf(this.groups));
    let size = 8 + align(headerBytes.byteLength);
    for (const s of sections) size += align(s.byteLength);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out.set(new TextEncoder().encode(MAGIC), 0);
    view.setUint32(4, headerBytes.byteLength, true);
    out.set(headerBytes, 8);
    let at = 8 + align(headerBytes.byteLength);
    for (const s of sections) {
      out.set(s, at);
      at += align(s.byteLength);
    }
    return out;
  }

  /** Decode a saved keyword part; a damaged or other-version part raises an "Index: ..." error. */
  static decode(bytes: Uint8Array): KeywordIndex {
    const fail = (why: string): never => {
      throw new AppError('index_corrupt', `Index: keyword part ${why}; rebuild the index`);
    };
    if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) fail('is not a keyword index');
    // Typed arrays need aligned offsets: work on an aligned copy when the buffer is not.
    const buf = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const headerLength = view.getUint32(4, true);
    let header: { version: number; parts: Array<{ terms: number; vocabBytes: number; postings: number; chunks: number }>; groups: number };
    try {
      header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + headerLength)));
    } catch {
      return fail('has a damaged header');
    }
    if (header.version !== KEYWORD_FORMAT_VERSION) {
      throw new AppError('index_format', `Index: keyword part has version ${header.version}, this version reads ${KEYWORD_FORMAT_VERSION}; rebuild the index`);
    }
    let at = 8 + align(headerLength);
    const take = (n: number): Uint8Array => {
      if (at + n > buf.byteLength) fail('is truncated');
      const s = buf.subarray(at, at + n);
      at += align(n);
      return s;
    };
    const typed = <T>(make: (b: ArrayBuffer, o: number, n: number) => T, n: number, width: number): T => {
      const s = take(n * width);
      return make(s.buffer as ArrayBuffer, s.byteOffset, n);
    };
    const indexes = header.parts.map((h) => {
      const vocab = new TextDecoder().decode(take(h.vocabBytes));
      const parts: InvertedIndexParts = {
        terms: h.terms === 0 ? [] : vocab.split('\n'),
        offsets: typed((b, o, n) => new Uint32Array(b, o, n), h.terms + 1, 4),
        docs: typed((b, o, n) => new Uint32Array(b, o, n), h.postings, 4),
        tfs: typed((b, o, n) => new Uint16Array(b, o, n), h.postings, 2),
        lengths: typed((b, o, n) => new Uint32Array(b, o, n), h.chunks, 4),
      };
      if (parts.terms.length !== h.terms) fail('has a damaged vocabulary');
      return new InvertedIndex(parts);
    });
    if (indexes.length !== 3) fail('has the wrong number of parts');
    const groups = typed((b, o, n) => new Int32Array(b, o, n), header.groups, 4);
    if (groups.length !== indexes[0]!.size) fail('has a damaged group table');
    return new KeywordIndex(indexes[0]!, indexes[1]!, indexes[2]!, groups);
  }
}

function partsOf(i: InvertedIndex): InvertedIndexParts {
  return { terms: i.terms, offsets: i.offsets, docs: i.docs, tfs: i.tfs, lengths: i.lengths };
}

function bytesOf(a: Uint32Array | Uint16Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function align(n: number): number {
  return (n + 3) & ~3;
}
