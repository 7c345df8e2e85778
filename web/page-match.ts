/**
 * Finds a paragraph of cleaned report text among a PDF page's text items, so the original page
 * can be drawn with the cited passage highlighted. Both sides are folded to letters and digits
 * (NFKC, lower case), so spacing, hyphen, quote and ligature differences do not matter. When the
 * whole paragraph is not on the page (it runs over a page break, or the cleaner changed a bit in
 * the middle), its start and end are anchored separately.
 */

export interface ItemSpan {
  /** Index of the text item. */
  item: number;
  /** Fraction [0, 1] of the item's folded characters where the match starts / ends. */
  from: number;
  to: number;
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Spans of the items (in order) that the paragraph covers on this page; empty when not found. */
export function matchParagraph(items: string[], paragraph: string): ItemSpan[] {
  const target = fold(paragraph);
  if (target.length < 8) return [];
  let page = '';
  const owner: number[] = [];
  const offsetInItem: number[] = [];
  const itemLen: number[] = [];
  items.forEach((str, i) => {
    const f = fold(str);
    itemLen.push(f.length);
    for (let k = 0; k < f.length; k++) {
      owner.push(i);
      offsetInItem.push(k);
    }
    page += f;
  });
  const range = findRange(page, target);
  if (!range) return [];
  const spans: ItemSpan[] = [];
  for (let c = range[0]; c < range[1]; c++) {
    const item = owner[c]!;
    const last = spans[spans.length - 1];
    if (last && last.item === item) {
      last.to = (offsetInItem[c]! + 1) / itemLen[item]!;
    } else {
      spans.push({ item, from: offsetInItem[c]! / itemLen[item]!, to: (offsetInItem[c]! + 1) / itemLen[item]! });
    }
  }
  return spans;
}

function findRange(page: string, t: string): [number, number] | null {
  const whole = page.indexOf(t);
  if (whole >= 0) return [whole, whole + t.length];
  let start: [number, number] | null = null;
  let end: [number, number] | null = null;
  for (const k of [80, 40, 20]) {
    if (t.length < k) continue;
    const i = page.indexOf(t.slice(0, k));
    if (i >= 0) {
      let j = k;
      while (i + j < page.length && j < t.length && page[i + j] === t[j]) j++;
      start = [i, i + j];
      break;
    }
  }
  for (const k of [80, 40, 20]) {
    if (t.length < k) continue;
    const i = page.lastIndexOf(t.slice(-k));
    if (i >= 0) {
      const e = i + k;
      let j = k;
      while (e - j - 1 >= 0 && j < t.length && page[e - j - 1] === t[t.length - j - 1]) j++;
      end = [e - j, e];
      break;
    }
  }
  if (start && end && end[1] > start[0] && end[1] - start[0] <= t.length * 1.5) return [start[0], end[1]];
  return start ?? end;
}
