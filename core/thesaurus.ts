/**
 * The domain thesaurus: acronyms and synonyms people type when searching children's services
 * reports, kept as data in thesaurus.json. The query engine asks which spans of a query's
 * normalised terms are thesaurus expressions and gets, per span, the alternative term
 * sequences to search as well (the span's own terms first).
 *
 * Matching is on normalised term sequences (tokenize + normalizeTerm on both sides), so
 * "Looked-After Children's", "looked after children" and "LOOKED AFTER CHILD" all match the
 * same entry. Acronyms that are common English words ("SEND") are listed in a group's
 * exactCase and only trigger the group when typed exactly so; they still appear as
 * alternatives of their group.
 */
import data from './thesaurus.json' with { type: 'json' };
import { normalizeTerm, queryTokens, tokenize } from './keyword-options.ts';

export interface ThesaurusGroup {
  /** Equivalent expressions: each finds all the others. */
  terms: string[];
  /** Terms of this group that only trigger it when typed in exactly this case. */
  exactCase?: string[];
}

export interface ThesaurusOneWay {
  /** Expressions that also search `to`. */
  from: string[];
  /** Expressions searched for `from`; they do not search `from` back. */
  to: string[];
}

export interface ThesaurusData {
  version: number;
  about?: string;
  groups: ThesaurusGroup[];
  oneWay: ThesaurusOneWay[];
}

/** One thesaurus expression found in a query. */
export interface SynonymSpan {
  /** Index of the first query term of the span. */
  start: number;
  /** Index after the last query term of the span (exclusive). */
  end: number;
  /** Term sequences to search for this span: the span's own terms first, then the others. */
  alternatives: string[][];
  /** A written form of each alternative (parallel to `alternatives`), for showing the user. */
  labels: string[];
}

interface Alternative {
  seq: string[];
  label: string;
}

interface Entry {
  seq: string[];
  /** Raw token sequences that may trigger this entry; null when any case does. */
  exactRaw: string[][] | null;
  /** Alternatives by key, in data order (own sequence included). */
  alts: Map<string, Alternative>;
}

const key = (seq: readonly string[]): string => seq.join(' ');

/** Normalised term sequence of a thesaurus expression. */
export function expressionTerms(expression: string): string[] {
  const out: string[] = [];
  for (const raw of tokenize(expression)) {
    const term = normalizeTerm(raw);
    if (term !== null) out.push(term);
  }
  return out;
}

/** A compiled thesaurus. */
export class Thesaurus {
  private readonly byFirst = new Map<string, Entry[]>();
  private readonly entries = new Map<string, Entry>();

  constructor(readonly data: ThesaurusData) {
    for (const group of data.groups) {
      const exact = new Set(group.exactCase ?? []);
      const alts = group.terms.map((t) => ({ seq: expressionTerms(t), label: t })).filter((a) => a.seq.length > 0);
      for (const term of group.terms) this.add(term, exact.has(term), alts);
    }
    for (const rule of data.oneWay) {
      const to = rule.to.map((t) => ({ seq: expressionTerms(t), label: t })).filter((a) => a.seq.length > 0);
      for (const from of rule.from) this.add(from, false, to);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.seq.length - a.seq.length);
  }

  private add(expression: string, exactCase: boolean, alts: Alternative[]): void {
    const seq = expressionTerms(expression);
    if (seq.length === 0) return;
    const k = key(seq);
    let entry = this.entries.get(k);
    if (entry === undefined) {
      entry = { seq, exactRaw: [], alts: new Map([[k, { seq, label: expression }]]) };
      this.entries.set(k, entry);
      const list = this.byFirst.get(seq[0]!) ?? [];
      list.push(entry);
      this.byFirst.set(seq[0]!, list);
    }
    if (!exactCase) entry.exactRaw = null;
    else if (entry.exactRaw !== null) entry.exactRaw.push(tokenize(expression));
    for (const alt of alts) {
      const altKey = key(alt.seq);
      if (!entry.alts.has(altKey)) entry.alts.set(altKey, alt);
    }
  }

  /**
   * Thesaurus expressions in a query, left to right, longest match first, not overlapping.
   * `terms` are normalised query terms (queryTerms); `raw` (optional, parallel to terms) are the
   * tokens as typed (queryTokens), needed for exactCase acronyms: without it they never trigger.
   */
  find(terms: readonly string[], raw?: readonly string[]): SynonymSpan[] {
    const spans: SynonymSpan[] = [];
    let i = 0;
    while (i < terms.length) {
      const entry = this.longestAt(terms, raw, i);
      if (entry === undefined) {
        i++;
        continue;
      }
      const end = i + entry.seq.length;
      const own = key(entry.seq);
      const ordered = [...entry.alts.entries()].sort(([a], [b]) => Number(b === own) - Number(a === own));
      if (ordered.length > 1) {
        spans.push({
          start: i,
          end,
          alternatives: ordered.map(([, a]) => [...a.seq]),
          labels: ordered.map(([, a]) => a.label),
        });
      }
      i = end;
    }
    return spans;
  }

