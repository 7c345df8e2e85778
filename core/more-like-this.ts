/**
 * "More like this" over the keyword index (as Lucene's MoreLikeThis): a passage's distinctive
 * terms (its index terms and adjacent-term pairs, ranked by tf x idf, the too-common and the
 * unique left out) become a BM25 query over every passage. It is the word evidence that
 * core/similar.ts adds to the embedding's: a whole-passage embedding weighs every clause, while
 * a passage's rarest terms and pairs ("children in care council", "graded care profile") name
 * what it is about.
 */
import { indexTerms, pairTerms, type KeywordIndex } from './keyword-index.ts';
import { luceneIdf } from './inverted-index.ts';
import { sentenceSpans } from './sentences.ts';

export interface MoreLikeThisOptions {
  /** Most single terms kept (default 20). */
  maxTerms?: number;
  /** Most adjacent-term pairs kept (default 10). */
  maxPairs?: number;
  /** Terms in more than this share of the passages are too common to tell topics apart (default 0.1). */
  maxDocShare?: number;
  /** Terms in fewer passages are accidents of wording ("fun make"), not a topic (default 5, as Lucene). */
  minDocFreq?: number;
}

export interface DistinctiveTerm {
  part: 'words' | 'pairs';
  term: string;
  /** tf x idf in the passage. */
  weight: number;
}

/** What picking a passage's distinctive terms needs of an index: its chunk count and each term's. */
export interface TermCounts {
  size: number;
  df(part: 'words' | 'pairs', term: string): number;
}

/** The embedded keyword index's counts. */
export function keywordCounts(keyword: KeywordIndex): TermCounts {
  return { size: keyword.size, df: (part, term) => keyword[part].df(keyword[part].termId(term)) };
}

/**
 * The passage's distinctive terms, best first: single terms, then pairs, each ranked by tf x idf.
 * Numbers are left out (paragraph numbers, years, figures say nothing of the topic), and the
 * terms of the topic sentence count twice.
 */
export function distinctiveTerms(counts: TermCounts, text: string, opts: MoreLikeThisOptions = {}): DistinctiveTerm[] {
  const all = indexTerms(text);
  const maxShare = opts.maxDocShare ?? 0.1;
  const minDf = opts.minDocFreq ?? 5;
  const pick = (part: 'words' | 'pairs', list: string[], max: number): DistinctiveTerm[] => {
    const tf = new Map<string, number>();
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1);
    const out: DistinctiveTerm[] = [];
    for (const [term, n] of tf) {
      const df = counts.df(part, term);
      if (df < minDf || df > counts.size * maxShare) continue;
      out.push({ part, term, weight: n * luceneIdf(counts.size, df) });
    }
    return out.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1)).slice(0, max);
  };
  const words = all.filter((t) => !isNumber(t));
  const pairs = pairTerms(all).filter((p) => !p.split(' ').some(isNumber));
  // The topic sentence counts twice: report paragraphs open with what they are about.
  const topic = topicSentence(text);
  words.push(...topic.filter((t) => !isNumber(t)));
  pairs.push(...pairTerms(topic).filter((p) => !p.split(' ').some(isNumber)));
  return [...pick('words', words, opts.maxTerms ?? 20), ...pick('pairs', pairs, opts.maxPairs ?? 10)];
}

/** Index terms of the passage's first sentence with at least 3 words (a leading paragraph number is not one). */
function topicSentence(text: string): string[] {
  for (const [a, b] of sentenceSpans(text)) {
    const terms = indexTerms(text.slice(a, b));
    if (terms.filter((t) => !isNumber(t)).length >= 3) return terms;
  }
  return [];
}

function isNumber(term: string): boolean {
  return /^[\p{N}.]+$/u.test(term);
}

/** Each distinctive term's boost: its weight relative to the best term's (as Lucene's MoreLikeThis with boostTerms). */
export function termBoost(terms: readonly DistinctiveTerm[]): (t: DistinctiveTerm) => number {
  const top = Math.max(1e-9, ...terms.map((t) => t.weight));
  return (t) => t.weight / top;
}

/** BM25 score of every passage for the distinctive terms, each at its termBoost, in passage-id order. */
export function moreLikeThisScores(keyword: KeywordIndex, terms: readonly DistinctiveTerm[]): Float32Array {
  const scores = new Float32Array(keyword.size);
  const boost = termBoost(terms);
  for (const t of terms) keyword[t.part].accumulate(keyword[t.part].termId(t.term), boost(t), scores);
  return scores;
}
