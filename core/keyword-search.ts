/**
 * Keyword search: the parsed query becomes a MiniSearch (BM25) query tree.
 * - Thesaurus: a run of plain words that is an acronym or synonym ("LAC", "care leavers") is
 *   replaced by an OR of every alternative ("looked after children", "children in care", ...).
 * - AND first: chunks with every clause rank first; when that finds fewer than `orFallbackBelow`
 *   chunks, chunks with only some clauses follow (every word helps).
 * - A word that is in no chunk at all is looked up fuzzily (typos such as "safegaurding").
 * - Phrases are verified against the chunk text (MiniSearch has no phrase search); exclusions
 *   remove chunks. Filters are applied by the caller.
 */
import type MiniSearch from 'minisearch';
import type { Query, SearchOptions } from 'minisearch';
import { keywordSearchDefaults, normalizePrefix, queryTerms } from './keyword-options.ts';
import type { Clause, ParsedQuery, Unit } from './query.ts';
import { compile, tokensOf, type Matchable } from './text-match.ts';
import { findSynonyms } from './thesaurus.ts';
import type { Scored } from './vectors.ts';

export interface KeywordHit extends Scored {
  /** True when the chunk matched every clause (AND); false for OR-fallback hits. */
  all: boolean;
  /** Index terms (stems) that matched, including fuzzy and prefix expansions. */
  terms: string[];
}

export interface KeywordPlan {
  /** MiniSearch query per clause, after thesaurus expansion. */
  clauses: Query[];
  /**
   * Clauses with a phrase, to verify against the text (MiniSearch only finds the words):
   * a chunk passes when, for each, one of the clause's alternatives occurs.
   */
  phrases: Unit[][];
  /** Everything whose occurrences are highlighted: words, phrases, prefixes, thesaurus alternatives. */
  highlight: Matchable[];
}

/** Weight of a thesaurus alternative relative to the words as typed (see docs/relevance.md). */
export const SYNONYM_WEIGHT = 0.5;

const identity = (t: string): string => t;
const single = (t: string): string[] => [t];

/** Turn a parsed query into MiniSearch clause queries; `known(stem)` says whether the index has the term. */
export function planKeywordQuery(q: ParsedQuery, known: (stem: string) => boolean, useThesaurus = true): KeywordPlan {
  const clauses: Query[] = [];
  const phrases: Unit[][] = [];
  const highlight: Matchable[] = [];
  // Consecutive single-word clauses (stems, and the words as typed for acronyms that only count
  // in capitals, such as SEND), for thesaurus spans.
  let run: string[] = [];
  let raw: string[] = [];

  const flushRun = (): void => {
    if (run.length === 0) return;
    const stems = run;
    const spans = useThesaurus ? findSynonyms(stems, raw) : [];
    run = [];
    raw = [];
    let i = 0;
    for (const span of spans.sort((a, b) => a.start - b.start)) {
      if (span.start < i) continue;
      for (; i < span.start; i++) clauses.push(termQuery(stems[i]!, known));
      const alternatives = span.alternatives.filter((a) => a.length > 0);
      // The words as typed count fully; a synonym or expansion counts for less.
      const original = stems.slice(span.start, span.end).join(' ');
      clauses.push({
        combineWith: 'OR',
        queries: alternatives.map((alt) => stemsQuery(alt, alt.join(' ') === original ? 1 : SYNONYM_WEIGHT)),
      });
      alternatives.forEach((alt) => highlight.push({ kind: 'stems', stems: alt }));
      i = span.end;
    }
    for (; i < stems.length; i++) clauses.push(termQuery(stems[i]!, known));
  };

  for (const clause of q.clauses) {
    const simple = singleStem(clause);
    highlight.push(...clause.any);
    if (simple !== null) {
      run.push(simple);
      raw.push(clause.any[0]!.text);
      continue;
    }
    // A stop word ("children in care") is not searched and does not break a thesaurus span.
    if (clause.any.length === 1 && clause.any[0]!.kind === 'word' && queryTerms(clause.any[0]!.text).length === 0) continue;
    flushRun();
    const alternatives = clause.any
      .map((u) => unitQuery(u, known))
      .filter((x): x is Query => x !== null);
    if (clause.any.some(isPhrase)) phrases.push(clause.any);
    if (alternatives.length > 0) clauses.push(alternatives.length === 1 ? alternatives[0]! : { combineWith: 'OR', queries: alternatives });
  }
  flushRun();
  return { clauses, phrases, highlight };
}

