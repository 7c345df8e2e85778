/**
 * Find where query units occur in a text, with offsets. One matcher serves phrase checks
 * (MiniSearch has no phrase search), every-mention counts and snippet highlighting, so what is
 * counted is exactly what is highlighted.
 *   word    matches any word with the same stem ("fostering" ~ "foster", "fosters")
 *   phrase  the words in order, case-insensitive, with only spaces, hyphens or line breaks between
 *           them ("edge of care", "edge-of-care", and "life-long" for "lifelong" and back); the
 *           last word may carry an ending, as plurals do
 *           ("return home interview" finds "return home interviews", "young carer" finds "young
 *           carers"); the others must be as typed ("private fostering" does not find "privately
 *           fostered")
 *   exact   as phrase, but the last word too must be as typed
 *   prefix  matches words starting with it
 *   stems   a sequence of stems in order (thesaurus alternatives)
 */
import { normalizeTerm } from './keyword-options.ts';
import type { Unit } from './query.ts';

export type Matchable = Unit | { kind: 'stems'; stems: string[] };

export interface Span {
  start: number;
  end: number;
}

interface Tok {
  start: number;
  end: number;
  lower: string;
  /** Only spaces, hyphens or line breaks (or nothing) stand between this word and the one before. */
  joined: boolean;
  /** A hyphen joins this word to the one before ("life-long", or "life-" at a line end). */
  hyphened: boolean;
}

/** What may stand between the words of a phrase: white space and hyphens (soft, non-breaking). */
const JOINER = /^[\s\-\u2010\u2011\u00ad]*$/;

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
  let last = 0;
  while ((m = WORD.exec(text)) !== null) {
    const gap = text.slice(last, m.index);
    const joined = JOINER.test(gap);
    out.push({ start: m.index, end: m.index + m[0].length, lower: m[0].toLowerCase().replace(/’/g, "'"), joined, hyphened: joined && /[-\u2010\u2011\u00ad]/.test(gap) });
    last = m.index + m[0].length;
  }
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
  // phrase and exact: the typed words' letters, read across words joined only by spaces and
  // hyphens; a typed word may be split by a hyphen in the text ("lifelong" finds "life-long") and
  // typed words may be joined in it; a phrase may end inside a word.
  const target = words.join('');
  const bounds = new Set(words.map((_, i) => words.slice(0, i).join('').length));
  const runOn = unit.kind === 'phrase';
  return (toks) => {
    const out: Span[] = [];
    for (let i = 0; i < toks.length; i++) {
      const end = matchFrom(toks, i, target, bounds, runOn);
      if (end < 0) continue;
      out.push({ start: toks[i]!.start, end: toks[end]!.end });
      i = end;
    }
    return out;
  };
}

/** Index of the last token of a match of `target` starting at token i, or -1. */
function matchFrom(toks: Tok[], i: number, target: string, bounds: Set<number>, runOn: boolean): number {
  let at = 0;
  for (let j = i; j < toks.length; j++) {
    const t = toks[j]!;
    if (j > i && !(bounds.has(at) ? t.joined : t.hyphened)) return -1;
    const rest = target.length - at;
    if (t.lower.length >= rest) {
      if (!t.lower.startsWith(target.slice(at))) return -1;
      return runOn || t.lower.length === rest ? j : -1;
    }
    if (!target.startsWith(t.lower, at)) return -1;
    at += t.lower.length;
  }
  return -1;
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

/**
 * What any occurrence of the unit must contain (lower case), for cheap pre-checks over a whole
 * document: a `literal` to look for, and for phrases the `letters` that must follow it with only
 * spaces and hyphens between (a phrase's words may be split or joined by them in the text).
 */
export interface Hint {
  literal: string;
  letters?: string;
}

export function literalHint(unit: Unit): Hint | null {
  const words = wordsOf(unit.text);
  if (words.length === 0) return null;
  if (unit.kind === 'word') {
    // Stemming changes only the end of a word: the first letters of the longest word are always there.
    const w = words.reduce((a, b) => (stemOf(b) !== null && b.length > a.length ? b : a), words[0]!);
    return { literal: w.length > 4 ? w.slice(0, Math.max(3, Math.min(w.length - 3, 6))) : w.slice(0, 3) };
  }
  if (unit.kind === 'phrase' || unit.kind === 'exact') return { literal: words[0]!.slice(0, 3), letters: words.join('') };
  return { literal: words.reduce((a, b) => (b.length > a.length ? b : a)) };
}

const JOIN_CHAR = /[\s\-\u2010\u2011\u00ad]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** At `at` in lower-case text starts a word whose letters, read across spaces and hyphens, begin with `letters`. */
export function lettersAt(lower: string, at: number, letters: string): boolean {
  if (at > 0 && WORD_CHAR.test(lower[at - 1]!)) return false;
  let i = at;
  for (let j = 0; j < letters.length; j++) {
    while (j > 0 && i < lower.length && lower[i] !== letters[j] && JOIN_CHAR.test(lower[i]!)) i++;
    if (lower[i] !== letters[j]) return false;
    i++;
  }
  return true;
}
