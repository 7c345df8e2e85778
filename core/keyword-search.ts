/**
 * Keyword search: BM25 (Lucene's formula) over every word of the query, ORed, as Lucene ranks a
 * plain query; no word is dropped and no AND-first tier. On top of that:
 * - proximity: each pair of adjacent query words also scores where the two stand side by side
 *   in the text (the pairs index), so "return home interview" ranks the phrase above scattered words;
 * - section: words found in the chunk's section headings score a little too;
 * - thesaurus: a run of words that is an acronym or synonym ("LAC", "care leavers") also scores
 *   its alternatives ("looked after children", ...) at a lower weight, the best one per chunk
 *   only; a multi-word alternative scores only where its words stand together (its pairs);
 * - a word that is in no chunk at all is looked up fuzzily (typos such as "safegaurding"),
 *   `prefix*` scores every word it starts;
 * - coordination: the score is multiplied by the share of the query's clauses (weighted by idf)
 *   that the chunk matches, as Lucene's classic `coord`, so a passage with most of the query's
 *   concepts beats one that repeats a few of them; a council the query names counts as matched in
 *   its own reports (the report's council is a field of every chunk of it);
 * - quoted phrases are required (checked against the text by the one matcher,
 *   core/text-match.ts); exclusions remove chunks. Filters are applied by the caller.
 */
import { clauseWeight, coordination, coordinationOn } from './coordination.ts';
import { LUCENE_BM25, type Bm25Params, type InvertedIndex } from './inverted-index.ts';
import { pairTerm, type KeywordIndex } from './keyword-index.ts';
import { fuzzyFor, normalizePrefix, normalizeTerm, queryTerms } from './keyword-options.ts';
import type { ParsedQuery, Unit } from './query.ts';
import { compile, tokensOf, wordsOf } from './text-match.ts';
import { IdSet } from './id-set.ts';
import { TopK, type Scored } from './top-k.ts';
import { queryParts, runSynonyms, type WordRun } from './word-runs.ts';

export interface KeywordHit extends Scored {
  /** True when the chunk matched every clause of the query. */
  all: boolean;
}

/** One term to score: which inverted index, the term's id there, its weight. */
interface WeightedTerm {
  field: 'words' | 'pairs' | 'sections';
  id: number;
  weight: number;
  /**
   * Thesaurus alternative the term belongs to (its terms add up); a chunk gets only its best
   * alternative of a clause, as Lucene's synonym handling scores one concept once, however many
   * of its names the chunk uses.
   */
  alternative?: number;
}

export interface KeywordPlan {
  /** Terms to score per clause (a chunk "has" a clause when it has any of its terms). */
  clauses: WeightedTerm[][];
  /** Weight of each clause for coordination: the idf of its words as typed (at their weight). */
  clauseWeights: number[];
  /** Coordination exponent: scores are multiplied by (matched clause weight / all)^coord; 0 turns it off. */
  coord: number;
  /** Clauses with a phrase, to verify against the text: a chunk passes when, for each, one alternative occurs. */
  phrases: Unit[][];
  /** Index terms searched in place of what was typed (marked in snippets as the words are): typo expansions of words no chunk has, and prefix expansions. */
  expanded: string[];
}

export interface KeywordWeights {
  /** A thesaurus alternative relative to the words as typed. */
  synonym: number;
  /** A pair of adjacent query words found side by side, relative to a word. */
  pair: number;
  /** A word found in the section headings, relative to one in the text. */
  section: number;
  /** A typo (fuzzy) or prefix expansion. */
  expansion: number;
  /** Coordination exponent (1: Lucene's classic coord, weighted by idf; 0: off). */
  coord: number;
  /** BM25 term-frequency saturation and length normalisation. */
  bm25: Bm25Params;
}

/** Weights measured on the scale development set (docs/relevance.md). */
export const DEFAULT_KEYWORD_WEIGHTS: KeywordWeights = { synonym: 0.35, pair: 0.5, section: 0.3, expansion: 0.45, coord: 1, bm25: LUCENE_BM25 };

