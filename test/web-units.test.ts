/**
 * The web UI's pure parts, run in Node: snippet sanitising, marking the server's ranges,
 * URL state, and locating a paragraph among a PDF page's text items.
 */
import { describe, expect, it } from 'vitest';
import { highlightParts, safeSnippet } from '../web/highlight.ts';
import { matchParagraph } from '../web/page-match.ts';
import { emptyState, parseState, readerUrl, stateToSearch } from '../web/url-state.ts';

describe('safeSnippet', () => {
  it('keeps only balanced <mark> tags and shows everything else as text', () => {
    const api = 'The &lt;script&gt;x&lt;/script&gt; and <mark>care</mark> leavers';
    expect(safeSnippet(api)).toBe('The &lt;script&gt;x&lt;/script&gt; and <mark>care</mark> leavers');
    // Raw markup that should never come from the API is escaped too.
    expect(safeSnippet('<img src=x onerror="alert(1)"><mark>a</mark><b>b</b>')).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<mark>a</mark>&lt;b&gt;b&lt;/b&gt;',
    );
    expect(safeSnippet('<mark>open')).toBe('<mark>open</mark>');
    expect(safeSnippet('stray </mark> close')).toBe('stray  close');
    expect(safeSnippet('&amp;lt;')).toBe('&amp;lt;');
  });
});

describe('marks from the server', () => {
  it('wraps exactly the given ranges, as text parts', () => {
    const text = 'Care leavers, carers and <b>careers</b>';
    const parts = highlightParts(text, [[0, 4], [5, 12]]);
    expect(parts).toHaveLength(4);
    expect(parts[1]).toBe(' ');
    expect(parts[3]).toBe(', carers and <b>careers</b>');
    expect(highlightParts(text, [])).toEqual([text]);
  });
});

describe('URL state', () => {
  it('round-trips every field and leaves defaults out', () => {
    const s = { ...emptyState(), q: 'care leavers & "LAC"', mode: 'keyword' as const, council: ['Hackney', 'Havering'], type: ['ilacs'], from: 2015, to: 2019, judgement: 'good', page: 3 };
    expect(parseState(stateToSearch(s))).toEqual(s);
    expect(stateToSearch(emptyState())).toBe('');
    expect(stateToSearch({ ...emptyState(), q: 'x' })).toBe('?q=x');
  });
  it('falls back to defaults for bad values', () => {
    expect(parseState('?mode=nope&page=-2&from=20x9')).toEqual(emptyState());
  });
  it('adds the query to reader links before the fragment', () => {
    expect(readerUrl('/doc/abc#p12', 'care leavers')).toBe('/doc/abc?q=care%20leavers#p12');
    expect(readerUrl('/doc/abc#p12', '')).toBe('/doc/abc#p12');
  });
});

describe('matchParagraph', () => {
  const items = ['26. Services for care leavers have', 'improved.', '27.', 'The vast majority of young people leaving', 'care bene-', 'fit from a good range of accommodation.', '28. The range'];
  it('finds a paragraph whatever the spacing, hyphenation and numbering', () => {
    const spans = matchParagraph(items, '27. The vast majority of young people leaving care benefit from a good range of accommodation.');
    expect(spans.map((s) => s.item)).toEqual([2, 3, 4, 5]);
    expect(spans[0]!.from).toBe(0);
    expect(spans[spans.length - 1]!.to).toBe(1);
  });
  it('anchors the start of a paragraph that runs onto the next page', () => {
    const spans = matchParagraph(items, 'The vast majority of young people leaving care benefit from a good range of accommodation. It goes on over the page with much more text than fits.');
    expect(spans.map((s) => s.item)).toEqual([3, 4, 5]);
  });
  it('returns nothing when the paragraph is not on the page', () => {
    expect(matchParagraph(items, 'Nothing like this sentence appears on the page at all.')).toEqual([]);
  });
});
