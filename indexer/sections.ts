/**
 * Blocks -> paragraphs: decide which blocks are headings, build the section path of every
 * paragraph, keep printed paragraph numbers, attach bullet lists to their lead-in sentence, and
 * lay the paragraphs out as the cleaned document text (offsets point into it).
 */
import type { Block, Paragraph } from '../core/types.ts';
import { joinLines } from './clean.ts';

/** Separator between paragraphs in the cleaned document text. */
export const PARAGRAPH_SEPARATOR = '\n\n';

const MAX_HEADING_CHARS = 120;
const MAX_HEADING_WORDS = 14;
const GRADE_WORDS = /:\s*(outstanding|good|adequate|requires improvement(?: to be good)?|inadequate|not judged)\s*$/i;
/** "29. The local authority ...", "3.2 Children ...": a printed paragraph number. */
const PARAGRAPH_NUMBER = /^(\d{1,3}(?:\.\d{1,2}){0,2})(?:\.\s+|\s+(?=[A-Z(‘'"]))(?=\S)/;
/** Numbered headings: "1. Purpose of the report", "2.3 Financial implications". */
const NUMBERED_HEADING = /^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+([A-Z][^.!?;]*)$/;
const BULLET = /^[-–•]\s+/;
/** Short lines that read like headings in these reports even in sentence case. */
const KNOWN_TOP_HEADINGS = new Set(
  [
    'summary', 'contents', 'introduction', 'recommendations', 'areas for improvement',
    'about this inspection', 'service information', 'safeguarding services',
    'services for looked after children', 'overall effectiveness', 'capacity for improvement',
    'capacity to improve', 'leadership and management', 'the inspection judgements and what they mean',
    'being healthy', 'staying safe', 'enjoying and achieving', 'making a positive contribution',
    'achieving economic well-being', 'achieving economic wellbeing', 'what needs to improve',
    'what needs to improve in this local authority', 'main findings', 'key findings',
    'information about this inspection', 'information about this local authority',
    'judgement', 'judgements', 'executive summary', 'background', 'conclusion', 'conclusions',
  ],
);

const CONTENTS_LEVEL = 99;

/** Cover-page fields printed large or bold: not section headings. */
const COVER_FIELDS = /^(inspection dates?|lead inspector|reporting inspector|age group|published|reference no|dates? of (inspection|visit)|local authority)\b[^:]*:/i;

interface Draft {
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
  heading: boolean;
  level: number;
  number: string | null;
  list: boolean;
}

/** Turn a document's blocks into paragraphs with section paths and offsets. */
export function toParagraphs(blocks: Block[]): Paragraph[] {
  const drafts = mergeLists(joinContinuations(blocks.filter((b) => b.text.trim() !== '')).map(classify));
  assignLevels(drafts);
  const out: Paragraph[] = [];
  const stack: Array<{ title: string; level: number }> = [];
  let offset = 0;
  drafts.forEach((d, i) => {
    if (d.heading) {
      while (stack.length > 0 && stack[stack.length - 1]!.level >= d.level) stack.pop();
      stack.push({ title: d.text, level: d.level });
    }
    const section = d.heading ? stack.slice(0, -1).map((s) => s.title) : stack.map((s) => s.title);
    if (offset > 0) offset += PARAGRAPH_SEPARATOR.length;
    out.push({
      anchor: `p${i + 1}`,
      text: d.text,
      section,
      number: d.number,
      pageStart: d.pageStart,
      pageEnd: d.pageEnd,
      start: offset,
      end: offset + d.text.length,
      heading: d.heading,
    });
    offset += d.text.length;
  });
  return withoutTitlePrefix(out);
}

/**
 * The report's title and subtitle, when set as headings, would start every section path
 * ("London Borough of X > Inspection of children's services > ..."): a prefix shared by the
 * sections of (nearly) all paragraphs is dropped from the paths. Headings stay in the text.
 */
function withoutTitlePrefix(ps: Paragraph[]): Paragraph[] {
  const body = ps.filter((p) => !p.heading);
  const withSection = body.filter((p) => p.section.length > 0);
  if (withSection.length < 3 || withSection.length < body.length * 0.8) return ps;
  let n = 0;
  const first = withSection[0]!.section;
  while (n < first.length && withSection.every((p) => p.section.length > n && p.section[n] === first[n])) n++;
  if (n === 0) return ps;
  return ps.map((p) => (p.section.slice(0, n).every((s, i) => s === first[i]) ? { ...p, section: p.section.slice(n) } : p));
}

/** The cleaned document text for a list of paragraphs (the text their offsets point into). */
export function documentText(paragraphs: Paragraph[]): string {
  return paragraphs.map((p) => p.text).join(PARAGRAPH_SEPARATOR);
}

function classify(block: Block): Draft {
  const text = block.text.replace(/[ \t]+/g, ' ').trim();
  const base = { text, pageStart: block.pageStart, pageEnd: block.pageEnd, number: null, list: false };
  const numbered = NUMBERED_HEADING.exec(text);
  if (numbered && isNumberedHeading(numbered[2]!) && block.hint !== 'table-row') {
    return { ...base, heading: true, level: numbered[1]!.split('.').length };
  }
  if (block.hint !== 'table-row' && isHeading(text, block)) {
    return { ...base, heading: true, level: block.level ?? 0 };
  }
  const num = PARAGRAPH_NUMBER.exec(text);
  const list = block.hint === 'list-item' || BULLET.test(text);
  return { ...base, heading: false, level: 0, number: num && !list ? num[1]! : null, list };
}

function isHeading(text: string, block: Block): boolean {
  if (text.length > MAX_HEADING_CHARS || text.split(' ').length > MAX_HEADING_WORDS) return false;
  if (!/^[A-Z0-9‘'"(]/.test(text) || BULLET.test(text)) return false;
  if (/^grade\s+\d/i.test(text)) return false; // "Grade 2 (Good)": a judgement line, not a heading
  if (COVER_FIELDS.test(text)) return false; // "Inspection dates: 11 June 2018 to 22 June 2018"
  if (GRADE_WORDS.test(text)) return true; // ILACS: "The experiences and progress of care leavers: good"
  if (block.hint === 'heading') return !/[,;]$/.test(text);
  if (block.hint === 'list-item') return false;
  if (isKnownHeading(text)) return true;
  if (isAllCaps(text)) return true;
  // Text files carry no layout: a short Title Case line without sentence punctuation.
  return block.pageStart === null && isHeadingShaped(text) && isTitleCase(text);
}

/** "Purpose of the report", not the first line of a numbered paragraph cut off by the layout. */
function isNumberedHeading(rest: string): boolean {
  return isHeadingShaped(rest) && rest.split(' ').length <= 8 && !rest.includes(',') && !OPEN_END.test(rest);
}

/** A line ending in one of these words stops mid-sentence. */
const OPEN_END = /\b(of|the|a|an|and|or|to|in|for|with|by|on|at|as|is|are|be|that|which|their|its|from|has|have|was|were)$/i;

function isKnownHeading(text: string): boolean {
  return KNOWN_TOP_HEADINGS.has(text.toLowerCase().replace(/[:.?]$/, ''));
}

function isHeadingShaped(text: string): boolean {
  // A line ending in ':' leads into a list or a sentence ("Immediately:"), it does not head a section.
  if (/[.;,!?:]$/.test(text) && !/\.\.\.$/.test(text)) return false;
  if (/\d{3,}|@|https?:|www\./.test(text)) return false; // addresses, phone numbers, links
  const words = text.split(' ');
  return words.length <= MAX_HEADING_WORDS && text.length <= MAX_HEADING_CHARS && /[a-z]/i.test(text);
}

function isAllCaps(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 4 && letters === letters.toUpperCase() && isHeadingShaped(text) && text.split(' ').length >= 2;
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'who', 'are', 'is', 'their', 'this', 'what', 'how', 'be']);

function isTitleCase(text: string): boolean {
  const words = text.replace(/[:–-]/g, ' ').split(/\s+/).filter((w) => /[a-z]/i.test(w));
  if (words.length === 0 || words.length > 10) return false;
  const capitalised = words.filter((w) => /^[A-Z0-9‘'"(]/.test(w)).length;
  const small = words.filter((w) => SMALL_WORDS.has(w.toLowerCase())).length;
  // Every word that is not a small word is capitalised, or the line is 1-3 words.
  return capitalised + small >= words.length && (capitalised >= 2 || words.length <= 3);
}

/**
 * A block that stops mid-sentence followed by one that starts in lower case is one paragraph the
 * reader split (a layout quirk, a stray line break, a page break): join them, whatever the format.
 */
function joinContinuations(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    const pagesClose = !prev || prev.pageEnd === null || b.pageStart === null || b.pageStart - prev.pageEnd <= 1;
    if (
      prev && pagesClose && prev.hint !== 'heading' && prev.hint !== 'table-row' && b.hint !== 'table-row' && b.hint !== 'heading' &&
      b.hint !== 'list-item' && !/[.!?:;]["')\]’”]?$/.test(prev.text.trim()) && /^[a-z]/.test(b.text.trim())
    ) {
      out[out.length - 1] = { ...prev, text: joinLines([prev.text.trim(), b.text.trim()]), pageEnd: b.pageEnd ?? prev.pageEnd };
      continue;
    }
    out.push(b);
  }
  return out;
}

/** Bullet items join their lead-in sentence (a paragraph ending with ':') into one paragraph. */
function mergeLists(drafts: Draft[]): Draft[] {
  const out: Draft[] = [];
  for (const d of drafts) {
    const prev = out[out.length - 1];
    const leadIn = prev && !prev.heading && (prev.text.endsWith(':') || prev.list);
    if (d.list && prev && leadIn) {
      prev.text = `${prev.text}\n${d.text}`;
      prev.pageEnd = d.pageEnd ?? prev.pageEnd;
      prev.list = true;
      continue;
    }
    out.push({ ...d });
  }
  return out;
}

/**
 * Give every heading a level. Levels from layout or numbering are kept; a heading with no level
 * nests under a heading directly before it, and otherwise takes the level of the deepest open one.
 */
function assignLevels(drafts: Draft[]): void {
  let lastLevel = 1;
  let prevWasHeading = false;
  for (const d of drafts) {
    if (!d.heading) {
      prevWasHeading = false;
      continue;
    }
    if (/^(table of )?contents$/i.test(d.text)) {
      // The contents list sits under its heading until the next heading of any level.
      d.level = CONTENTS_LEVEL;
      prevWasHeading = true;
      continue;
    }
    if (d.level === 0) {
      if (isKnownHeading(d.text) && !prevWasHeading) d.level = 1;
      else if (isAllCaps(d.text)) d.level = 1;
      else d.level = prevWasHeading ? lastLevel + 1 : Math.max(lastLevel, 1);
    }
    lastLevel = d.level;
    prevWasHeading = true;
  }
}
