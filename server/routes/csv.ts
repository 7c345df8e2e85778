/** CSV for the every-mention exports: rows of passage text, citation and link; lines of any cells. */
import type { StreamingApi } from 'hono/utils/stream';
import type { MentionItem } from '../../core/mentions.ts';
import { inTurn } from '../cooperative.ts';

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

/** Rows are made and sent this many at a time. */
const BATCH = 200;

/**
 * Stream the header and `rows` rows (`batch(from, to)` makes rows from..to-1), waiting for the
 * client to take each batch. Each batch is made in a background turn (server/cooperative.ts), so
 * a long export does not hold up short requests. When the client goes away the stream is
 * aborted: stop making rows (nobody will read them) and say so in the log.
 */
export async function streamCsv(s: StreamingApi, rows: number, batch: (from: number, to: number) => string, log: ((line: string) => void) | null): Promise<void> {
  await s.write(CSV_BOM + CSV_HEADER);
  let done = 0;
  while (done < rows && !s.aborted) {
    const to = Math.min(rows, done + BATCH);
    await s.write(await inTurn(() => batch(done, to)));
    done = to;
  }
  if (s.aborted) log?.(`csv: export stopped after ${done} of ${rows} rows: the client went away`);
}
