/**
 * The query language:
 *   plain words           ranked; every word helps (documents with all of them rank first)
 *   "a phrase"            must appear: its words in order, the last one with any ending
 *                         ("return home interview" finds "return home interviews"; case, spacing,
 *                         hyphens and line breaks folded)
 *   exact:"a phrase"      must appear as written, no endings
 *   a OR b                either side ("staying put" OR "staying close")
 *   -word, -"a phrase"    exclude
 *   prefix*               words starting with prefix (at least 3 letters)
 *   council:hackney  year:2019  year:2015..2019  type:ilacs  judgement:inadequate   filters
 * Parsing never throws on odd input: unbalanced quotes close at the end, lone operators are
 * dropped. Only filter values that cannot mean anything raise a 400 (Query: ...).
 */
import { badParam } from './errors.ts';
import { MIN_PREFIX_LENGTH } from './keyword-options.ts';
import { REPORT_TYPES, type ReportType } from './types.ts';

export type Unit =
  | { kind: 'word'; text: string }
  | { kind: 'phrase'; text: string }
  | { kind: 'exact'; text: string }
  | { kind: 'prefix'; text: string };

/** A clause matches when any of its alternatives match (alternatives come from OR). */
export interface Clause {
  any: Unit[];
}

export interface Filters {
  council: string[];
  type: ReportType[];
  from: number | null;
  to: number | null;
  judgement: string[];
}

export interface ParsedQuery {
  raw: string;
  clauses: Clause[];
  exclude: Unit[];
  filters: Filters;
}

export function emptyFilters(): Filters {
  return { council: [], type: [], from: null, to: null, judgement: [] };
}

interface Token {
  unit: Unit;
  negated: boolean;
}

export function parseQuery(raw: string): ParsedQuery {
  const filters = emptyFilters();
  const tokens: Array<Token | 'OR'> = [];
  const re = /(-?)((?:exact:)?)"([^"]*)("|$)|(\S+)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) {
    if (m[3] !== undefined) {
      const text = clean(m[3]);
      const exact = m[2] !== '';
      if (text) tokens.push({ unit: { kind: isSingleWord(text) && !exact ? 'word' : exact ? 'exact' : 'phrase', text }, negated: m[1] === '-' });
      continue;
    }
    const word = m[5] ?? '';
    if (word === 'OR' || word === '|') {
      tokens.push('OR');
      continue;
    }
    const filter = /^(council|year|type|judgement|from|to):(.+)$/i.exec(word);
    if (filter) {
      applyFilter(filters, filter[1]!.toLowerCase(), filter[2]!);
      continue;
    }
    const negated = word.startsWith('-') && word.length > 1;
    const body = clean(negated ? word.slice(1) : word);
    if (!body) continue;
    if (body.endsWith('*')) {
      const stem = body.replace(/\*+$/, '');
      if (stem.replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_PREFIX_LENGTH) tokens.push({ unit: { kind: 'prefix', text: stem }, negated });
      else if (stem) tokens.push({ unit: { kind: 'word', text: stem }, negated });
      continue;
    }
    tokens.push({ unit: { kind: 'word', text: body }, negated });
  }
  return { raw, ...toClauses(tokens), filters };
}

function toClauses(tokens: Array<Token | 'OR'>): { clauses: Clause[]; exclude: Unit[] } {
  const clauses: Clause[] = [];
  const exclude: Unit[] = [];
  let joinNext = false;
  for (const t of tokens) {
    if (t === 'OR') {
      joinNext = clauses.length > 0;
      continue;
    }
    if (t.negated) {
      exclude.push(t.unit);
      joinNext = false;
      continue;
    }
    if (joinNext) clauses[clauses.length - 1]!.any.push(t.unit);
    else clauses.push({ any: [t.unit] });
    joinNext = false;
  }
  return { clauses, exclude };
}

/** Strip characters that carry no meaning for search, keep letters, digits, apostrophes, hyphens, stars. */
function clean(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[^\p{L}\p{N}\s'*&-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s'-]+|[\s'-]+$/g, '')
    .trim();
}

function isSingleWord(s: string): boolean {
  return !/[\s-]/.test(s);
}

function applyFilter(f: Filters, key: string, value: string): void {
  const v = value.replace(/^"|"$/g, '');
  if (key === 'council') f.council.push(v.replace(/[_+]/g, ' ').toLowerCase());
  else if (key === 'type') f.type.push(parseType(v, 'type'));
  else if (key === 'judgement') f.judgement.push(v.replace(/[_+-]/g, ' ').toLowerCase());
  else if (key === 'from') f.from = parseYear(v, 'from');
  else if (key === 'to') f.to = parseYear(v, 'to');
  else {
    const range = /^(\d{4})(?:\.\.|-)(\d{4})$/.exec(v);
    if (range) {
      f.from = parseYear(range[1]!, 'year');
      f.to = parseYear(range[2]!, 'year');
    } else {
      f.from = parseYear(v, 'year');
      f.to = f.from;
    }
  }
}

export function parseType(v: string, param: string): ReportType {
  const t = v.toLowerCase().replace(/[_ ]/g, '-');
  const alias: Record<string, ReportType> = { 'focused': 'focused-visit', 'fv': 'focused-visit', 'scrutiny': 'committee', 'slac': 'slac', 'safeguarding': 'slac' };
  const type = (REPORT_TYPES as readonly string[]).includes(t) ? (t as ReportType) : alias[t];
  if (!type) throw badParam(param, `must be one of ${REPORT_TYPES.join(', ')} (got "${v.slice(0, 40)}")`);
  return type;
}

export function parseYear(v: string, param: string): number {
  if (!/^\d{4}$/.test(v)) throw badParam(param, `must be a year such as 2019 (got "${v.slice(0, 40)}")`);
  const y = Number(v);
  if (y < 1990 || y > 2100) throw badParam(param, `must be a year between 1990 and 2100 (got ${y})`);
  return y;
}

/** Merge filters given as URL parameters into those written in the query text. */
export function mergeFilters(a: Filters, b: Partial<Filters>): Filters {
  return {
    council: [...a.council, ...(b.council ?? [])],
    type: [...a.type, ...(b.type ?? [])],
    from: b.from ?? a.from,
    to: b.to ?? a.to,
    judgement: [...a.judgement, ...(b.judgement ?? [])],
  };
}

/** True when the query has something to search for (not only filters or exclusions). */
export function hasTerms(q: ParsedQuery): boolean {
  return q.clauses.length > 0;
}

/** The positive text of the query, for embedding: words and phrases without operators. */
export function semanticText(q: ParsedQuery): string {
  return q.clauses.map((c) => c.any.map((u) => u.text).join(' or ')).join(' ');
}
