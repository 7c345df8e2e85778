/**
 * Keyword search: the parsed query becomes a MiniSearch (BM25) query tree.
 * - Thesaurus: a run of plain words that is an acronym or synonym ("LAC", "care leavers") is
 *   replaced by an OR of every alternative ("looked after children", "children in care", ...).
 * - AND first: chunks with every clause rank first; when that finds fewer than `orFallbackBelow`
 *   chunks, chunks with only some clauses follow (every word helps).
 * - A word that is in no chunk at all is looked up fuzzily (typos such as "safegaurding").
 * - Phrases are verified against the chunk text (MiniSearch has no phrase search); exclusions
 *   remove chunks. Filters are applied by the caller's `allow`.
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
  let run: string[] = []; // consecutive single-word clauses, for thesaurus spans

  const flushRun = (): void => {
    if (run.length === 0) return;
    const stems = run;
    run = [];
    const spans = useThesaurus ? findSynonyms(stems) : [];
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
      continue;
    }
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
  /** Chunk ordinals allowed by filters. */
  allow?: (index: number) => boolean;
  /** Below this many AND hits, OR hits are appended. */
  orFallbackBelow?: number;
  /** Text of a chunk, for phrase verification and exclusions. */
  textOf: (index: number) => string;
}

/** Run the plan: AND hits first, then (if few) OR hits; phrases verified, exclusions applied. */
export function runKeyword(ms: MiniSearch, plan: KeywordPlan, exclude: Unit[], options: KeywordRunOptions): KeywordHit[] {
  if (plan.clauses.length === 0) return [];
  const base: SearchOptions = { ...keywordSearchDefaults, fuzzy: false, prefix: false };
  if (options.allow) {
    const allow = options.allow;
    base.filter = (r) => allow(r.id as number);
  }
  const phraseMatchers = plan.phrases.map(anyOf);
  const excluded = excludedIds(ms, exclude, options.textOf);
  const accept = (id: number): boolean => {
    if (excluded.has(id)) return false;
    if (phraseMatchers.length === 0) return true;
    const toks = tokensOf(options.textOf(id));
    return phraseMatchers.every((m) => m(toks));
  };
  const andQuery: Query = plan.clauses.length === 1 ? plan.clauses[0]! : { combineWith: 'AND', queries: plan.clauses };
  const hits: KeywordHit[] = [];
  const seen = new Set<number>();
  for (const r of ms.search(andQuery, base)) {
    const id = r.id as number;
    if (!accept(id)) continue;
    seen.add(id);
    hits.push({ index: id, score: r.score, all: true, terms: r.terms });
  }
  const threshold = options.orFallbackBelow ?? 100;
  if (hits.length < threshold && plan.clauses.length > 1 && phraseMatchers.length === 0) {
    const topAnd = hits.length > 0 ? hits[hits.length - 1]!.score : Infinity;
    for (const r of ms.search({ combineWith: 'OR', queries: plan.clauses }, base)) {
      const id = r.id as number;
      if (seen.has(id) || !accept(id)) continue;
      // OR-only hits rank after every AND hit.
      hits.push({ index: id, score: Math.min(r.score, topAnd * 0.999), all: false, terms: r.terms });
    }
  }
  return hits;
}

/** A test that one of the units occurs in the tokens. */
export function anyOf(units: Unit[]): (toks: ReturnType<typeof tokensOf>) => boolean {
  const ms = units.map((u) => compile(u)).filter((m) => m !== null);
  return (toks) => ms.some((m) => m(toks).length > 0);
}

function excludedIds(ms: MiniSearch, exclude: Unit[], textOf: (index: number) => string): Set<number> {
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
