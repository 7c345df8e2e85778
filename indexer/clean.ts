/**
 * Text cleaning shared by every ingest format: character normalisation, joining wrapped lines
 * (with line-end hyphen repair) and spotting garbage lines (OCR noise, stray foreign script).
 * Pure string functions: no fs, no state.
 */

export interface NormalizeOptions {
  /** Keep tab characters (they separate table cells in the .txt seeds). Default false: tabs become spaces. */
  keepTabs?: boolean;
}

const LIGATURES: Record<string, string> = {
  '\uFB00': 'ff', '\uFB01': 'fi', '\uFB02': 'fl', '\uFB03': 'ffi', '\uFB04': 'ffl', '\uFB05': 'st', '\uFB06': 'st',
  '\u0132': 'IJ', '\u0133': 'ij', '\u0152': 'OE', '\u0153': 'oe',
};

/** Glyphs used as list bullets (incl. symbol-font private-use code points such as U+F0B7). */
const BULLET_CHARS = '\u2022\u25CF\u25A0\u25FC\u25AA\u25AB\u25E6\u2023\u2043\u2219\u25C6\u25C7\u25BA\u25B6\u27A2\u2713\u2714\u2756\u25A1\u274F\u2610\u00B7\u2981\u2B9A';
const HYPHEN_BULLETS = '\u2010\u2011\u2012\u002D\u2013\u2014\u2212';
const PRIVATE_USE = '\uE000-\uF8FF';

const BULLET_AT_LINE_START = new RegExp(
  `^([ \\t]*)(?:[${BULLET_CHARS}${PRIVATE_USE}]|[${HYPHEN_BULLETS}](?=[ \\t]))[ \\t]*(?=\\S)`,
  'gmu',
);
/** A bullet glyph at the start of a tab-separated cell. */
const BULLET_AFTER_TAB = new RegExp(`\\t[ ]*[${BULLET_CHARS}${PRIVATE_USE}][ \\t]*(?=\\S)`, 'gu');
/** A bullet glyph inside running text ("Being healthy • Staying safe"). */
const BULLET_INLINE = new RegExp(`[ ]*[${BULLET_CHARS}${PRIVATE_USE}][ ]*`, 'gu');
/** Bare bullet glyph lines (the text follows on the next line). */
const BULLET_ONLY_LINE = new RegExp(`^[ \\t]*[${BULLET_CHARS}${PRIVATE_USE}][ \\t]*$`, 'gmu');

/**
 * Normalise characters: ligatures, curly quotes to straight, dash variants, bullets to "- " at
 * line start, exotic spaces to ' ', soft hyphens and zero-width characters removed, runs of
 * spaces collapsed, lines trimmed. Newlines are kept (trailing/leading blank lines removed).
 */
export function normalizeChars(s: string, options: NormalizeOptions = {}): string {
  let t = s.replace(/\r\n?/g, '\n');
  t = t.replace(/[\uFB00-\uFB06\u0132\u0133\u0152\u0153]/g, (c) => LIGATURES[c] ?? c);
  // Quotes and apostrophes.
  t = t.replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4\u0060]/g, "'").replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"');
  t = t.replace(/\u2026/g, '...');
  // Invisible characters.
  t = t.replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '');
  t = t.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
  // Exotic spaces (NBSP, thin, figure, ideographic ...).
  t = t.replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
  if (!options.keepTabs) t = t.replace(/\t/g, ' ');
  // Hyphen-like characters that are hyphens, not dashes.
  t = t.replace(/[\u2010\u2011\u2212]/g, '-');
  // Bullets: line start and cell start -> "- "; bare bullet lines dropped; inline bullets -> " - ".
  t = t.replace(BULLET_ONLY_LINE, '');
  t = t.replace(BULLET_AT_LINE_START, '$1- ');
  if (options.keepTabs) t = t.replace(BULLET_AFTER_TAB, '\t- ');
  t = t.replace(BULLET_INLINE, ' - ');
  // Dashes: a range between digits stays tight ("2017-2022"), otherwise a spaced " - ".
  t = t.replace(/(\d)[ ]*[\u2012\u2013\u2014\u2015][ ]*(?=\d)/g, '$1-');
  t = t.replace(/[ ]*[\u2012\u2013\u2014\u2015][ ]*/g, ' - ');
  // Whitespace: collapse spaces, trim around tabs, trim lines, drop leading/trailing blank lines.
  t = t.replace(/ {2,}/g, ' ');
  if (options.keepTabs) t = t.replace(/ *\t */g, '\t');
  t = t
    .split('\n')
    .map((line) => (options.keepTabs ? line.replace(/^ +| +$/g, '') : line.trim()))
    .join('\n');
  return t.replace(/^\n+|\n+$/g, '');
}