/** A clause that is one plain word with a stem (not a stop word). */
function singleStem(clause: Clause): string | null {
  if (clause.any.length !== 1 || clause.any[0]!.kind !== 'word') return null;
  const terms = queryTerms(clause.any[0]!.text);
  return terms.length === 1 && !/[\s-]/.test(clause.any[0]!.text) ? terms[0]! : null;
}

function isPhrase(u: Unit): boolean {
  return u.kind === 'phrase' || (u.kind === 'word' && queryTerms(u.text).length > 1);
}

function termQuery(stem: string, known: (stem: string) => boolean): Query {
  const fuzzy = known(stem) ? false : keywordSearchDefaults.fuzzy;
  return { combineWith: 'OR', queries: [stem], processTerm: identity, tokenize: single, fuzzy } as Query;
}

function stemsQuery(stems: string[], weight = 1): Query {
  const q = { combineWith: 'AND', queries: stems, processTerm: identity, tokenize: single, fuzzy: false } as Query & SearchOptions;
  if (weight !== 1) q.boost = { text: weight, section: weight * (keywordSearchDefaults.boost?.section ?? 1) };
  return q;
}

function unitQuery(u: Unit, known: (stem: string) => boolean): Query | null {
  if (u.kind === 'prefix') {
    const p = normalizePrefix(u.text);
    return p ? ({ combineWith: 'OR', queries: [p], processTerm: identity, tokenize: single, prefix: true, fuzzy: false } as Query) : null;
  }
  const stems = queryTerms(u.text);
  if (stems.length === 0) return null;
  return stems.length === 1 ? termQuery(stems[0]!, known) : stemsQuery(stems);
}

export interface KeywordRunOptions {
  /** Below this many AND hits, OR hits are appended. */
  orFallbackBelow?: number;
  /** Text of a chunk, for phrase verification and exclusions. */
  textOf: (index: number) => string;
}

/** Per chunk: raw BM25 of the clause, the query terms it matched, the index terms that matched. */
type ClauseHits = Map<number, { raw: number; queryTerms: string[]; terms: string[] }>;

/**
 * Per keyword index: the hits of recent clauses (a word, a thesaurus group), reused across
 * queries, least recently used dropped first. Bounded by the number of hits held, so memory stays
 * flat under load (a common word has thousands of hits, a rare one a few).
 */
const clauseCache = new WeakMap<MiniSearch, { entries: Map<string, ClauseHits>; hits: number }>();
const CLAUSE_CACHE_HITS = 200_000;
/** A clause found in more than this share of chunks does not bring chunks into the OR fallback. */
const COMMON_SHARE = 0.3;

function clauseHits(ms: MiniSearch, clause: Query, base: SearchOptions): ClauseHits {
  let cache = clauseCache.get(ms);
  if (!cache) {
    cache = { entries: new Map(), hits: 0 };
    clauseCache.set(ms, cache);
  }
  const key = JSON.stringify(clause, (_k, v: unknown) => (typeof v === 'function' ? `fn:${String(v.name)}` : v));
  let hits = cache.entries.get(key);
  if (hits) {
    cache.entries.delete(key); // keep recently used entries last
  } else {
    hits = new Map();
    // MiniSearch multiplies a score by the number of query terms matched; undo it here and
    // apply it once over the whole query when clauses are combined.
    for (const r of ms.search(clause, base)) hits.set(r.id as number, { raw: r.score / (r.queryTerms.length || 1), queryTerms: r.queryTerms, terms: r.terms });
    cache.hits += hits.size;
    for (const [oldKey, old] of cache.entries) {
      if (cache.hits <= CLAUSE_CACHE_HITS) break;
      cache.entries.delete(oldKey);
      cache.hits -= old.size;
    }
  }
  cache.entries.set(key, hits);
  return hits;
}

