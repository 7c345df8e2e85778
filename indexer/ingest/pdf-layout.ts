/**
 * PDF layout reconstruction: positioned text runs -> lines -> paragraph blocks.
 * pdfjs text has no blank lines between paragraphs, so paragraphs are rebuilt from geometry:
 * vertical gaps larger than the usual line step, changes of font size or weight, indentation,
 * a printed paragraph number ("29.") or a bullet at the start of a line. Pure: no pdfjs here.
 */
import type { Block } from '../../core/types.ts';
import { joinLines, normalizeChars, type KnownWord } from '../clean.ts';

/** One positioned run of text from the PDF text layer (PDF user space: y grows upwards). */
export interface TextRun {
  str: string;
  /** Left edge and baseline. */
  x: number;
  y: number;
  width: number;
  /** Font size in points (vertical scale of the text matrix). */
  size: number;
  bold: boolean;
}

/** One reconstructed line of a page. */
export interface Line {
  /** Normalised text; table cells joined with " | ". */
  text: string;
  page: number;
  /** Left edge of the first run, and of the text after a bullet or paragraph number. */
  x: number;
  textX: number;
  xEnd: number;
  /** Baseline and font size of the dominant run. */
  y: number;
  size: number;
  /** Share of the line's characters set in a bold font (0..1). */
  bold: number;
  /** Cells when the line has widely separated columns, else null; cellX holds their left edges. */
  cells: string[] | null;
  cellX: number[];
  bullet: boolean;
  /** Cells beside a heading line, lifted off it so the heading reads on (see liftHeadingCells). */
  aside?: string[] | undefined;
  /** The printed paragraph number at the start of the line ("29", "3.2"), else null. */
  number: string | null;
}

/** A gap wider than this many ems between runs splits a line into table cells. */
const CELL_GAP_EM = 1.2;
/** A gap wider than this many ems between runs gets a space. */
const SPACE_GAP_EM = 0.12;
const PARAGRAPH_NUMBER = /^(\d{1,3}(?:\.\d{1,2}){0,2})\.?$/;
/** Bullet glyphs (incl. symbol-font private-use code points and Wingdings' "§"). */
const BULLET_SYMBOL = /^[\u2022\u25CF\u25A0\u25FC\u25AA\u25AB\u25E6\u2023\u2043\u2219\u25C6\u25C7\u25BA\u25B6\u27A2\u2713\u2714\u2756\u25A1\u274F\u2610\u00B7\u00A7\uE000-\uF8FF]$/u;
/** A marker standing apart from the text after it: a bullet glyph, a dash, "o", "*" or ">". */
const BULLET_MARK = /^[\u2022\u25CF\u25A0\u25FC\u25AA\u25AB\u25E6\u2023\u2043\u2219\u25C6\u25C7\u25BA\u25B6\u27A2\u2713\u2714\u2756\u25A1\u274F\u2610\u00B7\u00A7\uE000-\uF8FF\u2010\u2013\u2014\u2212o*>-]$/u;

interface LineDraft {
  runs: TextRun[];
  y: number;
  size: number;
  weight: number;
}

/** Group a page's runs into lines (same baseline within tolerance; superscripts attach), top to bottom. */
export function buildLines(runs: TextRun[], page: number): Line[] {
  const content = runs.filter((r) => r.str.trim() !== '' && r.size > 0);
  content.sort((a, b) => b.y - a.y || a.x - b.x);
  const drafts: LineDraft[] = [];
  for (const run of content) {
    let target: LineDraft | undefined;
    for (let i = drafts.length - 1; i >= 0 && i >= drafts.length - 4; i--) {
      const d = drafts[i]!;
      const dy = run.y - d.y;
      const sameBaseline = Math.abs(dy) <= 0.45 * Math.min(d.size, run.size);
      const superscript = run.size < 0.92 * d.size && dy >= 0 && dy <= 0.7 * d.size;
      const subscript = run.size < 0.92 * d.size && dy < 0 && dy >= -0.3 * d.size;
      // A line so far made of small raised runs (a footnote mark) above this run's baseline.
      const raisedBefore = d.size < 0.92 * run.size && dy < 0 && dy >= -0.7 * run.size;
      if (sameBaseline || superscript || subscript || raisedBefore) {
        target = d;
        break;
      }
    }
    if (target === undefined) {
      drafts.push({ runs: [run], y: run.y, size: run.size, weight: run.str.length });
      continue;
    }
    target.runs.push(run);
    // The dominant run (most characters at the largest size) sets the baseline and size.
    if (run.size > target.size + 0.5 || (Math.abs(run.size - target.size) <= 0.5 && run.str.length > target.weight)) {
      target.y = run.y;
      target.size = run.size;
      target.weight = run.str.length;
    }
  }
  const lines = drafts.map((d) => finishLine(d, page)).filter((l): l is Line => l !== null);
  lines.sort((a, b) => b.y - a.y || a.x - b.x);
  return lines;
}

