/**
 * The query language in OpenSearch's query DSL, scored as the embedded keyword search scores
 * (core/keyword-search.ts), over the same index terms (our analysis, written by the indexer:
 * opensearch/layout.ts TERM_FIELDS): every word ORed (BM25), each adjacent pair of words (a pair
 * term, weight `pair`), words in section headings (weight `section`), thesaurus alternatives of
 * a run of words (the best one per chunk, weight `synonym`), `prefix*` over the index terms
 * (weight `expansion`); quoted phrases are
 * required and exclusions must not match; the sum is multiplied by coordination, the rule of
 * core/coordination.ts (`coordinated`). The shared matcher (core/text-match.ts) still checks
 * phrases on the texts returned. Typo expansion of unknown words is not done here.
 */
import { normalizePrefix, queryTerms } from '../core/keyword-options.ts';
import type { KeywordWeights } from '../core/keyword-search.ts';
import type { ParsedQuery, Unit } from '../core/query.ts';
import { wordsOf } from '../core/text-match.ts';
import { pairToken, TERM_FIELDS } from './layout.ts';
import { queryParts, runSynonyms, type WordRun } from '../core/word-runs.ts';

export type Dsl = Record<string, unknown>;

/** A count of the chunks a query matches, for a clause's weight (its idf x factor). */
export interface WeightProbe {
  /** The same key is the same count (cached per index). */
  key: string;
  query: Dsl;
  factor: number;
  /** The index term counted, when the probe is one word (a word no chunk has gets typo expansions). */
  term?: string;
}

/** One clause of the query as core/keyword-search.ts plans it: what scores it, and its weight's parts. */
export interface DslClause {
  /** Its scoring queries: a chunk matches the clause when it matches any of them. */
  queries: Dsl[];
  /** Its words as typed (and `prefix*`), whose best idf is the clause's weight (core/coordination.ts). */
  probes: WeightProbe[];
  /** Its words' stems as typed (a council the query names: core/coordination.ts councilClauses). */
  stems: string[];
}

export interface KeywordDsl {
  /** Clauses of the query, scored by their `should` queries (a chunk matches when it has any). */
  clauses: DslClause[];
  /** Every clause's scoring queries. */
  should: Dsl[];
  /** Phrase clauses: a chunk must match one unit of each (a filter: phrases are scored by their words and pairs, as in the embedded engine). */
  must: Dsl[];
  /** Exclusions. */
  mustNot: Dsl[];
  /** The phrase clauses' units, for the shared matcher's check of the texts. */
  phrases: Unit[][];
}

const isPhrase = (u: Unit): boolean => u.kind === 'phrase' || u.kind === 'exact';

/**
 * The text field a query reads: `text`, the chunks' (what search ranks), or `paragraph`, the
 * paragraphs' (every mention); each with `.exact`, its lower-cased words. Apart, so BM25's
 * statistics (document frequencies, average length) are those of the chunks alone, as in the
 * embedded index.
 */
export type TextField = 'text' | 'paragraph';

/** A query matching where the unit occurs (a superset of what the shared matcher accepts, as far as the analyzers allow). */
export function unitQuery(u: Unit, boost = 1, field: TextField = 'text'): Dsl | null {
  const exact = `${field}.exact`;
  if (u.kind === 'prefix') {
    const p = normalizePrefix(u.text);
    return p === null ? null : { prefix: { [exact]: { value: p, boost } } };
  }
  if (u.kind === 'exact') return { match_phrase: { [exact]: { query: u.text, boost } } };
  if (u.kind === 'phrase' || wordsOf(u.text).length > 1) return { match_phrase: { [field]: { query: u.text, boost } } };
  return { match: { [field]: { query: u.text, boost } } };
}

/**
 * A one-word unit for counting: its English stem, or any word starting with our own stem, so
 * every form the shared matcher counts is a candidate ("child" and "children": Porter keeps
 * "children" apart, our stemmer does not).
 */
function wordRecall(u: Unit, field: TextField): Dsl | null {
  const q = unitQuery(u, 1, field);
  if (u.kind !== 'word' || wordsOf(u.text).length !== 1) return q;
  const stem = queryTerms(u.text)[0];
  return stem && stem.length >= 3 ? { bool: { should: [q, { prefix: { [`${field}.exact`]: { value: stem } } }], minimum_should_match: 1 } } : q;
}

/** A clause as a requirement: one of its units must occur (`recall`: every form the shared matcher counts). */
export function clauseQuery(units: Unit[], recall = false, field: TextField = 'text'): Dsl | null {
  const qs = units.map((u) => (recall ? wordRecall(u, field) : unitQuery(u, 1, field))).filter((q): q is Dsl => q !== null);
  if (qs.length === 0) return null;
  return qs.length === 1 ? qs[0]! : { bool: { should: qs, minimum_should_match: 1 } };
}

const termProbe = (stem: string): WeightProbe => ({ key: `t:${stem}`, query: { term: { [TERM_FIELDS.words]: stem } }, factor: 1, term: stem });

/** Index terms a stem no chunk has stands for (typos: core/keyword-search.ts fuzzyExpansions). */
export type Expansions = ReadonlyMap<string, readonly string[]>;

/**
 * The query in the DSL. `expansions`: the typo expansions of typed words no chunk has (found
 * once their counts are known), each scored at weight `expansion` in the word's place.
 */
