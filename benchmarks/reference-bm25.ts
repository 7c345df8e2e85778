/**
 * The baseline every relevance figure is shown beside: plain BM25 as Lucene/OpenSearch compute
 * it with the `english` analyzer (standard tokenizer, possessive filter, lower case, Lucene's 33
 * English stop words, Porter stemmer), k1 1.2, b 0.75, every query word ORed, over the same
 * chunks as the product. No synonyms, no phrases, no fusion, no collapse.
 */
import { stemmer } from 'stemmer';
import { InvertedIndex } from '../core/inverted-index.ts';
import { topK, type Scored } from '../core/vectors.ts';

/** org.apache.lucene.analysis.en.EnglishAnalyzer.ENGLISH_STOP_WORDS_SET */
const LUCENE_STOP = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

/** Lucene's english analyzer, closely enough for a baseline. */
export function englishTerms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) {
    const w = m[0].replace(/['’]s$/, '').replace(/’/g, "'");
    if (LUCENE_STOP.has(w)) continue;
    out.push(stemmer(w));
  }
  return out;
}

export class ReferenceBm25 {
  private readonly index: InvertedIndex;

  constructor(texts: readonly string[]) {
    this.index = InvertedIndex.build(texts.map(englishTerms));
  }

  /** Chunk indexes, best first. */
  search(query: string, k = 100): Scored[] {
    const scores = new Float32Array(this.index.size);
    for (const term of englishTerms(query)) this.index.accumulate(this.index.termId(term), 1, scores);
    return topK(scores, k, (i) => scores[i]! > 0);
  }
}
