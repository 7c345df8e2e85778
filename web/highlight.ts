/**
 * The only two ways text reaches the page with highlights, both safe against report or query
 * text that looks like HTML:
 * - safeSnippet(): the API's snippet markup is re-escaped completely, then only literal <mark> and
 *   </mark> are re-allowed. The result is the only string ever rendered with unsafeHTML.
 * - highlightParts(): report text split into plain strings and marked ranges, rendered as Lit
 *   text bindings (never parsed as HTML).
 */
import { html, type TemplateResult } from 'lit';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The API's snippet is escaped text with <mark>..</mark>. Defensive re-sanitising: split on the
 * literal mark tags, decode the five entities the server may have used (one pass, so "&amp;lt;"
 * stays "&lt;"), escape everything again, and put back only balanced <mark> / </mark>.
 * Whatever else the snippet holds (a stray <img onerror>, say) ends up as visible text.
 */
export function safeSnippet(snippet: string): string {
  const parts = snippet.split(/(<mark>|<\/mark>)/);
  let open = false;
  let out = '';
  for (const part of parts) {
    if (part === '<mark>') {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === '</mark>') {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += escapeHtml(decodeEntities(part));
    }
  }
  if (open) out += '</mark>';
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#x27|apos);/g, (_m, e: string) =>
    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'" })[e] ?? '');
}

const STOP = new Set(
  'a an and are as at be by for from has have in is it its of on or not that the their this to was were which with'.split(' '),
);

/**
 * Words of a query worth highlighting: quoted phrases and plain words, without operators,
 * exclusions (-word) or field filters (council:x), lightly stemmed so "leavers" finds "leaver".
 * A prefix query (safeguard*) keeps its star: it matches any word starting with it.
 */
export function queryTerms(q: string): string[] {
  const terms: string[] = [];
  const rest = q.replace(/"([^"]+)"/g, (_m, phrase: string) => {
    terms.push(...words(phrase).filter((t) => !STOP.has(t)).map(stem));
    return ' ';
  });
  for (const tok of rest.split(/\s+/)) {
    if (!tok || tok === 'OR' || tok === 'AND' || tok.startsWith('-') || /^\w+:/.test(tok)) continue;
    const prefix = tok.endsWith('*');
    const ws = words(tok.replace(/\*$/, '')).filter((t) => !STOP.has(t));
    terms.push(...ws.map((w, i) => (prefix && i === ws.length - 1 ? `${w}*` : stem(w))));
  }
  return [...new Set(terms)].filter((t) => t.replace(/\*$/, '').length >= 2);
}

function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function stem(w: string): string {
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'ied', 'ed', 'es', 's']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return w;
}

/**
 * Endings a highlighted word may add to a query term: "leaver" finds "leavers" and "accommod"
 * finds "accommodation", but "care" does not find "carers" or "careers".
 */
const SUFFIXES = "'s|s|es|ed|ing|ings|er|ers|ion|ions|ation|ations|ate|ated|ates|ating|ment|ments|al|ally|ly|ies|ied|y|e";
const SUFFIXES_AFTER_E = "'s|s|d|ly|ment|ments|ful";

function termRegex(terms: string[]): RegExp | null {
  if (terms.length === 0) return null;
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alts = [...terms]
    .sort((a, b) => b.length - a.length)
    .map((t) => {
      if (t.endsWith('*')) return `${esc(t.slice(0, -1))}[\\p{L}\\p{N}]*`;
      return `${esc(t)}(?:${t.endsWith('e') ? SUFFIXES_AFTER_E : SUFFIXES})?`;
    });
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

/** Ranges [start, end) of the terms in text. */
export function matchRanges(text: string, terms: string[]): Array<[number, number]> {
  const re = termRegex(terms);
  if (!re) return [];
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(re)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Text with the terms wrapped in <mark>, as Lit text parts (safe: nothing is parsed as HTML). */
export function highlightParts(text: string, terms: string[]): Array<string | TemplateResult> {
  const ranges = matchRanges(text, terms);
  if (ranges.length === 0) return [text];
  const parts: Array<string | TemplateResult> = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) parts.push(text.slice(at, s));
    parts.push(html`<mark>${text.slice(s, e)}</mark>`);
    at = e;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}
