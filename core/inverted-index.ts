/**
 * A compact inverted index over chunks: for every term, the chunks that contain it (ascending)
 * and how often, plus each chunk's length in terms. Typed arrays only, so it is small, loads from
 * bytes without parsing and scores with tight loops (BM25 as Lucene computes it).
 *
 * Terms are whatever the caller's analyzer produced (core/keyword-options.ts for the product);
 * the index neither tokenizes nor stems.
 */

export interface InvertedIndexParts {
  /** Sorted, distinct terms. */
  terms: string[];
  /** Postings of term t are docs/tfs[offsets[t] .. offsets[t + 1]). */
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  /** Terms per chunk (BM25 length normalisation). */
  lengths: Uint32Array;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

/** Lucene's defaults. */
/** Lucene's idf of a term in `df` of `n` chunks: ln(1 + (n - df + 0.5) / (df + 0.5)). */
export function luceneIdf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

export const LUCENE_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

export class InvertedIndex {
  readonly terms: string[];
  readonly offsets: Uint32Array;
  readonly docs: Uint32Array;
  readonly tfs: Uint16Array;
  readonly lengths: Uint32Array;
  readonly avgLength: number;

  constructor(parts: InvertedIndexParts) {
    this.terms = parts.terms;
    this.offsets = parts.offsets;
    this.docs = parts.docs;
    this.tfs = parts.tfs;
    this.lengths = parts.lengths;
    let total = 0;
    for (let i = 0; i < parts.lengths.length; i++) total += parts.lengths[i]!;
    this.avgLength = parts.lengths.length > 0 ? total / parts.lengths.length : 0;
  }

  /** Build from each chunk's terms, in chunk order (chunk i gets id i). */
  static build(chunkTerms: Iterable<readonly string[]>): InvertedIndex {
    const perTerm = new Map<string, number[]>();
    const lengths: number[] = [];
    let doc = 0;
    for (const terms of chunkTerms) {
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, n] of counts) {
        let list = perTerm.get(t);
        if (!list) perTerm.set(t, (list = []));
        list.push(doc, Math.min(n, 0xffff));
      }
      lengths.push(terms.length);
      doc++;
    }
    const terms = [...perTerm.keys()].sort();
    const offsets = new Uint32Array(terms.length + 1);
    let n = 0;
    terms.forEach((t, i) => {
      offsets[i] = n;
      n += perTerm.get(t)!.length / 2;
    });
    offsets[terms.length] = n;
    const docs = new Uint32Array(n);
    const tfs = new Uint16Array(n);
    terms.forEach((t, i) => {
      const list = perTerm.get(t)!;
      let at = offsets[i]!;
      for (let j = 0; j < list.length; j += 2) {
        docs[at] = list[j]!;
        tfs[at++] = list[j + 1]!;
      }
    });
    return new InvertedIndex({ terms, offsets, docs, tfs, lengths: Uint32Array.from(lengths) });
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Id of a term (binary search of the sorted vocabulary: no second copy of it in memory), or -1. */
  termId(term: string): number {
    const at = this.lowerBound(term);
    return this.terms[at] === term ? at : -1;
  }

  has(term: string): boolean {
    return this.termId(term) >= 0;
  }

  /** First position whose term is not below `term`. */
  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.terms[mid]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Number of chunks containing the term. */
  df(termId: number): number {
    return termId < 0 ? 0 : this.offsets[termId + 1]! - this.offsets[termId]!;
  }

  /** Lucene's idf (luceneIdf). */
  idf(termId: number): number {
    return luceneIdf(this.size, this.df(termId));
  }

  /** Terms starting with a prefix (sorted vocabulary, binary search). */
  withPrefix(prefix: string, max = 200): number[] {
    const out: number[] = [];
    for (let i = this.lowerBound(prefix); i < this.terms.length && out.length < max && this.terms[i]!.startsWith(prefix); i++) out.push(i);
    return out;
  }

  /** Visit every posting of a term: chunk id and term frequency. */
  forEachPosting(termId: number, visit: (doc: number, tf: number) => void): void {
    if (termId < 0) return;
    const end = this.offsets[termId + 1]!;
    for (let p = this.offsets[termId]!; p < end; p++) visit(this.docs[p]!, this.tfs[p]!);
  }

  /**
   * Add weight * BM25(term) to `scores` for every chunk containing the term (Lucene's formula,
   * without the constant (k1 + 1) factor, as Lucene 8+); returns how many chunks it touched.
   */
  accumulate(termId: number, weight: number, scores: Float32Array, params: Bm25Params = LUCENE_BM25): number {
    if (termId < 0) return 0;
    const idf = this.idf(termId) * weight;
    const { k1, b } = params;
    const norm = k1 * (1 - b);
    const perLength = (k1 * b) / (this.avgLength || 1);
    const end = this.offsets[termId + 1]!;
    for (let p = this.offsets[termId]!; p < end; p++) {
      const d = this.docs[p]!;
      const tf = this.tfs[p]!;
      scores[d]! += (idf * tf) / (tf + norm + perLength * this.lengths[d]!);
    }
    return end - this.offsets[termId]!;
  }
}