/**
 * First parts of compounds that are printed with a hyphen and often fall at a line end in these
 * reports ("multi-" + "agency"): the hyphen is kept when a line ends with one of them.
 */
const KEEP_HYPHEN_FIRST_PARTS = new Set([
  'multi', 'well', 'self', 'co', 'child', 'non', 'long', 'short', 'cross', 'sub', 'pre', 'post', 're', 'tri',
  'semi', 'anti', 'inter', 'intra', 'pro', 'ex', 'vice', 'half', 'mid', 'part', 'full', 'high', 'low',
  'decision', 'information', 'evidence', 'awareness', 'asylum', 'front', 'good', 'year', 'time', 'wide',
  'care', 'work', 'risk', 'outcome', 'family', 'case', 'task', 'face', 'day', 'one', 'two', 'three',
  'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'first', 'second', 'third', 'up', 'on', 'to',
  'of', 'in', 'out', 'off', 'over', 'under', 'much', 'better', 'best', 'poor', 'hard', 'old', 'age',
  'life', 'home', 'whole', 'single', 'joint', 'stand', 'follow', 'learning', 'management', 'trauma',
  'strengths', 'attachment', 'community', 'county', 'council', 'young', 'older', 'longer', 'higher',
  'lower', 'step', 'grand', 'great', 'school', 'early', 'late', 'health', 'hot', 'open', 'note', 'last',
  'extra', 'lead', 'partnership', 'innovation', 'twice', 'private', 'missing', 'jargon', 'blind',
  'foster', 'adult', 'peer', 'self', 'all', 'far', 'ill', 'non', 'e', 'x', 'so', 'ever', 'never',
]);

/** Closed compounds that a line-end hyphen may split but that are written as one word. */
const CLOSED_COMPOUNDS = new Set([
  'safeguarding', 'safeguard', 'safeguards', 'safeguarded', 'caseload', 'caseloads', 'childcare',
  'workforce', 'framework', 'frameworks', 'oversight', 'childminder', 'childminders', 'childminding',
  'grandparent', 'grandparents', 'stepfather', 'stepmother', 'homelessness', 'underachievement',
  'understanding', 'outcomes', 'throughout', 'themselves', 'nevertheless', 'therefore',
  'however', 'whereabouts', 'handover', 'timescales', 'timescale', 'timeliness', 'partnership',
  'partnerships', 'policymakers', 'website', 'feedback', 'workload', 'workloads', 'headteacher',
  'headteachers', 'caregivers', 'caregiver', 'overarching', 'oversee', 'underpinned', 'underpinning',
]);

/** Endings that are word fragments, not words: "inspec-" + "tion", "assess-" + "ment". */
const SUFFIX_FRAGMENT = /^(?:tion|tions|sion|sions|ment|ments|ness|nesses|ing|ings|ity|ities|ance|ances|ence|ences|ally|ably|ibly|able|ible|ful|fully|ous|ously|ive|ively|ised|ized|ise|ize|ises|izes|ising|izing|isation|ization|ers|er|ed|es|ly|al|ant|ants|ent|ents|ure|ures|ular|ology|ologist|ologists|ative|atives|ual|ually|ial|ially|ian|ians|ship|ships|dren|ple|ples|cial|cially|tive|tively|tic|tics|ary|ory|ies|ied|ist|ists|ism|ure|age|ages|ual)$/;

/** A syllable such as "ning", "ting", "tion" after a break: "plan-" + "ning". */
const CONSONANT_SUFFIX = /^[b-df-hj-np-tv-z]{1,2}(?:ing|ings|ed|er|ers|ion|ions|ly|y|ies)$/;

/** Word test used by `dehyphenate`: true when `word` (lower case) is known to be written that way. */
export type KnownWord = (word: string) => boolean;