export function keywordDsl(q: ParsedQuery, useThesaurus: boolean, w: KeywordWeights, expansions: Expansions = new Map()): KeywordDsl {
  const clauses: DslClause[] = [];
  const must: Dsl[] = [];
  const phrases: Unit[][] = [];
  // Our own index terms (core/keyword-index.ts), so BM25 counts what the embedded index counts.
  const word = (stem: string, boost: number): Dsl[] => [
    ...(expansions.get(stem) ?? [stem]).map((t) => ({ term: { [TERM_FIELDS.words]: { value: t, boost: t === stem ? boost : boost * w.expansion } } })),
    { term: { [TERM_FIELDS.sections]: { value: stem, boost: boost * w.section } } },
  ];
  /** A typed word's weight probes: the word, or its expansions (at their weight). */
  const probesOf = (stem: string): WeightProbe[] => {
    const alt = expansions.get(stem);
    return alt ? alt.map((t) => ({ ...termProbe(t), factor: w.expansion })) : [termProbe(stem)];
  };
  const pairs = (stems: string[], boost: number): Dsl[] =>
    stems.slice(1).map((b, i) => ({ term: { [TERM_FIELDS.pairs]: { value: pairToken(stems[i]!, b), boost } } }));
  /** Words typed together: each word, and each adjacent pair. */
  const sequence = (stems: string[], boost: number): Dsl[] => [...stems.flatMap((s) => word(s, boost)), ...pairs(stems, boost * w.pair)];
  /** One thesaurus alternative: its terms summed (a one-word alternative, or the pairs of a longer one). */
  const alternative = (alt: string[]): Dsl => {
    const qs = alt.length === 1 ? word(alt[0]!, w.synonym) : pairs(alt, w.synonym * (1 + w.pair));
    return qs.length === 1 ? qs[0]! : { bool: { should: qs } };
  };

  // Runs of plain words: each word a clause (with the pair it starts), and the thesaurus
  // alternatives of a span in the span's first clause, the best one per chunk (as
  // core/keyword-search.ts plans them; core/word-runs.ts reads the runs for both).
  const planRun = (run: WordRun): void => {
    const { stems } = run;
    const perWord: DslClause[] = stems.map((s, i) => ({
      queries: [...word(s, 1), ...pairs(stems.slice(i, i + 2), w.pair)],
      probes: probesOf(s),
      stems: [s],
    }));
    if (useThesaurus) {
      for (const span of runSynonyms(run)) {
        const original = stems.slice(span.start, span.end).join(' ');
        const alternatives = span.alternatives.filter((alt) => alt.length > 0 && alt.join(' ') !== original).map(alternative);
        if (alternatives.length > 0) perWord[span.start]!.queries.push({ dis_max: { queries: alternatives } });
      }
    }
    clauses.push(...perWord);
  };

  for (const part of queryParts(q)) {
    if (part.run) {
      planRun(part.run);
      continue;
    }
    const { clause } = part;
    const c: DslClause = { queries: [], probes: [], stems: [] };
    for (const u of clause.any) {
      if (u.kind === 'prefix') {
        // Every index term it starts, each scored by its BM25 (the embedded engine: the 100 most frequent).
        const p = normalizePrefix(u.text);
        if (p === null) continue;
        c.queries.push(
          { prefix: { [TERM_FIELDS.words]: { value: p, boost: w.expansion, rewrite: 'scoring_boolean' } } },
          { prefix: { [TERM_FIELDS.sections]: { value: p, boost: w.expansion * w.section, rewrite: 'scoring_boolean' } } },
        );
        // The clause's weight: the embedded engine takes its rarest scored expansion; here all of them together (one count).
        c.probes.push({ key: `p:${p}`, query: { prefix: { [TERM_FIELDS.words]: p } }, factor: w.expansion });
        continue;
      }
      const stems = queryTerms(u.text);
      c.queries.push(...sequence(stems, 1));
      c.probes.push(...stems.flatMap(probesOf));
      c.stems.push(...stems);
    }
    if (clause.any.some(isPhrase)) {
      phrases.push(clause.any);
      const required = clauseQuery(clause.any);
      if (required) must.push(required);
    }
    if (c.queries.length > 0) clauses.push(c);
  }
  const mustNot = q.exclude.map((u) => unitQuery(u)).filter((x): x is Dsl => x !== null);
  return { clauses, should: clauses.flatMap((c) => c.queries), must, mustNot, phrases };
}

/**
 * `query` with coordination (core/coordination.ts) as a function_score: each clause a function
 * whose filter is the clause's queries (or, for a council the query names, also that council's
 * reports) and whose weight is its share of the clauses' weight; summed, times the score. Only
 * linear coordination (coord 1, the default) is expressible so: any coord > 0 is applied as 1.
 */
export function coordinated(query: Dsl, clauses: DslClause[], weights: number[], council: { clauses: number[]; keys: string[] }): Dsl {
  const total = weights.reduce((a, b) => a + b, 0);
  const functions = clauses.flatMap((c, i) => {
    const weight = weights[i]! / total;
    if (!(weight > 0)) return [];
    const filters: Dsl[] = [...c.queries];
    if (council.clauses.includes(i)) filters.push({ terms: { councilKey: council.keys } });
    return [{ filter: { bool: { should: filters, minimum_should_match: 1 } }, weight }];
  });
  return { function_score: { query, functions, score_mode: 'sum', boost_mode: 'multiply' } };
}