  private longestAt(terms: readonly string[], raw: readonly string[] | undefined, i: number): Entry | undefined {
    const candidates = this.byFirst.get(terms[i]!);
    if (candidates === undefined) return undefined;
    for (const entry of candidates) {
      const n = entry.seq.length;
      if (i + n > terms.length) continue;
      let same = true;
      for (let j = 0; j < n && same; j++) same = terms[i + j] === entry.seq[j];
      if (!same) continue;
      if (entry.exactRaw === null) return entry;
      if (raw === undefined) continue;
      const typed = raw.slice(i, i + n);
      if (entry.exactRaw.some((r) => r.length === n && r.every((t, j) => t === typed[j]))) return entry;
    }
    return undefined;
  }

  /** Counts for /api/help and logs. */
  size(): { groups: number; oneWay: number; expressions: number } {
    const expressions =
      this.data.groups.reduce((n, g) => n + g.terms.length, 0) + this.data.oneWay.reduce((n, r) => n + r.from.length, 0);
    return { groups: this.data.groups.length, oneWay: this.data.oneWay.length, expressions };
  }
}

/**
 * Problems with thesaurus data, one line each (empty when valid): structure, empty or
 * duplicate expressions, expressions that normalise to nothing (only stop words), groups whose
 * expressions all normalise alike, and a normalised expression claimed by two entries.
 */
export function validateThesaurus(d: ThesaurusData): string[] {
  const problems: string[] = [];
  if (d.version !== 1) problems.push(`version ${String(d.version)} is not 1`);
  if (!Array.isArray(d.groups) || !Array.isArray(d.oneWay)) return [...problems, 'groups and oneWay must be arrays'];
  const owner = new Map<string, string>();
  const claim = (expression: string, where: string): void => {
    const k = key(expressionTerms(expression));
    const prev = owner.get(k);
    if (prev !== undefined && prev !== where) problems.push(`"${expression}" (${k}) in ${where} is also in ${prev}`);
    owner.set(k, where);
  };
  const checkList = (list: unknown, where: string, min: number): list is string[] => {
    if (!Array.isArray(list) || list.length < min) {
      problems.push(`${where}: needs at least ${min} expression(s)`);
      return false;
    }
    const seen = new Set<string>();
    for (const t of list) {
      if (typeof t !== 'string' || t.trim() === '' || t !== t.trim()) {
        problems.push(`${where}: empty or untrimmed expression ${JSON.stringify(t)}`);
        continue;
      }
      if (seen.has(t.toLowerCase())) problems.push(`${where}: duplicate "${t}"`);
      seen.add(t.toLowerCase());
      if (expressionTerms(t).length === 0) problems.push(`${where}: "${t}" has no searchable terms`);
    }
    return true;
  };
  d.groups.forEach((g, n) => {
    const where = `group ${n} (${g.terms?.[0] ?? '?'})`;
    if (!checkList(g.terms, where, 2)) return;
    const distinct = new Set(g.terms.map((t) => key(expressionTerms(t))));
    if (distinct.size < 2) problems.push(`${where}: all expressions normalise to the same terms`);
    for (const t of g.exactCase ?? []) if (!g.terms.includes(t)) problems.push(`${where}: exactCase "${t}" is not one of its terms`);
    for (const t of g.terms) claim(t, where);
  });
  d.oneWay.forEach((r, n) => {
    const where = `oneWay ${n} (${r.from?.[0] ?? '?'})`;
    if (!checkList(r.from, `${where} from`, 1) || !checkList(r.to, `${where} to`, 1)) return;
    const fromKeys = new Set(r.from.map((t) => key(expressionTerms(t))));
    for (const t of r.to) if (fromKeys.has(key(expressionTerms(t)))) problems.push(`${where}: "${t}" is both from and to`);
    for (const t of r.from) claim(t, where);
  });
  return problems;
}

/** The thesaurus data shipped with the product (core/thesaurus.json). */
export const THESAURUS_DATA: ThesaurusData = data as ThesaurusData;

let shared: Thesaurus | undefined;

/** The compiled shipped thesaurus (built on first use). */
export function thesaurus(): Thesaurus {
  shared ??= new Thesaurus(THESAURUS_DATA);
  return shared;
}

/** Thesaurus spans in normalised query terms; see Thesaurus.find. */
export function findSynonyms(terms: readonly string[], raw?: readonly string[]): SynonymSpan[] {
  return thesaurus().find(terms, raw);
}

/** Thesaurus spans of a query text; span indexes point into queryTerms(text). */
export function findSynonymsInText(text: string): SynonymSpan[] {
  const tokens = queryTokens(text);
  return thesaurus().find(
    tokens.map((t) => t.term),
    tokens.map((t) => t.raw),
  );
}

/** Counts of the shipped thesaurus. */
export function thesaurusSize(): { groups: number; oneWay: number; expressions: number } {
  return thesaurus().size();
}
