/**
 * Find where query units occur in a text, with offsets. One matcher serves phrase checks
 * (MiniSearch has no phrase search), every-mention counts and snippet highlighting, so what is
 * counted is exactly what is highlighted.
 *   word    matches any word with the same stem ("fostering" ~ "foster", "fosters")
 *   phrase  matches the same words in order, case-insensitive, across spaces, hyphens and line breaks
 *   prefix  matches words starting with it
 *   stems   a sequence of stems in order (thesaurus alternatives)
 *   loose   words in order, each by stem ("care leaver" ~ "care leavers"); stop words literally
 */
import { normalizeTerm } from './keyword-options.ts';
import type { Unit } from './query.ts';

export type Matchable = Unit | { kind: 'stems'; stems: string[] } | { kind: 'loose'; text: string };

export interface Span {
  start: number;
  end: number;
}

interface Tok {
  start: number;
  end: number;
  lower: string;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const stemCache = new Map<string, string | null>();

/** Stem of a lower-case word, cached (surface forms repeat a lot). */
export function stemOf(lower: string): string | null {
  let s = stemCache.get(lower);
  if (s === undefined) {
    s = normalizeTerm(lower);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(lower, s);
  }
  return s;
}

export function tokensOf(text: string): Tok[] {
  const out: Tok[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase().replace(/’/g, "'") });
  return out;
}

/** Lower-case words of a query unit's text, split the way document text is split. */
export function wordsOf(text: string): string[] {
  return tokensOf(text).map((t) => t.lower);
}

/** A compiled matcher: returns every occurrence in the given tokens. */
export type CompiledMatcher = (toks: Tok[]) => Span[];

export function compile(unit: Matchable): CompiledMatcher | null {
  if (unit.kind === 'stems') {
    const stems = unit.stems;
    if (stems.length === 0) return null;
    return (toks) => sequence(toks, stems.length, (t, i) => stemOf(t.lower) === stems[i]);
  }
  const words = wordsOf(unit.text);
  if (words.length === 0) return null;
  if (unit.kind === 'loose') {
    const stems = words.map(stemOf);
    return (toks) => sequence(toks, words.length, (t, i) => (stems[i] === null ? t.lower === words[i] : stemOf(t.lower) === stems[i]));
  }
  if (unit.kind === 'prefix') {
    const p = words[0]!;
    return (toks) => toks.filter((t) => t.lower.startsWith(p)).map(span);
  }
  if (unit.kind === 'word' && words.length === 1) {
    const stem = stemOf(words[0]!);
    // A stop word is not searched for, so it is neither counted nor marked.
    if (stem === null) return null;
    return (toks) => toks.filter((t) => t.lower === words[0] || stemOf(t.lower) === stem).map(span);
  }
  return (toks) => sequence(toks, words.length, (t, i) => t.lower === words[i]);
}

function sequence(toks: Tok[], n: number, eq: (t: Tok, i: number) => boolean): Span[] {
  const out: Span[] = [];
  for (let i = 0; i + n <= toks.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) ok = eq(toks[i + j]!, j);
    if (ok) {
      out.push({ start: toks[i]!.start, end: toks[i + n - 1]!.end });
      i += n - 1;
    }
  }
  return out;
}

function span(t: Tok): Span {
  return { start: t.start, end: t.end };
}

/** All occurrences of any of the units in the text, merged and sorted. */
export function findAll(text: string, units: Matchable[]): Span[] {
  const toks = tokensOf(text);
  const spans: Span[] = [];
  for (const u of units) {
    const m = compile(u);
    if (m) spans.push(...m(toks));
  }
  return mergeSpans(spans);
}

export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** A literal first word that any occurrence of the unit must contain (lower case), for cheap pre-checks. */
export function literalHint(unit: Unit | { kind: 'loose'; text: string }): string | null {
  const words = wordsOf(unit.text);
  if (words.length === 0) return null;
  if (unit.kind !== 'phrase' && unit.kind !== 'prefix') {
    // Stems: the first letters of the longest word are always there.
    const w = words.reduce((a, b) => (stemOf(b) !== null && b.length > a.length ? b : a), words[0]!);
    // Stemming changes only the end of a word: the first letters are always there.
    return w.length > 4 ? w.slice(0, Math.max(3, Math.min(w.length - 3, 6))) : w.slice(0, 3);
  }
  return words.reduce((a, b) => (b.length > a.length ? b : a));
}
