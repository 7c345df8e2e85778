/**
 * Document metadata from a report's text and file name: type, council, date, judgements and a
 * human title. The text decides first; the file name (folder "80496_hackney", file
 * "children's services inspection - 20 august 2024.pdf") is the fallback. The builder adds id,
 * format, pages, words and hash; a catalog.json entry (catalog.ts) can override any field.
 *
 * Pass the whole cleaned text when you have it: the type, council, title and date are read from
 * the first pages only, but some judgements sit further in (SLAC looked-after grades, the SIF
 * LSCB judgement, JAR and APA grade tables).
 */
import type { DocMeta, ReportType } from '../core/types.ts';
import { findCouncilMentions, lookupCouncil } from './councils.ts';
import { dateAfter, findDates, formatLongDate } from './metadata-dates.ts';
import { extractJudgements } from './metadata-judgements.ts';

export interface MetaInput {
  /** Path relative to the corpus, forward slashes. */
  source: string;
  /** The cleaned text (at least the first pages), block texts joined by '\n'. */
  text: string;
  /** Title hint from the format (HTML <title>, PDF info), may be junk. */
  title: string | null;
}

/** The metadata read from a report's text and name (the builder adds id, source, format, sizes). */
export type ExtractedMeta = Pick<DocMeta, 'title' | 'council' | 'date' | 'year' | 'type' | 'judgements'>;

/** How far into the text the type, council and date are looked for. */
const HEAD = 4000;
/** How far council mentions are counted. */
const COUNCIL_WINDOW = 20_000;

interface TypeSignal {
  type: ReportType;
  re: RegExp;
}

