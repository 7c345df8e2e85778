/**
 * Plain text and Markdown reports -> blocks.
 *
 * In the .txt reports every line is a paragraph, heading or table row (numbered paragraphs sit on
 * consecutive lines), so each non-empty line starts a block. A paragraph that a stray break cut in
 * two ("... (ELFT) provides Hackney" / blank / "with specialist CAMHS ...") is joined again: the
 * first part does not end a sentence and is not heading-short, and the next starts in lower case
 * (or the first ends in a word hyphen). Tab-separated rows become table rows with cells joined by
 * " | "; garbage cells and lines are dropped. Markdown adds headings, lists, tables, soft-wrapped
 * paragraphs and inline markup. Form feeds, when present, are page breaks.
 */
import type { Block, IngestedText } from '../../core/types.ts';
import { isGarbageLine, joinLines, normalizeChars } from '../clean.ts';
import { decodeText } from '../detect.ts';

type Hint = NonNullable<Block['hint']>;

/** One classified source line. */
interface Line {
  text: string;
  hint: Hint;
  level?: number;
  page: number | null;
  /** Markdown: a plain line directly after another line of the same paragraph (no blank between). */
  soft: boolean;
}

/** Only these inline formatting tags are removed; anything else tag-like stays literal text. */
const FORMATTING_TAG = /<\/?(?:i|b|em|strong|u|sup|sub|span|br|small|font|s|strike|del|ins|mark|abbr)(?:\s[^<>]*)?\/?>/gi;
/** Sentence end, possibly followed by a closing quote or bracket. */
const TERMINAL = /[.!?:;]["')\]\u2019\u201d]*$/;
/** Lines ending in these words are unfinished whatever their length. */
const OPEN_END = /(?:[,(&/-]|\b(?:and|or|the|of|to|in|for|with|a|an|by|on|at|from|that|which|as|is|are|be|its|their|our|this|these|between)),?$/i;
/** Lower-case enumerators open an item rather than continue a sentence: "a) ...", "iii. ...". */
const ENUMERATOR = /^(?:[a-z]|[ivx]{1,4})[.)]\s/;
/** Fewer words than this and no open end: heading-like, never continued. */
const MIN_CONTINUED_WORDS = 6;
/** A numbered list item longer than this is a numbered paragraph, not a list item. */
const NUMBERED_PARAGRAPH_CHARS = 100;
/** "- 37. Children ...", "- 2.2. The CYP ...": a bullet in front of a printed paragraph number. */
const BULLETED_NUMBER = /^- (?=\d{1,3}(?:\.\d{1,2}){0,2}\.?\s+[A-Z(])/;
/** "Partnership working**Grade 2 (Good)**": a bold span glued to the end of a line is a lost line break. */
const GLUED_BOLD_END = /^(.*[^\s*])\*\*([^*\s](?:[^*]*[^*\s])?)\*\*$/;

export function ingestText(bytes: Uint8Array, format: 'txt' | 'md'): IngestedText {
  let text = decodeText(bytes).text.replace(/\r\n?/g, '\n');
  let title: string | null = null;
  if (format === 'md') {
    const front = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(text);
    if (front) {
      const t = /^title:\s*["']?(.*?)["']?\s*$/m.exec(front[1]!);
      if (t && t[1]) title = normalizeChars(t[1]);
      text = text.slice(front[0].length);
    }
    // Before normalizeChars turns backticks into apostrophes: fences become "~~~", code spans text.
    text = text.replace(/<!--[\s\S]*?-->/g, '').replace(/^([ \t]*)```/gm, '$1~~~').replace(/`([^`\n]+)`/g, '$1');
  }
  const pageTexts = text.split('\f');
  if (pageTexts.length > 1 && pageTexts[pageTexts.length - 1]!.trim() === '') pageTexts.pop();
  const paged = pageTexts.length > 1;

  const lines: Array<Line | null> = []; // null = blank line (a paragraph boundary)
  const state: MdState = { fence: false };
  pageTexts.forEach((pageText, i) => {
    const page = paged ? i + 1 : null;
    for (const raw of normalizeChars(pageText, { keepTabs: true }).split('\n').flatMap(splitGluedBold)) {
      const line = format === 'md' ? classifyMarkdown(raw, page, state, lines) : classifyText(raw, page);
      if (line === undefined) continue; // dropped (garbage), not a boundary
      lines.push(line);
    }
  });
  return { format, blocks: toBlocks(lines), pages: paged ? pageTexts.length : null, title };
}

/** A .txt line: blank, table row, bullet item or paragraph line; undefined when it is garbage. */
function classifyText(raw: string, page: number | null): Line | null | undefined {
  const line = stripInline(raw, false);
  if (line.includes('\t')) return tableRow(line.split('\t'), page);
  if (line === '') return null;
  if (isGarbageLine(line)) return undefined;
  return { ...bulletOrParagraph(line), page, soft: false };
}

/** A "- " line is a list item, unless it is a long numbered paragraph behind a bullet. */
function bulletOrParagraph(text: string): { text: string; hint: Hint } {
  if (!/^- \S/.test(text)) return { text, hint: 'paragraph' };
  if (BULLETED_NUMBER.test(text) && text.length > NUMBERED_PARAGRAPH_CHARS + 2) return { text: text.slice(2), hint: 'paragraph' };
  return { text, hint: 'list-item' };
}

function splitGluedBold(raw: string): string[] {
  const m = GLUED_BOLD_END.exec(raw);
  return m && !raw.includes('\t') ? [m[1]!, m[2]!] : [raw];
}

interface MdState {
  fence: boolean;
}

/** A Markdown line. Setext underlines turn the previous line into a heading in place. */
function classifyMarkdown(raw: string, page: number | null, state: MdState, previous: Array<Line | null>): Line | null | undefined {
  if (/^\s*(```|~~~)/.test(raw)) {
    state.fence = !state.fence;
    return null;
  }
  if (state.fence) return raw.trim() === '' ? null : { text: raw.trim(), hint: 'paragraph', page, soft: false };
  const prev = previous[previous.length - 1];
  const setext = /^\s*(=+|-+)\s*$/.exec(raw);
  if (setext && prev && prev.hint === 'paragraph') {
    prev.hint = 'heading';
    prev.level = setext[1]!.startsWith('=') ? 1 : 2;
    return null;
  }
  if (/^\s*(?:[-*_]\s*){3,}$/.test(raw)) return null; // horizontal rule
  const unquoted = raw.replace(/^\s*(?:>\s?)+/, '');
  if (/^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(unquoted) && unquoted.includes('|')) return undefined; // table rule
  const line = stripInline(unquoted, true);
  if (line === '') return null;
  const heading = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
  if (heading) return { text: heading[2]!, hint: 'heading', level: heading[1]!.length, page, soft: false };
  if (/^\|.*\|$/.test(line)) return tableRow(line.slice(1, -1).split('|'), page);
  if (line.includes('\t')) return tableRow(line.split('\t'), page);
  if (isGarbageLine(line)) return undefined;
  const bullet = /^[-*+]\s+(\S.*)$/.exec(line);
  if (bullet) return { ...bulletOrParagraph(`- ${bullet[1]}`), page, soft: false };
  const numbered = /^(\d{1,3})[.)]\s+(\S.*)$/.exec(line);
  if (numbered) {
    const item = `${numbered[1]}. ${numbered[2]}`;
    return { text: item, hint: item.length > NUMBERED_PARAGRAPH_CHARS ? 'paragraph' : 'list-item', page, soft: false };
  }
  const soft = prev !== null && prev !== undefined && (prev.hint === 'paragraph' || prev.hint === 'list-item');
  return { text: line, hint: 'paragraph', page, soft };
}

/**
 * Cells -> one table row; garbage and empty cells dropped. A line with a single non-empty cell
 * (a stray tab) is a plain line; a row keeps its table-row hint when garbage cells leave one cell.
 */
function tableRow(cells: string[], page: number | null): Line | null | undefined {
  const kept = cells.map((c) => c.trim()).filter((c) => c !== '');
  const clean = kept.filter((c) => !isGarbageLine(c));
  if (clean.length === 0) return kept.length === 0 ? null : undefined;
  if (kept.length === 1) return { ...bulletOrParagraph(clean[0]!), page, soft: false };
  return { text: clean.join(' | '), hint: 'table-row', page, soft: false };
}

/**
 * Remove simple formatting tags (<i>, <b>, <span ...>, <br/> ...) and emphasis markers; in
 * Markdown also single-star/underscore emphasis, strikethrough, links and images. Other tag-like
 * text ("<script>alert(1)</script>") is kept as literal text.
 */
function stripInline(line: string, markdown: boolean): string {
  let t = line.replace(FORMATTING_TAG, (tag) => (/^<br/i.test(tag) ? ' ' : ''));
  t = t.replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1').replace(/(^|[^\w])__(?=\S)(.+?)(?<=\S)__(?!\w)/g, '$1$2');
  if (markdown) {
    t = t.replace(/!\[([^\]]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1');
    t = t.replace(/\[([^\]]+)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1').replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
    t = t.replace(/<((?:https?|mailto):[^<>\s]+)>/g, '$1');
    t = t.replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1');
    t = t.replace(/(^|[^\w*\\])\*(?=[^\s*])([^*\n]*?[^\s*\\])\*(?![\w*])/g, '$1$2');
    t = t.replace(/(^|[^\w\\])_(?=[^\s_])([^_\n]*?[^\s_\\])_(?!\w)/g, '$1$2');
    t = t.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
  }
  return t.replace(/ {2,}/g, ' ').replace(/^ +| +$/g, '');
}

/** Lines -> blocks: soft-wrapped Markdown lines and stray-break continuations are joined. */
function toBlocks(lines: Array<Line | null>): Block[] {
  const blocks: Block[] = [];
  let prev: Block | null = null;
  let afterBlank = false;
  for (const line of lines) {
    if (line === null) {
      afterBlank = true;
      continue;
    }
    if (prev && line.hint === 'paragraph' && ((line.soft && !afterBlank) || continues(prev, line.text))) {
      prev.text = joinLines([prev.text, line.text]);
      prev.pageEnd = line.page;
    } else {
      prev = { text: line.text, pageStart: line.page, pageEnd: line.page, hint: line.hint };
      if (line.level !== undefined) prev.level = line.level;
      blocks.push(prev);
    }
    afterBlank = false;
  }
  return blocks;
}

/** Does `next` continue the paragraph `prev` that a stray line break cut? */
function continues(prev: Block, next: string): boolean {
  if (prev.hint !== 'paragraph' && prev.hint !== 'list-item') return false;
  if (!/^\p{Ll}/u.test(next) || ENUMERATOR.test(next)) return false;
  if (/\p{L}-$/u.test(prev.text)) return true; // "well-" / "being" 
  if (TERMINAL.test(prev.text)) return false;
  return prev.text.split(/\s+/).length >= MIN_CONTINUED_WORDS || OPEN_END.test(prev.text);
}
