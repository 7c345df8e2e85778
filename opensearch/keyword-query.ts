/**
 * The query language in OpenSearch's query DSL, scored as the embedded keyword search scores
 * (core/keyword-search.ts): every word ORed (BM25 over the `english`-analysed text), adjacent
 * words also as a two-word phrase (proximity, weight `pair`), words in section headings (weight
 * `section`), thesaurus alternatives of a run of words (the best one per chunk, weight
 * `synonym`), `prefix*` over the words as written (weight `expansion`); quoted phrases are
 * required and exclusions must not match. The shared matcher (core/text-match.ts) still checks
 * phrases on the texts returned. Typo expansion of unknown words is not done here.
 */
import { normalizePrefix, queryTerms } from '../core/keyword-options.ts';
import type { KeywordWeights } from '../core/keyword-search.ts';
import type { Clause, ParsedQuery, Unit } from '../core/query.ts';
import { wordsOf } from '../core/text-match.ts';
import { findSynonyms } from '../core/thesaurus.ts';

export type Dsl = Record<string, unknown>;

export interface KeywordDsl {
  /** Scoring clauses (a chunk matches when it has any). */
  should: Dsl[];
  /** Phrase clauses: a chunk must match one unit of each. */
  must: Dsl[];
  /** Exclusions. */
  mustNot: Dsl[];
  /** The phrase clauses' units, for the shared matcher's check of the texts. */
  phrases: Unit[][];
}

const isPhrase = (u: Unit): boolean => u.kind === 'phrase' || u.kind === 'exact';

/** A query matching where the unit occurs (a superset of what the shared matcher accepts, as far as the analyzers allow). */
export function unitQuery(u: Unit, boost = 1): Dsl | null {
  if (u.kind === 'prefix') {
    const p = normalizePrefix(u.text);
    return p === null ? null : { prefix: { 'text.exact': { value: p, boost } } };
  }
  if (u.kind === 'exact') return { match_phrase: { 'text.exact': { query: u.text, boost } } };
  if (u.kind === 'phrase' || wordsOf(u.text).length > 1) return { match_phrase: { text: { query: u.text, boost } } };
  return { match: { text: { query: u.text, boost } } };
}

/**
 * A one-word unit for counting: its English stem, or any word starting with our own stem, so
 * every form the shared matcher counts is a candidate ("child" and "children": Porter keeps
 * "children" apart, our stemmer does not).
 */
function wordRecall(u: Unit): Dsl | null {
  const q = unitQuery(u);
  if (u.kind !== 'word' || wordsOf(u.text).length !== 1) return q;
  const stem = queryTerms(u.text)[0];
  return stem && stem.length >= 3 ? { bool: { should: [q, { prefix: { 'text.exact': { value: stem } } }], minimum_should_match: 1 } } : q;
}

/** A clause as a requirement: one of its units must occur (`recall`: every form the shared matcher counts). */
export function clauseQuery(units: Unit[], recall = false): Dsl | null {
  const qs = units.map((u) => (recall ? wordRecall(u) : unitQuery(u))).filter((q): q is Dsl => q !== null);
  if (qs.length === 0) return null;
  return qs.length === 1 ? qs[0]! : { bool: { should: qs, minimum_should_match: 1 } };
}

export function keywordDsl(q: ParsedQuery, useThesaurus: boolean, w: KeywordWeights): KeywordDsl {
  const should: Dsl[] = [];
  const must: Dsl[] = [];
  const phrases: Unit[][] = [];
  const word = (text: string, boost: number): Dsl[] => [
    { match: { text: { query: text, boost } } },
    { match: { section: { query: text, boost: boost * w.section } } },
  ];
  // Adjacent content words (stop words are not indexed by either engine; slop 1 steps over one left out, as "children in care").
  const pairs = (typed: string[], boost: number): Dsl[] => {
    const words = typed.filter((t) => queryTerms(t).length > 0);
    return words.slice(1).map((b, i) => ({ match_phrase: { text: { query: `${words[i]} ${b}`, slop: 1, boost } } }));
  };

  // Runs of plain words: each word, each adjacent pair, and the thesaurus alternatives of spans.
  let run: string[] = [];
  const flushRun = (): void => {
    if (run.length === 0) return;
    const typed = run;
    run = [];
    for (const t of typed) should.push(...word(t, 1));
    should.push(...pairs(typed, w.pair));
    if (!useThesaurus) return;
    const stems = typed.map((t) => queryTerms(t)[0]!);
    let next = 0;
    for (const span of findSynonyms(stems, typed).sort((a, b) => a.start - b.start)) {
      if (span.start < next) continue;
      next = span.end;
      const original = stems.slice(span.start, span.end).join(' ');
      // The alternatives as written (their labels), for OpenSearch's own analyzer.
      const alternatives = span.alternatives
        .flatMap((alt, a) => (alt.length > 0 && alt.join(' ') !== original ? [{ alt, text: span.labels[a] ?? alt.join(' ') }] : []))
        .map(({ alt, text }): Dsl => {
          if (alt.length === 1) return { match: { text: { query: text, boost: w.synonym } } };
          // A multi-word alternative scores where its words stand together: each adjacent pair, summed (as its pairs do in the embedded index).
          const words = wordsOf(text);
          return words.length < 2 ? { match: { text: { query: text, boost: w.synonym } } } : { bool: { should: pairs(words, w.synonym * (1 + w.pair)) } };
        });
      if (alternatives.length > 0) should.push({ dis_max: { queries: alternatives } });
    }
  };

  for (const clause of q.clauses) {
    if (plainWord(clause)) {
      run.push(clause.any[0]!.text);
      continue;
    }
    // A stop word ("children in care") is not searched and does not break a run.
    if (clause.any.length === 1 && clause.any[0]!.kind === 'word' && queryTerms(clause.any[0]!.text).length === 0) continue;
    flushRun();
    for (const u of clause.any) {
      if (u.kind === 'prefix') {
        // Scored over the stems (the english-analysed field), each expansion by its BM25, as the embedded engine does.
        const p = normalizePrefix(u.text);
        if (p !== null) should.push({ prefix: { text: { value: p, boost: w.expansion, rewrite: 'scoring_boolean' } } });
        continue;
      }
      const words = wordsOf(u.text);
      for (const t of words) should.push(...word(t, 1));
      should.push(...pairs(words, w.pair));
    }
    if (clause.any.some(isPhrase)) {
      phrases.push(clause.any);
      const required = clauseQuery(clause.any);
      if (required) must.push(required);
    }
  }
  flushRun();
  const mustNot = q.exclude.map((u) => unitQuery(u)).filter((x): x is Dsl => x !== null);
  return { should, must, mustNot, phrases };
}

/** One plain word with a stem (not a stop word, not hyphenated), as core/keyword-search.ts reads it. */
function plainWord(clause: Clause): boolean {
  if (clause.any.length !== 1 || clause.any[0]!.kind !== 'word') return false;
  const terms = queryTerms(clause.any[0]!.text);
  return terms.length === 1 && !/[\s-]/.test(clause.any[0]!.text);
}