function finishLine(d: LineDraft, page: number): Line | null {
  const runs = d.runs.sort((a, b) => a.x - b.x);
  // A leading bullet glyph or paragraph number set apart from the text is a marker, not a cell.
  let start = 0;
  let bullet = false;
  let number: string | null = null;
  const r0 = runs[0]!;
  const r1 = runs[1];
  const mark = r0.str.trim();
  const gapAfter = r1 === undefined ? 0 : r1.x - (r0.x + r0.width);
  if (r1 !== undefined && BULLET_MARK.test(mark) && gapAfter > 0.25 * d.size) {
    bullet = true;
    start = 1;
  } else if (r1 !== undefined && PARAGRAPH_NUMBER.test(mark) && gapAfter > 0.36 * d.size) {
    number = mark.replace(/\.$/, '');
    start = 1;
  }
  const cells: string[] = [];
  const cellX: number[] = [];
  let cell = '';
  let prevEnd = Number.NEGATIVE_INFINITY;
  let boldChars = 0;
  let chars = 0;
  for (const [i, run] of runs.slice(start).entries()) {
    const gap = run.x - prevEnd;
    // Footnote marks (raised small digits or daggers inside a line) are dropped from the text.
    const raised = run.size < 0.92 * d.size && run.y - d.y > 0.15 * d.size;
    if (raised && (i > 0 || start > 0) && /^\s*(?:\d{1,3}|[*\u2020\u2021])\s*$/.test(run.str)) {
      prevEnd = Math.max(prevEnd, run.x + run.width);
      continue;
    }
    if (cell !== '' && gap > CELL_GAP_EM * d.size) {
      cells.push(cell);
      cell = '';
    }
    if (cell === '') cellX.push(run.x);
    else if (gap > SPACE_GAP_EM * run.size && !cell.endsWith(' ') && !run.str.startsWith(' ')) cell += ' ';
    cell += run.str;
    prevEnd = Math.max(prevEnd, run.x + run.width);
    const n = run.str.replace(/\s/g, '').length;
    chars += n;
    if (run.bold) boldChars += n;
  }
  if (cell !== '') cells.push(cell);
  const lead = (cells[0] ?? '').trimStart();
  if (!bullet && number === null && BULLET_SYMBOL.test(lead.charAt(0)) && /^.\s+\S/u.test(lead)) {
    bullet = true;
    cells[0] = lead.slice(1);
  }
  const kept = cells.map((c, i) => ({ text: normalizeChars(c), x: cellX[i]! })).filter((c) => c.text !== '' && !/^- ?$/.test(c.text));
  const texts = kept.map((c) => c.text);
  if (texts.length === 0) return null;
  let text = texts.join(' | ');
  if (number !== null) text = `${number}. ${text}`;
  if (bullet) text = `- ${text.replace(/^- /, '')}`;
  return {
    text,
    page,
    x: r0.x,
    textX: runs[start]?.x ?? r0.x,
    xEnd: Math.max(...runs.map((r) => r.x + r.width)),
    y: d.y,
    size: d.size,
    bold: chars === 0 ? 0 : boldChars / chars,
    cells: texts.length > 1 ? texts : null,
    cellX: kept.map((c) => c.x),
    bullet,
    number,
  };
}

/** Document-wide measures the paragraph rules compare against. */
export interface LayoutStats {
  /** Most common font size of body text (by characters). */
  bodySize: number;
  /** Most common baseline-to-baseline step between body lines. */
  lineStep: number;
  /** Heading sizes, largest first (sizes clearly above body size). */
  headingSizes: number[];
}

const round = (v: number, step: number): number => Math.round(v / step) * step;

function mode(values: Map<number, number>, fallback: number): number {
  let best = fallback;
  let count = -1;
  for (const [v, c] of values) if (c > count || (c === count && v < best)) [best, count] = [v, c];
  return best;
}