/**
 * Join the end of one line with the start of the next when the line ends in a hyphen.
 * `left` is the word before the hyphen (without it), `right` the first word of the next line.
 * Returns the joined word: "safe" + "guarding" -> "safeguarding", "multi" + "agency" -> "multi-agency".
 *
 * Order of evidence: a capital or digit after the break, or a digit before it, keeps the hyphen
 * ("16-" + "year-olds", "non-" + "English"); then the optional `known` oracle (typically the words
 * of the same document: the joined form known and the hyphenated one not -> join; the hyphenated
 * one known -> keep); then a closed-compound list; then the compound first-part keep-list; then a
 * suffix fragment after the break joins ("inspec-" + "tion"); otherwise the printed hyphen is kept.
 */
export function dehyphenate(left: string, right: string, known?: KnownWord): string {
  const keep = `${left}-${right}`;
  const join = `${left}${right}`;
  if (right === '' || left === '') return keep;
  if (/^[\p{Lu}\d]/u.test(right) || /\d$/.test(left)) return keep;
  const lastPart = left.slice(left.lastIndexOf('-') + 1).toLowerCase();
  const rightWord = (right.match(/^[\p{L}']+/u)?.[0] ?? right).toLowerCase();
  const joinedWord = lastPart + rightWord;
  if (known) {
    const hyphenKnown = known(`${lastPart}-${rightWord}`);
    const joinKnown = known(joinedWord);
    if (joinKnown && !hyphenKnown) return join;
    if (hyphenKnown) return keep;
  }
  if (CLOSED_COMPOUNDS.has(joinedWord)) return join;
  if (KEEP_HYPHEN_FIRST_PARTS.has(lastPart)) return keep;
  if (SUFFIX_FRAGMENT.test(rightWord) || CONSONANT_SUFFIX.test(rightWord) || !/[aeiouy]/.test(lastPart)) return join;
  return keep;
}

/**
 * Join wrapped lines into one paragraph string: single spaces between lines, and a line-end
 * hyphen repaired with `dehyphenate` (a spaced dash " -" at a line end stays a dash).
 */
export function joinLines(lines: string[], known?: KnownWord): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (out === '') {
      out = line;
      continue;
    }
    const m = /(^|[\s(/"'])([\p{L}\d][\p{L}\d'-]*)-$/u.exec(out);
    const next = /^[\p{L}\d]/u.test(line) ? line : null;
    if (m && next !== null) {
      const left = m[2]!;
      const right = next.match(/^[\p{L}\d][\p{L}\d'-]*/u)![0];
      const word = dehyphenate(left, right, known);
      out = out.slice(0, out.length - left.length - 1) + word + next.slice(right.length);
    } else {
      out = `${out} ${line}`;
    }
  }
  return out;
}

/** Words of a text, lower-cased, for use as a `KnownWord` oracle (hyphenated forms included). */
export function wordSet(text: string): Set<string> {
  const set = new Set<string>();
  for (const m of text.matchAll(/[\p{L}][\p{L}'-]*[\p{L}]/gu)) set.add(m[0].toLowerCase());
  return set;
}

/**
 * True for lines that are noise rather than text: mostly non-Latin script inside an English
 * document ("накіну а розіцує сонцірицон."), mostly stray symbols, or several letter runs none
 * of which reads as a word (no vowel). Short legitimate lines ("29.", "Page 3", "Grade 2 (Good)",
 * numeric table rows, names, acronyms) are not garbage.
 */
export function isGarbageLine(s: string): boolean {
  const t = s.trim();
  if (t === '') return false;
  const letters = t.match(/\p{L}/gu) ?? [];
  const latin = t.match(/\p{Script=Latin}/gu) ?? [];
  // Mostly non-Latin letters.
  if (letters.length >= 3 && latin.length / letters.length < 0.5) return true;
  const nonSpace = t.replace(/\s/g, '');
  const symbols = nonSpace.match(/[^\p{L}\p{N}.,;:!?'"()[\]%£$€&/+\-–—=*@#<>|]/gu) ?? [];
  if (nonSpace.length >= 6 && symbols.length / nonSpace.length > 0.4) return true;
  // Letter runs that do not read as words: no vowel in most of several lower/mixed-case runs.
  const words = t.match(/\p{Script=Latin}{3,}/gu) ?? [];
  const checked = words.filter((w) => w !== w.toUpperCase());
  if (checked.length >= 3) {
    const vowelless = checked.filter((w) => !/[aeiouyAEIOUYàáâäèéêëìíîïòóôöùúûü]/.test(w)).length;
    if (vowelless / checked.length > 0.5) return true;
  }
  return false;
}
