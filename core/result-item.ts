/** A chunk (or paragraph) as a cited search result: the API's ResultItem. */
import type { DocSummary, MatchInfo, ResultItem } from './api-types.ts';
import { citation } from './citation.ts';
import { makeSnippet } from './snippet.ts';
import type { Span } from './text-match.ts';
import type { Chunk, DocMeta } from './types.ts';

/** What a result needs of a chunk (or of a paragraph, for every-mention results). */
export type Citable = Pick<Chunk, 'id' | 'anchor' | 'text' | 'section' | 'paragraphs' | 'pageStart' | 'pageEnd'>;

export function docSummary(m: DocMeta): DocSummary {
  return { id: m.id, title: m.title, council: m.council, date: m.date, year: m.year, type: m.type, source: m.source, judgements: m.judgements };
}

/** "29", or "29-31" when a chunk covers several printed paragraphs. */
export function paragraphLabel(numbers: string[]): string | null {
  if (numbers.length === 0) return null;
  return numbers.length === 1 ? numbers[0]! : `${numbers[0]}-${numbers[numbers.length - 1]}`;
}

export function readerUrl(docId: string, anchor: string): string {
  return `/doc/${encodeURIComponent(docId)}#${anchor}`;
}

export function toResultItem(
  c: Citable,
  meta: DocMeta,
  spans: Span[],
  match: Omit<MatchInfo, 'terms'>,
  extra: { score: number; duplicates: number; duplicateDocs?: string[]; focusSentence?: number | null },
): ResultItem {
  const terms = [...new Set(spans.map((s) => c.text.slice(s.start, s.end).toLowerCase()))];
  const doc = docSummary(meta);
  const paragraph = paragraphLabel(c.paragraphs);
  return {
    id: c.id,
    score: Math.round(extra.score * 10_000) / 10_000,
    text: c.text,
    snippet: makeSnippet(c.text, spans, { focusSentence: extra.focusSentence ?? null }),
    match: { ...match, terms },
    section: c.section,
    paragraph,
    page: c.pageStart,
    pageEnd: c.pageEnd,
    anchor: c.anchor,
    url: readerUrl(meta.id, c.anchor),
    citation: citation(doc, paragraph, c.pageStart),
    duplicates: extra.duplicates,
    ...(extra.duplicateDocs && extra.duplicateDocs.length > 0 ? { duplicateDocs: extra.duplicateDocs } : {}),
    doc,
  };
}