export function layoutStats(pages: Line[][]): LayoutStats {
  const sizes = new Map<number, number>();
  for (const lines of pages) for (const l of lines) sizes.set(round(l.size, 0.5), (sizes.get(round(l.size, 0.5)) ?? 0) + l.text.length);
  const bodySize = mode(sizes, 12);
  const steps = new Map<number, number>();
  for (const lines of pages) {
    for (let i = 1; i < lines.length; i++) {
      const a = lines[i - 1]!;
      const b = lines[i]!;
      if (Math.abs(a.size - bodySize) > 0.5 || Math.abs(b.size - bodySize) > 0.5) continue;
      const step = a.y - b.y;
      if (step < 0.9 * bodySize || step > 2.5 * bodySize) continue;
      const k = round(step, 0.25);
      steps.set(k, (steps.get(k) ?? 0) + 1);
    }
  }
  const lineStep = mode(steps, 1.2 * bodySize);
  const headingSizes = [...sizes.keys()].filter((s) => s >= bodySize + 1).sort((a, b) => b - a);
  return { bodySize, lineStep, headingSizes };
}

function isHeadingStyle(l: Line, stats: LayoutStats): boolean {
  return l.size >= stats.bodySize + 1 || (l.bold >= 0.9 && l.size >= stats.bodySize - 0.5);
}

