/**
 * Dates as printed in reports and file names ("1 December 2005", "Monday 27 February 2023",
 * "20 May-1 June 2012", "11 to 22 December 2023", "children's services inspection - 20 august 2024")
 * read as ISO yyyy-mm-dd.
 */

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8,
  september: 9, october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const MONTH_RE = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';

/** "1 December 2005", "1st December 2005" (day month year). Flags: case-insensitive, global. */
export const DATE_DMY = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE}\\s*,?\\s+((?:19|20)\\d{2})\\b`, 'gi');
/** "December 1, 2005" (month day year). */
const DATE_MDY = new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})\\b`, 'gi');
const DATE_ISO = /\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b/g;

export interface FoundDate {
  iso: string;
  index: number;
  end: number;
}

function toIso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** All dates in `text`, in order of appearance. */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  for (const m of text.matchAll(DATE_DMY)) {
    const iso = toIso(Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]));
    if (iso) out.push({ iso, index: m.index!, end: m.index! + m[0].length });
  }
  for (const m of text.matchAll(DATE_MDY)) {
    const iso = toIso(Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2]));
    if (iso && !out.some((d) => d.index <= m.index! && d.end > m.index!)) {
      out.push({ iso, index: m.index!, end: m.index! + m[0].length });
    }
  }
  for (const m of text.matchAll(DATE_ISO)) {
    const iso = toIso(Number(m[1]), Number(m[2]), Number(m[3]));
    if (iso) out.push({ iso, index: m.index!, end: m.index! + m[0].length });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The first date in `text`, or null. */
export function firstDate(text: string): string | null {
  return findDates(text)[0]?.iso ?? null;
}

/**
 * The date after a label such as "Published:" or "Inspection dates:" within `reach` characters
 * (the end of a range when the label introduces one), or null.
 */
export function dateAfter(text: string, label: RegExp, reach = 80, lastOfRange = false): string | null {
  const m = label.exec(text);
  if (!m) return null;
  const from = m.index + m[0].length;
  const dates = findDates(text.slice(from, from + reach));
  if (dates.length === 0) return null;
  if (!lastOfRange) return dates[0]!.iso;
  // A range ends at the last date that directly continues it ("20 May-1 June 2012", "11 to 22 December 2023").
  let last = dates[0]!;
  for (const d of dates.slice(1)) {
    const gap = text.slice(from + last.end, from + d.index);
    if (/^[\s\u2013\u2014\-–to]*$/i.test(gap)) last = d;
    else break;
  }
  return last.iso;
}

/** Like "27 February 2023" for an ISO date. */
export function formatLongDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d} ${names[m! - 1]} ${y}`;
}
