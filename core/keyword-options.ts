/**
 * The keyword-search language layer shared by the indexer (building the keyword index) and the
 * server (querying it): how text becomes tokens and how tokens become index terms (lowercase,
 * diacritics folded, stop words dropped, Porter-stemmed). Both sides must use exactly these
 * functions, or queries stop matching the index.
 *
 * Any change to tokenize/normalizeTerm changes the saved keyword index: bump
 * KEYWORD_FORMAT_VERSION (core/keyword-index.ts) with it.
 */
import { stemmer } from 'stemmer';
import type { Chunk } from './types.ts';
import { STOP_WORDS } from './stopwords.ts';

/** What the keyword index reads from a chunk (a whole Chunk fits). */
export type KeywordDoc = Pick<Chunk, 'id' | 'text' | 'section'>;

/** Prefix queries (`foster*`) on fewer characters are refused: too many terms, ~0.5 s on 20k chunks. */
export const MIN_PREFIX_LENGTH = 3;

// Invisible characters PDFs leave inside words (soft hyphen, zero-width space/joiners, BOM).
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
// "children's", "council’s": the possessive/clitic s goes with its apostrophe.
const POSSESSIVE = /(?<=[\p{L}\p{N}])['’ʼ`´]s(?![\p{L}\p{M}\p{N}])/gu;
// A token is either a run of letters/marks/digits containing a letter ("ks2", "16th", "café"),
// or a number with optional thousands groups and decimals ("1,200" -> "1200", "3.2", "2019").
const TOKEN = /\p{N}*\p{L}[\p{L}\p{M}\p{N}]*|\p{N}+(?:,\p{N}{3}(?!\p{N}))*(?:\.\p{N}+)*/gu;

/**
 * Split text into raw tokens (original case kept). Splits on anything that is not a letter or
 * digit, Unicode aware: hyphenated words give their parts ("multi-agency" -> "multi", "agency"),
 * possessive 's is dropped ("children's" -> "children"), other apostrophes split ("don't" ->
 * "don", "t"), numbers are kept whole ("1,200" -> "1200", "3.2" stays "3.2").
 */
export function tokenize(text: string): string[] {
  const cleaned = text.replace(INVISIBLE, '').replace(POSSESSIVE, '');
  const out: string[] = [];
  for (const m of cleaned.matchAll(TOKEN)) out.push(m[0].includes(',') ? m[0].replace(/,/g, '') : m[0]);
  return out;
}

/** Lowercase and fold diacritics and compatibility forms ("Café" -> "cafe", "ﬁ" -> "fi"). */
export function foldTerm(term: string): string {
  return term.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

// Words folded before stemming: irregular plurals Porter leaves apart (so "child protection"
// also finds "children's protection" and "young person" finds "young people"), and US spellings
// of words the reports spell the UK way.
const VARIANTS: ReadonlyMap<string, string> = new Map([
  ['children', 'child'],
  ['childrens', 'child'],
  ['people', 'person'],
  ['peoples', 'person'],
  ['women', 'woman'],
  ['men', 'man'],
  ['judgment', 'judgement'],
  ['judgments', 'judgement'],
  ['behavior', 'behaviour'],
  ['behaviors', 'behaviour'],
  ['behavioral', 'behavioural'],
  ['program', 'programme'],
  ['programs', 'programme'],
  ['center', 'centre'],
  ['centers', 'centre'],
  ['pediatric', 'paediatric'],
  ['counseling', 'counselling'],
  ['counselor', 'counsellor'],
  ['counselors', 'counsellor'],
  ['enrollment', 'enrolment'],
  ['offense', 'offence'],
  ['offenses', 'offence'],
]);

// US "-ize" spellings fold to the UK "-ise" used in the reports ("prioritized" -> "prioritised").
const IZE = /iz(e|es|ed|ing|ation|ations|er|ers)$/;

/**
 * Turn one raw token into its index term, or null when it is not indexed: lowercase, fold
 * diacritics, drop stop words and one-letter tokens (single digits are kept: "grade 2",
 * "key stage 2"), fold irregular plurals and US spellings (VARIANTS, "-ize"), then Porter-stem.
 */
export function normalizeTerm(term: string): string | null {
  const t = foldTerm(term);
  if (t.length === 0) return null;
  if (t.length === 1 && !/\p{N}/u.test(t)) return null;
  if (STOP_WORDS.has(t)) return null;
  if (/^[\p{N}.]+$/u.test(t)) return t;
  const word = VARIANTS.get(t) ?? (t.length > 5 ? t.replace(IZE, 'is$1') : t);
  const stem = stemmer(word);
  return stem.length > 0 ? stem : null;
}

/** One query token: as typed, and its index term. */
export interface QueryToken {
  raw: string;
  term: string;
}

/** Tokenize a query and normalise each token, keeping the raw form of each kept term. */
export function queryTokens(text: string): QueryToken[] {
  const out: QueryToken[] = [];
  for (const raw of tokenize(text)) {
    const term = normalizeTerm(raw);
    if (term !== null) out.push({ raw, term });
  }
  return out;
}

/** The index terms of a query string, in order (stop words and dropped tokens removed). */
export function queryTerms(text: string): string[] {
  return queryTokens(text).map((t) => t.term);
}

/**
 * Index term for a prefix query (`safeguard*`): folded and lowercased, cut back to what the
 * prefix shares with its own Porter stem so "fostering*" searches "foster…" (the index holds
 * stems). Null when shorter than MIN_PREFIX_LENGTH. Limitation: a prefix that runs past the
 * stem of the words it should find ("accommodat*" vs stem "accommod") finds nothing.
 */
export function normalizePrefix(prefix: string): string | null {
  const t = foldTerm(prefix).replace(/[^\p{L}\p{N}]+/gu, '');
  if (t.length < MIN_PREFIX_LENGTH) return null;
  const variant = VARIANTS.get(t);
  if (variant !== undefined) return stemmer(variant);
  const stem = stemmer(t);
  let n = 0;
  while (n < t.length && n < stem.length && t[n] === stem[n]) n++;
  return n >= MIN_PREFIX_LENGTH ? t.slice(0, n) : t;
}

/**
 * Edit distance allowed for a processed (stemmed) query term that the index does not have (a
 * likely typo; known terms are never fuzzy): none below `minLength` characters or with digits, 1
 * edit up to 8 characters, 2 from 9. Five-letter stems stay exact by default because one edit on
 * them reaches common words ("carer" -> "care", "career", "cater").
 */
export function fuzzyFor(term: string, minLength = 6): number {
  if (term.length < minLength || /\p{N}/u.test(term)) return 0;
  return term.length < 9 ? 1 : 2;
}