/** Where lines b follows line a on the same page: does b start a new block? */
function startsBlock(a: Line, b: Line, blockLines: number, stats: LayoutStats, rightEdge: number): boolean {
  if (a.cells !== null || b.cells !== null) return true;
  if (b.bullet || b.number !== null) return true;
  const headA = isHeadingStyle(a, stats);
  const headB = isHeadingStyle(b, stats);
  if (headA !== headB || Math.abs(a.size - b.size) > 0.75) return true;
  if (headA && headB && Math.abs(a.bold - b.bold) > 0.5) return true;
  const expected = stats.lineStep * (Math.max(a.size, b.size) / stats.bodySize);
  const gap = a.y - b.y;
  if (gap > expected * 1.3) return true;
  if (b.x > a.textX + 0.8 * b.size) return true; // indented start of a new paragraph
  if (b.x < a.textX - 0.8 * b.size && blockLines > 1) return true; // back to the margin after a list item
  // A short line that ends a sentence, followed by a capitalised line: a paragraph without spacing.
  return /[.!?]["')\]]?$/.test(a.text) && a.xEnd < rightEdge - 6 * a.size && /^[A-Z0-9"']/.test(b.text);
}

/**
 * Table cells set vertically apart from their row's baseline: a grade centred on a row whose
 * first cell wraps ("The impact of leaders ... with children" / "Good" / "and families"), or a
 * two-line grade beside a one-line cell. A line lying wholly to the right of a close neighbour
 * (less than ~3/4 of a line step away) becomes a cell of that neighbour, the line above first.
 */
function attachFloatingCells(lines: Line[], stats: LayoutStats): Line[] {
  const target = new Map<number, number>();
  lines.forEach((l, i) => {
    if (l.bullet || l.number !== null) return;
    const near = 0.75 * stats.lineStep * (l.size / stats.bodySize);
    const fits = (j: number): boolean => {
      const o = lines[j];
      const clear = o === undefined ? false : o.cells !== null ? l.x >= o.cellX[1]! - 2 : l.x > o.xEnd + l.size;
      return o !== undefined && clear && !target.has(j) && Math.abs(o.y - l.y) < near &&
        Math.abs(o.size - l.size) <= 0.5;
    };
    if (fits(i - 1)) target.set(i, i - 1);
    else if (fits(i + 1)) target.set(i, i + 1);
  });
  if (target.size === 0) return lines;
  const out: Line[] = [];
  lines.forEach((l, i) => {
    if (target.has(i)) return;
    const extra = lines.filter((_, j) => target.get(j) === i);
    if (extra.length === 0) {
      out.push(l);
      return;
    }
    const cells = [...(l.cells ?? [l.text])];
    const cellX = [...(l.cells !== null ? l.cellX : [l.textX])];
    for (const e of extra) {
      (e.cells ?? [e.text]).forEach((text, k) => {
        const x = e.cells !== null ? e.cellX[k]! : e.x;
        const col = cellX.findIndex((cx) => Math.abs(cx - x) <= 2);
        if (col >= 1) cells[col] = e.y > l.y ? `${text} ${cells[col]}` : `${cells[col]} ${text}`;
        else {
          cells.push(text);
          cellX.push(x);
        }
      });
    }
    out.push({ ...l, cells, cellX, text: cells.join(' | '), xEnd: Math.max(l.xEnd, ...extra.map((e) => e.xEnd)) });
  });
  return out;
}

/**
 * A heading that wraps over lines with a cell beside one of them ("The experiences and progress
 * of / children who need help and    Good / protection") is a heading, not a table row: keep the
 * first cell in the line and lift the others off as an aside.
 */
function liftHeadingCells(lines: Line[], stats: LayoutStats): Line[] {
  const removed = new Set<Line>();
  lines.forEach((l, i) => {
    if (l.cells === null || l.size < stats.bodySize + 1 || l.number !== null || l.bullet) return;
    const near = (o: Line | undefined): boolean =>
      o !== undefined && o.cells === null && isHeadingStyle(o, stats) && Math.abs(o.size - l.size) <= 0.75 &&
      Math.abs(o.y - l.y) <= 1.3 * stats.lineStep * (l.size / stats.bodySize);
    const prev = lines[i - 1];
    if (!near(prev) && !near(lines[i + 1])) return;
    // A wrapped contents entry ("... who need help and" / "protection    10"): one table row.
    if (l.cells.length === 2 && /^\d{1,3}$/.test(l.cells[1]!)) {
      if (prev !== undefined && near(prev) && !removed.has(prev)) {
        removed.add(prev);
        l.cells[0] = `${prev.text} ${l.cells[0]}`;
        l.text = l.cells.join(' | ');
      }
      return;
    }
    l.aside = l.cells.slice(1).filter((c) => !/^\d{1,3}$/.test(c));
    l.text = l.cells[0]!;
    l.cells = null;
    // A grade that wraps too ("Requires" / "improvement") ran into the next heading line's text.
    const next = lines[i + 1];
    const tail = next === undefined || next.cells !== null ? null : /\s((?:improvement)?(?: to be good)?)$/i.exec(next.text);
    if (next !== undefined && tail !== null && tail[1] !== '' && /requires(?: improvement)?$/i.test(l.aside.join(' '))) {
      l.aside[l.aside.length - 1] = `${l.aside[l.aside.length - 1]} ${tail[1]}`;
      next.text = next.text.slice(0, tail.index);
    }
  });
  return removed.size === 0 ? lines : lines.filter((l) => !removed.has(l));
}

/**
 * Table cells that wrap: a line without cells right under a table row, starting inside one of
 * its columns at the same size and normal line spacing, continues that column's cell.
 */
function mergeCellContinuations(lines: Line[], stats: LayoutStats): Line[] {
  const out: Line[] = [];
  let row: Line | null = null;
  for (const l of lines) {
    const prev = out[out.length - 1];
    const close = row !== null && prev !== undefined && !l.bullet && l.number === null &&
      Math.abs(l.size - row.size) <= 0.5 && prev.y - l.y <= 1.3 * stats.lineStep * (l.size / stats.bodySize);
    // A wrapped row: every cell of this line starts at one of the row's column edges.
    if (close && l.cells !== null && l.cellX.every((x) => row!.cellX.some((cx) => Math.abs(cx - x) <= 2))) {
      l.cells.forEach((text, k) => {
        const col = row!.cellX.findIndex((cx) => Math.abs(cx - l.cellX[k]!) <= 2);
        row!.cells![col] = `${row!.cells![col]} ${text}`;
      });
      row!.text = row!.cells!.join(' | ');
      continue;
    }
    if (close && row !== null && l.cells === null) {
      const col = row.cellX.findLastIndex((x) => x <= l.x + 2);
      const nextX = row.cellX[col + 1] ?? Number.POSITIVE_INFINITY;
      if (col >= 0 && Math.abs(row.cellX[col]! - l.x) <= 2 && l.xEnd <= nextX + 2) {
        row.cells![col] = `${row.cells![col]} ${l.text}`;
        row.text = row.cells!.join(' | ');
        continue;
      }
    }
    row = l.cells !== null ? { ...l, cells: [...l.cells] } : null;
    out.push(row ?? l);
  }
  return out;
}

/** A block still made of lines (joined to text at the end). */
export interface BlockDraft {
  lines: Line[];
  pageStart: number;
  pageEnd: number;
  hint: 'heading' | 'list-item' | 'table-row' | 'paragraph';
  level?: number;
  /** The last line runs to (near) the right margin, so the text may well go on. */
  lastLineFull?: boolean;
}

/** Cut one page's lines into block drafts. */
export function pageBlocks(pageLines: Line[], stats: LayoutStats): BlockDraft[] {
  let lines = pageLines;
  const body = lines.filter((l) => Math.abs(l.size - stats.bodySize) <= 0.5 && l.cells === null).map((l) => l.xEnd);
  body.sort((a, b) => a - b);
  const rightEdge = body.length > 0 ? body[Math.floor(body.length * 0.9)]! : Number.POSITIVE_INFINITY;
  lines = attachFloatingCells(lines, stats);
  lines = liftHeadingCells(lines, stats);
  lines = mergeCellContinuations(lines, stats);
  const out: BlockDraft[] = [];
  let current: Line[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const draft = draftOf(current, stats);
    const last = current[current.length - 1]!;
    draft.lastLineFull = last.xEnd >= rightEdge - 3 * last.size;
    out.push(draft);
    // Cells lifted off a heading line (a judgement beside a wrapped heading) follow the heading.
    const aside = current.flatMap((l) => l.aside ?? []);
    if (aside.length > 0) {
      const line: Line = { ...last, text: aside.join(' | '), cells: null, bullet: false, number: null, aside: undefined };
      out.push({ lines: [line], pageStart: last.page, pageEnd: last.page, hint: 'paragraph' });
    }
    current = [];
  };
  for (const line of lines) {
    const prev = current[current.length - 1];
    if (prev !== undefined && startsBlock(prev, line, current.length, stats, rightEdge)) flush();
    current.push(line);
  }
  flush();
  return out;
}

function draftOf(lines: Line[], stats: LayoutStats): BlockDraft {
  const first = lines[0]!;
  const page = first.page;
  if (first.cells !== null) return { lines, pageStart: page, pageEnd: page, hint: 'table-row' };
  if (first.bullet) return { lines, pageStart: page, pageEnd: page, hint: 'list-item' };
  if (first.number === null && lines.every((l) => isHeadingStyle(l, stats))) {
    const rank = stats.headingSizes.findIndex((s) => Math.abs(s - round(first.size, 0.5)) < 0.01);
    const level = rank >= 0 ? rank + 1 : stats.headingSizes.length + 1;
    return { lines, pageStart: page, pageEnd: page, hint: 'heading', level };
  }
  return { lines, pageStart: page, pageEnd: page, hint: 'paragraph' };
}

/** True when a block ends mid-sentence (no closing punctuation). */
export function endsOpen(d: BlockDraft): boolean {
  const last = d.lines[d.lines.length - 1]!.text;
  return !/[.?!:;]["')\]]*$/.test(last);
}

/**
 * Join a paragraph that runs over a page break: the last block of a page continues into the first
 * block of the next page when it ends mid-sentence and the next block is plain text at body style.
 */
export function mergeAcrossPages(pages: BlockDraft[][]): BlockDraft[] {
  const out: BlockDraft[] = [];
  for (const blocks of pages) {
    blocks.forEach((b, i) => {
      const prev = out[out.length - 1];
      if (i === 0 && prev !== undefined && prev.pageEnd < b.pageStart && continuesHanging(prev, b)) {
        prev.lines.push(...b.lines);
        prev.pageEnd = b.pageEnd;
        return;
      }
      if (
        i === 0 && prev !== undefined && prev.pageEnd < b.pageStart &&
        (prev.hint === 'paragraph' || prev.hint === 'list-item') && b.hint === 'paragraph' && b.lines[0]!.number === null &&
        endsOpen(prev) && (/^[\p{Ll}\d("'£$%]/u.test(b.lines[0]!.text) || prev.lastLineFull === true)
      ) {
        prev.lines.push(...b.lines);
        prev.pageEnd = b.pageEnd;
        return;
      }
      out.push(b);
    });
  }
  return out;
}

/**
 * A numbered paragraph with a hanging indent ("32.  Senior leaders ...") whose text goes on at
 * the top of the next page in the same indented column, without a number: the same paragraph,
 * even when the page broke after a full stop.
 */
function continuesHanging(prev: BlockDraft, b: BlockDraft): boolean {
  const head = prev.lines[0]!;
  const first = b.lines[0]!;
  if (prev.hint !== 'paragraph' || b.hint !== 'paragraph' || head.number === null) return false;
  if (first.number !== null || first.bullet || head.textX < head.x + 0.8 * head.size) return false;
  return Math.abs(first.x - head.textX) <= 2 && Math.abs(first.size - head.size) <= 0.5;
}

/** Final text of a block draft. */
export function toBlock(d: BlockDraft, known?: KnownWord): Block {
  const text = d.hint === 'table-row' ? d.lines.map((l) => l.text).join(' ') : joinLines(d.lines.map((l) => l.text), known);
  const block: Block = { text, pageStart: d.pageStart, pageEnd: d.pageEnd, hint: d.hint };
  if (d.level !== undefined) block.level = d.level;
  return block;
}
