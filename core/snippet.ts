/**
 * Snippets: the best one to three sentences of a chunk, with matched words marked.
 * Built from escaped text: the only markup in the result is <mark> and </mark>.
 */
import { sentenceSpans } from './sentences.ts';
import type { Span } from './text-match.ts';

export interface SnippetOptions {
  maxSentences: number;
  maxChars: number;
  /** Sentence to centre on when nothing matched by words (semantic hits): index into sentenceSpans. */
  focusSentence?: number | null;
}

const DEFAULTS: SnippetOptions = { maxSentences: 3, maxChars: 360 };

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escaped text of text[start, end) with the spans inside it wrapped in <mark>. */
export function markRange(text: string, spans: Span[], start: number, end: number): string {
  let out = '';
  let at = start;
  for (const s of spans) {
    if (s.end <= start || s.start >= end) continue;
    const a = Math.max(s.start, start);
    const b = Math.min(s.end, end);
    out += escapeHtml(text.slice(at, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    at = b;
  }
  return out + escapeHtml(text.slice(at, end));
}

/** Pick the window of sentences with the most (distinct) matches, or the focus sentence. */
export function makeSnippet(text: string, spans: Span[], options: Partial<SnippetOptions> = {}): string {
  const o = { ...DEFAULTS, ...options };
  const sentences = sentenceSpans(text);
  if (sentences.length === 0) return '';
  let bestStart = 0;
  let bestLen = 1;
  if (spans.length > 0) {
    let bestScore = -1;
    for (let i = 0; i < sentences.length; i++) {
      for (let n = 1; n <= o.maxSentences && i + n <= sentences.length; n++) {
        const from = sentences[i]![0];
        const to = sentences[i + n - 1]![1];
        if (n > 1 && to - from > o.maxChars) break;
        const inside = spans.filter((s) => s.start >= from && s.end <= to);
        const distinct = new Set(inside.map((s) => text.slice(s.start, s.end).toLowerCase())).size;
        // Distinct words count most, then total matches; shorter windows win ties.
        const score = distinct * 10 + inside.length - n * 0.5;
        if (score > bestScore) {
          bestScore = score;
          bestStart = i;
          bestLen = n;
        }
      }
    }
  } else if (o.focusSentence != null && o.focusSentence >= 0 && o.focusSentence < sentences.length) {
    bestStart = o.focusSentence;
  }
  // Grow the window with following (then preceding) sentences while it stays short.
  let from = sentences[bestStart]![0];
  let to = sentences[bestStart + bestLen - 1]![1];
  let next = bestStart + bestLen;
  while (next < sentences.length && next - bestStart < o.maxSentences && sentences[next]![1] - from <= o.maxChars * 0.6) to = sentences[next++]![1];
  ({ from, to } = trim(text, spans, from, to, o.maxChars));
  const lead = from > 0 ? '… ' : '';
  const tail = to < text.length ? ' …' : '';
  return lead + markRange(text, spans, from, to).trim() + tail;
}

/** Cut an over-long window around its first match, at word boundaries. */
function trim(text: string, spans: Span[], from: number, to: number, maxChars: number): { from: number; to: number } {
  while (from < to && /\s/.test(text[from]!)) from++;
  if (to - from <= maxChars) return { from, to };
  const first = spans.find((s) => s.start >= from && s.end <= to);
  let a = first ? Math.max(from, first.start - Math.floor(maxChars / 3)) : from;
  let b = Math.min(to, a + maxChars);
  if (a > from) {
    const sp = text.indexOf(' ', a);
    if (sp !== -1 && sp < b) a = sp + 1;
  }
  if (b < to) {
    const sp = text.lastIndexOf(' ', b);
    if (sp > a) b = sp;
  }
  return { from: a, to: b };
}