/** Title phrases of each kind of report; the earliest one in the head decides. */
const TYPE_SIGNALS: TypeSignal[] = [
  { type: 'apa', re: /annual\s+performance\s+assessment/i },
  { type: 'jar', re: /\bjoint\s+area\s+review\b/i },
  { type: 'slac', re: /inspection\s+of\s+(?:safeguarding\s+and\s+)?looked\s+after\s+children(?:'s)?\s+services/i },
  { type: 'sif', re: /(?:re-)?inspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+protection,?\s+children\s+looked\s+after\s+and\s+care\s+leavers/i },
  { type: 'ilacs', re: /inspection\s+of\s+(?:the\s+)?(?:[A-Z][\w,'-]*\s+){0,8}?local\s+authority\s+children's\s+services|inspection\s+of\s+children's\s+social\s+care\s+services/i },
  { type: 'focused-visit', re: /focused\s+visit\s+to\b/i },
  { type: 'committee', re: /overview\s+(?:and|&)\s+scrutiny|scrutiny\s+(?:commission|committee|panel|sub-committee)|^\s*agenda\s*$|notice\s+of\s+(?:meeting|decision)|minutes\s+of\s+(?:the|a)\s+meeting|^\s*minutes\s*$/im },
];

const FILE_TYPE_SIGNALS: TypeSignal[] = [
  { type: 'apa', re: /\bapa\b|annual[\s_-]+performance/i },
  { type: 'jar', re: /\bjar\b|joint[\s_-]+area[\s_-]+review/i },
  { type: 'slac', re: /\bslac\b|safeguarding[\s_-]+and[\s_-]+looked[\s_-]+after/i },
  { type: 'sif', re: /\bsif\b|single[\s_-]+inspection/i },
  { type: 'ilacs', re: /\bilacs\b/i },
  { type: 'focused-visit', re: /focused[\s_-]+visit/i },
  { type: 'committee', re: /agenda|minutes|committee|scrutiny|cabinet/i },
];

function detectType(head: string, source: string): { type: ReportType; match: RegExpExecArray | null } {
  let best: { type: ReportType; match: RegExpExecArray } | null = null;
  for (const s of TYPE_SIGNALS) {
    const m = s.re.exec(head);
    if (m && (best === null || m.index < best.match.index)) best = { type: s.type, match: m };
  }
  if (best) return best;
  const name = source.split('/').pop() ?? source;
  for (const s of FILE_TYPE_SIGNALS) if (s.re.test(name)) return { type: s.type, match: null };
  return { type: 'other', match: null };
}

/** The council named in the folder or file name ("80496_hackney/..."), or null. */
function councilFromPath(source: string): string | null {
  const parts = source.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    const c = lookupCouncil(parts[i]!);
    if (c) return c;
  }
  const stem = (parts[parts.length - 1] ?? '').replace(/\.[^.]+$/, '');
  return lookupCouncil(stem.split(/\s+-\s+/)[0] ?? stem);
}

const STRONG_COUNCIL = [
  /Inspection\s+of\s+(?:the\s+)?(.{2,70}?)\s+local\s+authority\s+children's\s+services/,
  /Children's\s+services\s+in\s+(?:the\s+)?(.{2,70}?)\s+(?:are|is|requires?)\s/,
  /Focused\s+visit\s+to\s+(?:the\s+)?(.{2,70}?)\s+(?:local\s+authority\s+)?children's\s+services/i,
];

function detectCouncil(text: string, source: string): string | null {
  const head = text.slice(0, HEAD);
  for (const re of STRONG_COUNCIL) {
    const m = re.exec(head);
    const c = m ? lookupCouncil(m[1]!.replace(/\s+/g, ' ')) : null;
    if (c) return c;
  }
  const scores = new Map<string, number>();
  for (const m of findCouncilMentions(text.slice(0, COUNCIL_WINDOW))) {
    const bonus = m.index < 300 ? 10 : m.index < 2000 ? 3 : 0;
    scores.set(m.council, (scores.get(m.council) ?? 0) + 1 + bonus);
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [c, s] of scores) {
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  if (best && bestScore >= 3) return best;
  return councilFromPath(source) ?? best;
}

const WEEKDAY_DATE = /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+(?:19|20)\d{2})/;
const PUBLISHED = /\b(?:Report\s+published|Date\s+published|Publication\s+date|Published)\b:?/;
const INSPECTION_DATES = /\bInspection\s+dates?\b:?/i;

function fileNameDate(source: string): string | null {
  const name = (source.split('/').pop() ?? '').replace(/\.[^.]+$/, '');
  const dates = findDates(name);
  return dates.length > 0 ? dates[dates.length - 1]!.iso : null;
}

/** A date alone on a line near the top, as letters print theirs. */
function letterDate(head: string): string | null {
  for (const line of head.split('\n')) {
    const t = line.trim();
    if (t.length > 0 && t.length <= 30) {
      const d = findDates(t);
      if (d.length === 1 && d[0]!.index === 0 && d[0]!.end === t.length) return d[0]!.iso;
    }
  }
  return null;
}

function detectDate(text: string, type: ReportType, source: string): string | null {
  const head = text.slice(0, HEAD);
  const flat = head.replace(/\s+/g, ' ');
  const published = dateAfter(flat, PUBLISHED, 60);
  const inspected = dateAfter(flat, INSPECTION_DATES, 80, true);
  const first = findDates(head)[0]?.iso ?? null;
  const fromName = fileNameDate(source);
  switch (type) {
    case 'apa':
    case 'focused-visit':
      return letterDate(head) ?? published ?? first ?? fromName;
    case 'committee': {
      const m = WEEKDAY_DATE.exec(flat);
      return (m ? findDates(m[1]!)[0]?.iso : null) ?? first ?? fromName;
    }
    case 'other':
      return published ?? inspected ?? fromName ?? first;
    default:
      return published ?? inspected ?? fromName ?? first;
  }
}

/** Lower-case an ALL-CAPS or Title Case heading and put the council's short name back. */
function sentenceCase(phrase: string, council: string | null): string {
  let s = phrase.replace(/\s+/g, ' ').trim();
  const letters = s.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  if (letters.length > 0 && upper / letters.length > 0.6) s = s.toLowerCase();
  if (council) {
    const names = findCouncilMentions(phrase.replace(/\s+/g, ' ')).map((m) => m.text.toLowerCase());
    for (const n of new Set([council.toLowerCase(), ...names])) {
      const esc = n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
      const re = new RegExp(
        `(?:the\\s+)?(?:london\\s+borough\\s+of\\s+|royal\\s+borough\\s+of\\s+|metropolitan\\s+borough\\s+of\\s+|city\\s+of\\s+)?${esc}(?:\\s+metropolitan\\s+borough\\s+council|\\s+county\\s+council|\\s+city\\s+council|\\s+borough\\s+council)?(?![a-z])`,
        'gi',
      );
      s = s.replace(re, council);
    }
  }
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function plausibleHint(hint: string | null): string | null {
  if (!hint) return null;
  const t = hint.replace(/\s+/g, ' ').trim();
  if (t.length < 8 || t.length > 200) return null;
  if (/microsoft|\.docx?$|\.pdf$|^untitled|^document\d*$|not found|^[\d\s_-]+$/i.test(t)) return null;
  return t;
}

function firstLine(head: string): string | null {
  for (const line of head.split('\n')) {
    const t = line.trim();
    if (t.length >= 4 && /[A-Za-z]{3}/.test(t)) return t.length > 150 ? `${t.slice(0, 147).trimEnd()}...` : t;
  }
  return null;
}

function committeeName(head: string): string | null {
  for (const line of head.split('\n').slice(0, 40)) {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t.length > 0 && t.length <= 100 && /\b(?:Commission|Committee|Sub-Committee|Panel|Cabinet|Board|Forum)$/.test(t)) return t;
  }
  return null;
}

function makeTitle(
  type: ReportType,
  match: RegExpExecArray | null,
  head: string,
  council: string | null,
  date: string | null,
  input: MetaInput,
): string {
  const c = council;
  const phrase = match ? match[0].replace(/\s+/g, ' ') : null;
  const fallback = plausibleHint(input.title) ?? firstLine(head) ?? (input.source.split('/').pop() ?? input.source).replace(/\.[^.]+$/, '');
  switch (type) {
    case 'ilacs':
      if (phrase && /local authority/i.test(phrase)) return c ? `Inspection of ${c} local authority children's services` : sentenceCase(phrase, null);
      return c ? `${c}: inspection of children's social care services` : "Inspection of children's social care services";
    case 'sif':
    case 'slac': {
      const p = phrase ? sentenceCase(phrase, null) : type === 'sif' ? 'Inspection of services for children in need of help and protection, children looked after and care leavers' : 'Inspection of safeguarding and looked after children services';
      return c ? `${c}: ${lowerFirst(p)}` : p;
    }
    case 'apa': {
      if (match) {
        const lineStart = head.lastIndexOf('\n', match.index) + 1;
        const lineEnd = head.indexOf('\n', match.index);
        const line = head.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim();
        if (line.length <= 250) return sentenceCase(line, c);
      }
      return c ? `Annual performance assessment: ${c}` : 'Annual performance assessment';
    }
    case 'jar':
      return c ? `Joint area review: ${c}` : 'Joint area review';
    case 'focused-visit':
      return c ? `Focused visit to ${c} children's services` : 'Focused visit to children\'s services';
    case 'committee': {
      const name = committeeName(head) ?? (c ? `${c} committee papers` : 'Committee papers');
      return date ? `${name}, ${formatLongDate(date)}` : name;
    }
    default:
      return sentenceCase(fallback, c);
  }
}

export function extractMeta(input: MetaInput): ExtractedMeta {
  const text = input.text.replace(/\r\n?/g, '\n').replace(/[’‘`]/g, "'").replace(/\u00a0/g, ' ');
  const head = text.slice(0, HEAD);
  const { type, match } = detectType(head, input.source);
  const council = detectCouncil(text, input.source);
  const date = detectDate(text, type, input.source);
  const yearFromName = /\b((?:19|20)\d{2})\b/.exec(input.source.split('/').pop() ?? '');
  const year = date ? Number(date.slice(0, 4)) : yearFromName ? Number(yearFromName[1]) : null;
  const judgements = extractJudgements(type, text);
  const title = makeTitle(type, match, head, council, date, input);
  return { title, council, date, year, type, judgements };
}
