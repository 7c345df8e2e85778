/**
 * The only two ways text reaches the page with highlights, both safe against report or query
 * text that looks like HTML:
 * - safeSnippet(): the API's snippet markup is re-escaped completely, then only literal <mark> and
 *   </mark> are re-allowed. The result is the only string ever rendered with unsafeHTML.
 * - highlightParts(): report text split into plain strings and the ranges the server marked
 *   (the words of the query, found by the server's one text matcher), rendered as Lit text
 *   bindings (never parsed as HTML).
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

/**
 * Text with the given ranges (the server's marks, sorted, [start, end)) wrapped in <mark>, as Lit
 * text parts (safe: nothing is parsed as HTML).
 */
export function highlightParts(text: string, ranges: ReadonlyArray<readonly [number, number]>): Array<string | TemplateResult> {
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