/** Fuzzy expansions kept per unknown word (closest first, then most frequent). */
const MAX_FUZZY = 4;
/** Prefix expansions scored per `prefix*` (most frequent first). */
const MAX_PREFIX = 100;

/** Turn a parsed query into weighted terms of the keyword index. */
export function planKeywordQuery(q: ParsedQuery, index: KeywordIndex, useThesaurus = true, weights: KeywordWeights = DEFAULT_KEYWORD_WEIGHTS): KeywordPlan {
  const clauses: WeightedTerm[][] = [];
  const phrases: Unit[][] = [];
  const expanded: string[] = [];
  const word = (stem: string, weight: number): WeightedTerm[] => {
    const out: WeightedTerm[] = [];
    const id = index.words.termId(stem);
    if (id >= 0) out.push({ field: 'words', id, weight });
    else {
      for (const f of fuzzyTerms(index.words, stem)) {
        out.push({ field: 'words', id: f, weight: weight * weights.expansion });
        expanded.push(index.words.terms[f]!);
      }
    }
    const s = index.sections.termId(stem);
    if (s >= 0) out.push({ field: 'sections', id: s, weight: weight * weights.section });
    return out;
  };
  const pairs = (stems: string[], weight: number): WeightedTerm[] => {
    const out: WeightedTerm[] = [];
    for (let i = 0; i + 1 < stems.length; i++) {
      const id = index.pairs.termId(pairTerm(stems[i]!, stems[i + 1]!));
      if (id >= 0) out.push({ field: 'pairs', id, weight });
    }
    return out;
  };
  /** Words typed together: each word, and each adjacent pair. */
  const sequence = (stems: string[], weight: number): WeightedTerm[] => [
    ...stems.flatMap((s) => word(s, weight)),
    ...pairs(stems, weight * weights.pair),
  ];

  /** A run of plain words: each word a clause (with the pair it starts); a thesaurus span's alternatives join its first clause. */
  const planRun = (run: WordRun): void => {
    const { stems } = run;
    const perWord: WeightedTerm[][] = stems.map((s) => word(s, 1));
    for (const span of useThesaurus ? runSynonyms(run) : []) {
      const original = stems.slice(span.start, span.end).join(' ');
      // The words as typed keep their own clauses; the alternatives join the span's first clause.
      span.alternatives.forEach((alt, a) => {
        if (alt.length === 0 || alt.join(' ') === original) return;
        const terms = alt.length === 1 ? word(alt[0]!, weights.synonym) : pairs(alt, weights.synonym * (1 + weights.pair));
        perWord[span.start]!.push(...terms.map((t) => ({ ...t, alternative: a })));
      });
    }
    perWord.forEach((terms, i) => clauses.push(i + 1 < stems.length ? [...terms, ...pairs(stems.slice(i, i + 2), weights.pair)] : terms));
  };

  for (const part of queryParts(q)) {
    if (part.run) {
      planRun(part.run);
      continue;
    }
    const { clause } = part;
    const terms: WeightedTerm[] = [];
    for (const u of clause.any) {
      if (u.kind === 'prefix') {
        const p = normalizePrefix(u.text);
        if (p === null) continue;
        const ids = index.words.withPrefix(p, 5000).sort((a, b) => index.words.df(b) - index.words.df(a)).slice(0, MAX_PREFIX);
        for (const id of ids) {
          const term = index.words.terms[id]!;
          terms.push({ field: 'words', id, weight: weights.expansion });
          const s = index.sections.termId(term);
          if (s >= 0) terms.push({ field: 'sections', id: s, weight: weights.expansion * weights.section });
          expanded.push(term);
        }
        continue;
      }
      terms.push(...sequence(queryTerms(u.text), 1));
    }
    if (clause.any.some(isPhrase)) phrases.push(clause.any);
    if (terms.length > 0) clauses.push(terms);
  }
  return { clauses, clauseWeights: clauses.map((terms) => clauseWeightOf(index, terms)), coord: weights.coord, phrases, expanded };
}

