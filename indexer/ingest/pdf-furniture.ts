/**
 * Page furniture: running headers, footers and page numbers. Found by position and repetition,
 * not by fixed strings: a line near the top or bottom edge whose text (digits masked) recurs in
 * the same band on many pages is furniture, and so is a bare page number in a band.
 */
import type { Line } from './pdf-layout.ts';

export interface PageLines {
  page: number;
  /** Vertical extent of the page (PDF user space, y grows upwards). */
  top: number;
  bottom: number;
  lines: Line[];
}

/** Share of the page height at the top and bottom where headers and footers live. */
const TOP_BAND = 0.12;
const BOTTOM_BAND = 0.1;
/** Lines per band looked at on each page (headers are one to three lines). */
const LINES_PER_BAND = 4;
const PAGE_NUMBER = /^(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|\/)\s*\d{1,4})?\.?$/i;
const ROMAN_PAGE = /^[ivxl]{1,6}$/i;

type Band = 'top' | 'bottom';

function bandOf(line: Line, p: PageLines): Band | null {
  const h = p.top - p.bottom;
  if (h <= 0) return null;
  if (line.y >= p.top - TOP_BAND * h) return 'top';
  if (line.y <= p.bottom + BOTTOM_BAND * h) return 'bottom';
  return null;
}

/** Text of a line with digits masked and case and spacing folded: the same on every page. */
export function furnitureKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/[|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lines in the top/bottom band of a page, at most LINES_PER_BAND from each edge. */
function bandLines(p: PageLines): Array<{ line: Line; band: Band }> {
  const out: Array<{ line: Line; band: Band }> = [];
  const top = p.lines.slice(0, LINES_PER_BAND);
  const bottom = p.lines.slice(Math.max(LINES_PER_BAND, p.lines.length - LINES_PER_BAND));
  for (const line of [...top, ...bottom]) {
    const band = bandOf(line, p);
    if (band !== null && !out.some((o) => o.line === line)) out.push({ line, band });
  }
  return out;
}

/** Is a line a page number or a page-number-like fragment? */
export function isPageNumber(text: string): boolean {
  const t = text.trim();
  return PAGE_NUMBER.test(t) || ROMAN_PAGE.test(t);
}

/**
 * Remove running headers, footers and page numbers from every page. Returns new page objects with
 * the furniture lines left out, plus the furniture keys found (for logs and tests).
 */
export function removeFurniture(pages: PageLines[]): { pages: PageLines[]; keys: string[] } {
  const counts = new Map<string, Set<number>>();
  for (const p of pages) {
    for (const { line, band } of bandLines(p)) {
      const key = `${band}:${furnitureKey(line.text)}`;
      let set = counts.get(key);
      if (set === undefined) counts.set(key, (set = new Set()));
      set.add(p.page);
    }
  }
  const minPages = pages.length >= 3 ? Math.max(2, Math.ceil(pages.length * 0.25)) : Number.POSITIVE_INFINITY;
  const repeated = new Set([...counts].filter(([, set]) => set.size >= minPages).map(([key]) => key));
  const out = pages.map((p) => {
    const drop = new Set<Line>();
    for (const { line, band } of bandLines(p)) {
      if (repeated.has(`${band}:${furnitureKey(line.text)}`) || isPageNumber(line.text)) drop.add(line);
    }
    return { ...p, lines: p.lines.filter((l) => !drop.has(l)) };
  });
  return { pages: out, keys: [...repeated].sort() };
}
