/** CSV for the every-mention exports: rows of passage text, citation and link; lines of any cells. */
import type { MentionItem } from '../../core/mentions.ts';

const COLUMNS = ['council', 'year', 'date', 'type', 'report', 'section', 'paragraph', 'page', 'occurrences', 'citation', 'link', 'text'];

/** First in the file, so Excel reads it as UTF-8 (curly quotes, accents) rather than the local code page. */
export const CSV_BOM = '\uFEFF';

export const CSV_HEADER = `${COLUMNS.join(',')}\r\n`;

export function csvRow(m: MentionItem, origin: string): string {
  return csvLine([
    m.doc.council ?? '', m.doc.year ?? '', m.doc.date ?? '', m.doc.type, m.doc.title, m.section.join(' > '),
    m.paragraph ?? '', m.page ?? '', m.occurrences, m.citation, origin + m.url, m.text,
  ]);
}

/** One CSV line (CRLF) of cells, quoted and made safe for spreadsheets. */
export function csvLine(cells: Array<string | number>): string {
  return `${cells.map(cell).join(',')}\r\n`;
}

function cell(v: string | number): string {
  let s = String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