/** A clause's weight for coordination (core/coordination.ts): its best word as typed (idf x weight), else its best term of any kind. */
function clauseWeightOf(index: KeywordIndex, terms: WeightedTerm[]): number {
  const typed: number[] = [];
  const other: number[] = [];
  for (const t of terms) (t.field === 'words' && t.alternative === undefined ? typed : other).push(index[t.field].idf(t.id) * t.weight);
  return clauseWeight(typed, other);
}

/** Only a quoted phrase is required; a hyphenated word typed plainly ("over-hopeful") scores like words typed together. */
function isPhrase(u: Unit): boolean {
  return u.kind === 'phrase' || u.kind === 'exact';
}

/** Index terms within the allowed edit distance of an unknown stem, closest then most frequent first. */
function fuzzyTerms(words: InvertedIndex, stem: string): number[] {
  return fuzzyExpansions(stem, words.terms, (id) => words.df(id));
}

/**
 * The typo expansions of a stem no chunk has, as positions in `terms` (candidate index terms,
 * `df` giving each one's chunk count): those within the allowed edit distance (fuzzyFor), closest
 * then most frequent first, at most MAX_FUZZY. The one rule for both engines (OpenSearch's
 * candidates come from its term suggester). Candidates are read in place: the embedded engine
 * passes its whole term dictionary.
 */
export function fuzzyExpansions(stem: string, terms: readonly string[], df: (i: number) => number): number[] {
  const max = fuzzyFor(stem, 5);
  if (max === 0) return [];
  const found: Array<{ i: number; d: number }> = [];
  terms.forEach((t, i) => {
    if (Math.abs(t.length - stem.length) > max || /\s/.test(t)) return;
    const d = editDistance(stem, t, max);
    if (d <= max) found.push({ i, d });
  });
  return found
    .sort((a, b) => a.d - b.d || df(b.i) - df(a.i))
    .slice(0, MAX_FUZZY)
    .map((f) => f.i);
}