/**
 * Run the plan: AND hits first, then (if few) OR hits; phrases verified, exclusions applied.
 * Clauses are searched one by one (and cached) and combined here: AND sums the clause scores of
 * chunks that have every clause; OR sums what each chunk has, times the number of clauses it
 * matched (as MiniSearch does), so chunks with more of the query rank higher.
 */
export function runKeyword(ms: MiniSearch, plan: KeywordPlan, exclude: Unit[], options: KeywordRunOptions): KeywordHit[] {
  if (plan.clauses.length === 0) return [];
  const base: SearchOptions = { ...keywordSearchDefaults, fuzzy: false, prefix: false };
  const phraseMatchers = plan.phrases.map(anyOf);
  const excluded = excludedIds(ms, exclude, options.textOf);
  const accept = (id: number): boolean => {
    if (excluded.has(id)) return false;
    if (phraseMatchers.length === 0) return true;
    const toks = tokensOf(options.textOf(id));
    return phraseMatchers.every((m) => m(toks));
  };
  const perClause = plan.clauses.map((c) => clauseHits(ms, c, base));
  const smallest = perClause.reduce((a, b) => (b.size < a.size ? b : a));
  const hits: KeywordHit[] = [];
  for (const id of smallest.keys()) {
    const combined = combine(perClause, id, true);
    if (combined && accept(id)) hits.push({ index: id, ...combined, all: true });
  }
  hits.sort(byScore);
  const threshold = options.orFallbackBelow ?? 100;
  if (hits.length < threshold && plan.clauses.length > 1 && phraseMatchers.length === 0) {
    const seen = new Set(hits.map((h) => h.index));
    const topAnd = hits.length > 0 ? hits[hits.length - 1]!.score : Infinity;
    // Candidates come from the selective clauses: a chunk that has only a word found in most
    // chunks ("children") says nothing about the query.
    const selective = perClause.filter((c) => c.size < ms.documentCount * COMMON_SHARE);
    const sources = selective.length > 0 ? selective : perClause;
    const partial: KeywordHit[] = [];
    const done = new Set<number>(seen);
    for (const source of sources) {
      for (const id of source.keys()) {
        if (done.has(id)) continue;
        done.add(id);
        const combined = combine(perClause, id, false)!;
        // OR-only hits rank after every AND hit.
        if (accept(id)) partial.push({ index: id, score: Math.min(combined.score, topAnd * 0.999), terms: combined.terms, all: false });
      }
    }
    hits.push(...partial.sort(byScore));
  }
  return hits;
}

/** Sum of the clauses' raw scores times the number of distinct query terms matched (MiniSearch's rule). */
function combine(perClause: ClauseHits[], id: number, requireAll: boolean): { score: number; terms: string[] } | null {
  let raw = 0;
  const queryTerms = new Set<string>();
  const terms: string[] = [];
  for (const c of perClause) {
    const h = c.get(id);
    if (!h) {
      if (requireAll) return null;
      continue;
    }
    raw += h.raw;
    h.queryTerms.forEach((t) => queryTerms.add(t));
    terms.push(...h.terms);
  }
  return { score: raw * (queryTerms.size || 1), terms };
}

function byScore(a: KeywordHit, b: KeywordHit): number {
  return b.score - a.score || a.index - b.index;
}

/** A test that one of the units occurs in the tokens. */
export function anyOf(units: Unit[]): (toks: ReturnType<typeof tokensOf>) => boolean {
  const ms = units.map((u) => compile(u)).filter((m) => m !== null);
  return (toks) => ms.some((m) => m(toks).length > 0);
}

/** Chunks that contain any excluded word or phrase. */
export function excludedIds(ms: MiniSearch, exclude: Unit[], textOf: (index: number) => string): Set<number> {
  const out = new Set<number>();
  for (const u of exclude) {
    const q = unitQuery(u, () => true);
    if (!q) continue;
    const m = compile(u);
    for (const r of ms.search(q, { ...keywordSearchDefaults, fuzzy: false })) {
      const id = r.id as number;
      if (u.kind !== 'phrase' || (m && m(tokensOf(textOf(id))).length > 0)) out.add(id);
    }
  }
  return out;
}