/** Optimal-string-alignment distance (a transposition is one edit), or max + 1 once above max. */
export function editDistance(a: string, b: string, max: number): number {
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

export interface KeywordRunOptions {
  /** Text of a chunk, for phrase verification. */
  textOf: (index: number) => string;
  /** Best hits returned (the rest are only counted). */
  k: number;
  /** Rows that may be returned (filters); all when absent. */
  allow?: (row: number) => boolean;
  /** A factor per row (soft boosts such as a council named in the query); 1 when absent. */
  boost?: (row: number) => number;
  /** Near-identical group of each row: `groups` then counts each group once. */
  groupOf?: Int32Array;
  /**
   * Clauses a row's report satisfies as a whole (the words of a council the query names, in that
   * council's reports): for coordination they count as matched in every chunk of it.
   */
  reportClauses?: { clauses: number[]; has: (row: number) => boolean };
}

export interface KeywordResult {
  /** Best allowed hits first, at most k. */
  hits: KeywordHit[];
  /** Best hits whatever the filters, at most k (facet counts). */
  unfiltered: Scored[];
  /** Allowed chunks that match (near-identical groups, when given). */
  total: number;
  /** The groups counted in `total` (when `groupOf` is given). */
  groups: Set<number>;
}

/**
 * Per index: buffers reused across queries (each run is synchronous), indexed by row: the score
 * (float32, as it always was: the same roundings give the same scores and order), clauses matched,
 * their weight (by the row / by its report), the clause that last touched the row, the rows
 * touched; and a thesaurus alternative's sums and a clause's best alternative (float64).
 */
interface Scratch {
  scores: Float32Array;
  clauses: Uint16Array;
  covered: Float32Array;
  coveredByReport: Float32Array;
  stamp: Int32Array;
  touched: Int32Array;
  count: number;
  alt: Float64Array;
  altStamp: Int32Array;
  altEpoch: number;
  altTouched: Int32Array;
  best: Float64Array;
  bestTouched: Int32Array;
  /** Per near-identical group id: the run that last counted it. */
  groupSeen: Int32Array;
  groupEpoch: number;
  groupsOf: Int32Array | null;
  /** The groups counted in this run, in the order met. */
  groupList: Int32Array;
  /** A run is under way (or threw): rows may hold its sums. */
  dirty: boolean;
}

const scratch = new WeakMap<KeywordIndex, Scratch>();

function scratchFor(index: KeywordIndex): Scratch {
  let s = scratch.get(index);
  if (!s) {
    const n = index.size;
    s = {
      scores: new Float32Array(n),
      clauses: new Uint16Array(n),
      covered: new Float32Array(n),
      coveredByReport: new Float32Array(n),
      stamp: new Int32Array(n).fill(-1),
      touched: new Int32Array(n),
      count: 0,
      alt: new Float64Array(n),
      altStamp: new Int32Array(n),
      altEpoch: 0,
      altTouched: new Int32Array(n),
      best: new Float64Array(n),
      bestTouched: new Int32Array(n),
      groupSeen: new Int32Array(0),
      groupEpoch: 0,
      groupsOf: null,
      groupList: new Int32Array(0),
      dirty: false,
    };
    scratch.set(index, s);
  }
  return s;
}

/** Every row's sums back to empty (after a run that did not finish). */
function clearScratch(s: Scratch): void {
  s.scores.fill(0);
  s.clauses.fill(0);
  s.covered.fill(0);
  s.coveredByReport.fill(0);
  s.stamp.fill(-1);
  s.best.fill(0);
  s.dirty = false;
}

/**
 * Stamps per group id (sized for `groupOf`), and a new stamp for this run. (An id outside them
 * is simply added to the set each time: the set keeps it once.)
 */
function groupStamps(s: Scratch, groupOf: Int32Array): Int32Array | null {
  if (s.groupsOf !== groupOf || s.groupEpoch >= 0x3fffffff) {
    let max = -1;
    let min = 0;
    for (let i = 0; i < groupOf.length; i++) {
      const g = groupOf[i]!;
      if (g > max) max = g;
      if (g < min) min = g;
    }
    // Ids are made 0, 1, 2, ..., one per row (core/duplicates.ts); others get a plain Set.
    s.groupSeen = min < 0 || groupOf.length < s.scores.length ? new Int32Array(0) : new Int32Array(max + 1);
    s.groupList = new Int32Array(s.groupSeen.length);
    s.groupsOf = groupOf;
    s.groupEpoch = 0;
  }
  if (s.groupSeen.length === 0) return null;
  s.groupEpoch++;
  return s.groupSeen;
}

/** BM25 of one term as Lucene computes it: idf x weight, and the length normalisation's parts. */
interface TermScoring {
  inv: InvertedIndex;
  id: number;
  /** idf x weight. */
  idfw: number;
  /** k1 (1 - b). */
  norm: number;
  /** k1 b / average length. */
  perLength: number;
}

function termScoring(inv: InvertedIndex, id: number, weight: number, bm25: Bm25Params): TermScoring {
  return { inv, id, idfw: inv.idf(id) * weight, norm: bm25.k1 * (1 - bm25.b), perLength: (bm25.k1 * bm25.b) / (inv.avgLength || 1) };
}

/**
 * One term's postings: each row is marked as matching clause c (counted once per clause: the
 * row is touched, its clause count and covered weight grow) and gets the term's BM25 added to its
 * score (float32: one rounding per term, as the straightforward form did).
 */
function scoreTerm(s: Scratch, t: TermScoring, c: number, weight: number, byReport: boolean): void {
  const { docs, tfs, lengths, offsets } = t.inv;
  const { idfw, norm, perLength } = t;
  const { scores, stamp, touched, clauses, covered, coveredByReport } = s;
  let count = s.count;
  const end = offsets[t.id + 1]!;
  for (let p = offsets[t.id]!; p < end; p++) {
    const d = docs[p]!;
    const tf = tfs[p]!;
    scores[d]! += (idfw * tf) / (tf + norm + perLength * lengths[d]!);
    if (stamp[d] === c) continue;
    if (stamp[d] === -1) touched[count++] = d;
    stamp[d] = c;
    clauses[d]!++;
    covered[d]! += weight;
    if (byReport) coveredByReport[d]! += weight;
  }
  s.count = count;
}

/**
 * One term of a thesaurus alternative: rows are marked for clause c as by scoreTerm, and the
 * BM25 is added to the alternative's sums (float64), listing the rows it reaches first in
 * `altTouched` from n on; returns the new length of that list.
 */
function scoreAlternativeTerm(s: Scratch, t: TermScoring, c: number, weight: number, byReport: boolean, n: number): number {
  const { docs, tfs, lengths, offsets } = t.inv;
  const { idfw, norm, perLength } = t;
  const { alt, altStamp, altTouched, stamp, touched, clauses, covered, coveredByReport } = s;
  const epoch = s.altEpoch;
  let count = s.count;
  const end = offsets[t.id + 1]!;
  for (let p = offsets[t.id]!; p < end; p++) {
    const d = docs[p]!;
    const tf = tfs[p]!;
    const v = (idfw * tf) / (tf + norm + perLength * lengths[d]!);
    if (altStamp[d] !== epoch) {
      altStamp[d] = epoch;
      altTouched[n++] = d;
      alt[d] = 0 + v;
    } else alt[d] = alt[d]! + v;
    if (stamp[d] === c) continue;
    if (stamp[d] === -1) touched[count++] = d;
    stamp[d] = c;
    clauses[d]!++;
    covered[d]! += weight;
    if (byReport) coveredByReport[d]! += weight;
  }
  s.count = count;
  return n;
}

/** Start a new alternative's sums (stamps of old ones are left to differ). */
function nextAlternative(s: Scratch): void {
  if (s.altEpoch >= 0x3fffffff) {
    s.altStamp.fill(0);
    s.altEpoch = 0;
  }
  s.altEpoch++;
}

/**
 * Score every chunk that has any query term (BM25 summed over the plan's weighted terms), drop
 * excluded chunks and those without the required phrases, and return the best k.
 *
 * Term by term over typed arrays: each term's postings mark the clause (coordination, `all`)
 * and add its score; a clause's thesaurus alternatives sum apart (float64), and each row keeps
 * its best one. The arithmetic is that of the straightforward form (benchmarks/keyword-reference.ts)
 * in the same order, so scores, ties and order are the same to the bit.
 */
export function runKeyword(index: KeywordIndex, plan: KeywordPlan, exclude: Unit[], options: KeywordRunOptions, bm25: Bm25Params = LUCENE_BM25): KeywordResult {
  if (plan.clauses.length === 0) return { hits: [], unfiltered: [], total: 0, groups: new Set() };
  const s = scratchFor(index);
  // A run that threw (a caller's textOf, allow or boost) left rows set: clear them all.
  if (s.dirty) clearScratch(s);
  s.dirty = true;
  s.count = 0;
  const { scores, clauses, covered, coveredByReport, stamp, touched, alt, best, bestTouched } = s;
  const reportClause = new Uint8Array(plan.clauses.length);
  for (const c of options.reportClauses?.clauses ?? []) if (c < reportClause.length) reportClause[c] = 1;
  for (let c = 0; c < plan.clauses.length; c++) {
    const terms = plan.clauses[c]!;
    const weight = plan.clauseWeights[c] ?? 0;
    const byReport = reportClause[c] === 1;
    // Alternatives of the clause, in order of first appearance, each with its terms in order.
    let alternatives: Map<number, TermScoring[]> | null = null;
    for (const t of terms) {
      if (t.id < 0) continue;
      const ts = termScoring(index[t.field], t.id, t.weight, bm25);
      if (t.alternative === undefined) {
        scoreTerm(s, ts, c, weight, byReport);
        continue;
      }
      alternatives ??= new Map();
      let list = alternatives.get(t.alternative);
      if (!list) alternatives.set(t.alternative, (list = []));
      list.push(ts);
    }
    if (!alternatives) continue;
    // Per row, the best alternative (only a positive sum counts, as before).
    let bestCount = 0;
    for (const list of alternatives.values()) {
      nextAlternative(s);
      let n = 0;
      for (const ts of list) n = scoreAlternativeTerm(s, ts, c, weight, byReport, n);
      for (let i = 0; i < n; i++) {
        const d = s.altTouched[i]!;
        const v = alt[d]!;
        if (v > best[d]!) {
          if (best[d] === 0) bestTouched[bestCount++] = d;
          best[d] = v;
        }
      }
    }
    for (let i = 0; i < bestCount; i++) {
      const d = bestTouched[i]!;
      scores[d]! += best[d]!;
      best[d] = 0;
    }
  }
  const count = s.count;
  const excluded = excludedIds(index, exclude, options.textOf);
  const required = plan.phrases.map((units) => ({ rows: phraseRows(index, units), matches: anyOf(units) }));
  const checkRows = excluded.size > 0 || required.length > 0;
  const accept = (d: number): boolean => {
    if (excluded.size > 0 && excluded.has(d)) return false;
    if (required.length === 0) return true;
    if (!required.every((r) => r.rows.has(d))) return false;
    const toks = tokensOf(options.textOf(d));
    return required.every((r) => r.matches(toks));
  };
  const all = plan.clauses.length;
  // Coordination: the share of the clauses' weight a chunk matches (a report's own clauses count as matched in it).
  const totalWeight = plan.clauseWeights.reduce((a, b) => a + b, 0);
  const byReport = (options.reportClauses?.clauses ?? []).reduce((a, c) => a + (plan.clauseWeights[c] ?? 0), 0);
  const inReport = byReport > 0 ? options.reportClauses!.has : null;
  const coordOn = coordinationOn(plan.clauses.length, totalWeight, plan.coord);
  const best1 = new TopK(options.k);
  // Facets count the best rows whatever the filters: without filters, those are the hits.
  const unfiltered = options.allow ? new TopK(options.k) : null;
  let total = 0;
  const { boost, allow, groupOf } = options;
  // Groups counted: each once, listed in scratch (made a Set below, filled only if iterated).
  const seenGroup = groupOf ? groupStamps(s, groupOf) : null;
  const plainGroups = groupOf && !seenGroup ? new Set<number>() : null;
  const { groupList } = s;
  const epoch = s.groupEpoch;
  let floor = best1.floor;
  for (let i = 0; i < count; i++) {
    const d = touched[i]!;
    // The row's sums are read and cleared for the next run here (its clause count after the hits).
    let score: number = scores[d]!;
    const rowCovered = covered[d]!;
    const rowCoveredByReport = coveredByReport[d]!;
    scores[d] = 0;
    covered[d] = 0;
    coveredByReport[d] = 0;
    stamp[d] = -1;
    if (checkRows && !accept(d)) continue;
    if (boost) score *= boost(d);
    if (coordOn) {
      const matched = rowCovered + (inReport !== null && inReport(d) ? byReport - rowCoveredByReport : 0);
      score *= coordination(matched, totalWeight, plan.coord);
    }
    if (unfiltered) {
      unfiltered.offer(d, score);
      if (!allow!(d)) continue;
    }
    if (seenGroup) {
      const g = groupOf![d]!;
      if (seenGroup[g] !== epoch) {
        seenGroup[g] = epoch;
        groupList[total++] = g;
      }
    } else if (plainGroups) plainGroups.add(groupOf![d]!);
    else total++;
    if (score > floor) {
      best1.offer(d, score);
      floor = best1.floor;
    }
  }
  let groups: Set<number>;
  if (seenGroup) groups = new IdSet(groupList, total, seenGroup.length);
  else if (plainGroups) {
    groups = plainGroups;
    total = plainGroups.size;
  } else groups = new Set();
  const hits: KeywordHit[] = best1.result().map((h) => ({ index: h.index, score: h.score, all: clauses[h.index] === all }));
  for (let i = 0; i < count; i++) clauses[touched[i]!] = 0;
  s.dirty = false;
  return { hits, unfiltered: (unfiltered ?? best1).result(), total, groups };
}

/**
 * Chunks that may hold one of the phrase units (the text matcher decides): those with every word
 * and every adjacent pair of it, taken from the rarest of these lists. A phrase's last word may
 * run on ("outline" -> "outlines"), so for it every term starting with its stem counts.
 */
function phraseRows(index: KeywordIndex, units: Unit[]): Set<number> {
  const out = new Set<number>();
  for (const u of units) {
    if (u.kind === 'prefix') continue;
    const words = wordsOf(u.text);
    const stems = queryTerms(u.text);
    if (stems.length === 0) continue;
    const runsOn = u.kind === 'phrase' && normalizeTerm(words[words.length - 1]!) !== null;
    // Each source is a union of posting lists; a chunk of the phrase is in every source.
    const sources: Array<Array<{ inv: InvertedIndex; id: number }>> = stems.map((s, i) =>
      runsOn && i === stems.length - 1
        ? index.words.withPrefix(s, 5000).map((id) => ({ inv: index.words, id }))
        : [{ inv: index.words, id: index.words.termId(s) }],
    );
    stems.slice(1).forEach((s, i) => {
      const pair = pairTerm(stems[i]!, s);
      sources.push(
        runsOn && i === stems.length - 2
          ? index.pairs.withPrefix(pair, 5000).map((id) => ({ inv: index.pairs, id }))
          : [{ inv: index.pairs, id: index.pairs.termId(pair) }],
      );
    });
    const size = (src: Array<{ inv: InvertedIndex; id: number }>): number => src.reduce((n, l) => n + l.inv.df(l.id), 0);
    if (sources.some((src) => size(src) === 0)) continue;
    const rarest = sources.reduce((a, b) => (size(b) < size(a) ? b : a));
    for (const l of rarest) l.inv.forEachPosting(l.id, (d) => out.add(d));
  }
  return out;
}

/** A test that one of the units occurs in the tokens. */
export function anyOf(units: Unit[]): (toks: ReturnType<typeof tokensOf>) => boolean {
  const ms = units.map((u) => compile(u)).filter((m) => m !== null);
  return (toks) => ms.some((m) => m(toks).length > 0);
}

/** Chunks that contain any excluded word or phrase. */
export function excludedIds(index: KeywordIndex, exclude: Unit[], textOf: (index: number) => string): Set<number> {
  const out = new Set<number>();
  for (const u of exclude) {
    const stems = u.kind === 'prefix' ? [] : queryTerms(u.text);
    if (u.kind === 'prefix') {
      const p = normalizePrefix(u.text);
      if (p) for (const id of index.words.withPrefix(p, 5000)) index.words.forEachPosting(id, (d) => out.add(d));
      continue;
    }
    if (stems.length === 0) continue;
    // Candidates: chunks with the rarest word; a phrase is then checked against the text.
    const ids = stems.map((s) => index.words.termId(s));
    if (ids.some((id) => id < 0)) continue;
    const rarest = ids.reduce((a, b) => (index.words.df(b) < index.words.df(a) ? b : a));
    const m = stems.length > 1 ? compile(u) : null;
    index.words.forEachPosting(rarest, (d) => {
      if (!m || m(tokensOf(textOf(d))).length > 0) out.add(d);
    });
  }
  return out;
}
