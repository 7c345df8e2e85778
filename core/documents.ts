/** The document list and one document's full text for the reader. */
import type { DocListItem, DocumentResponse, DocumentsResponse, OutlineEntry } from './api-types.ts';
import { citation } from './citation.ts';
import { AppError } from './errors.ts';
import { findMentions } from './mentions.ts';
import { prepareQuery } from './prepared-query.ts';
import { findAll } from './text-match.ts';
import { docSummary } from './result-item.ts';
import type { DocMeta, ProcessedDoc } from './types.ts';

export function docListItem(meta: DocMeta, chunks: number, paragraphs: number): DocListItem {
  return { ...docSummary(meta), pages: meta.pages, words: meta.words, chunks, paragraphs };
}

/** The document list, newest first. */
export function sortedList(items: DocListItem[]): DocumentsResponse {
  return { documents: items.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title)) };
}

/** A link to the original file: every path segment encoded. */
export function fileUrl(source: string, page?: number | null): string {
  return `/files/${source.split('/').map(encodeURIComponent).join('/')}${page ? `#page=${page}` : ''}`;
}

/**
 * One document for the reader (null: a 404 naming the id). With the query it was opened with: the query's words marked in
 * every paragraph and the paragraphs that mention it (as every-mention counts them), found by the
 * one text matcher (core/text-match.ts) on the server, so the reader shows what the counts count.
 */
export function documentResponse(d: ProcessedDoc | null, id: string, q?: string): DocumentResponse {
  if (!d) throw new AppError('not_found', `Request: no document with id "${id.slice(0, 100)}"`);
  const prepared = q ? prepareQuery(q) : null;
  const words = prepared ? prepared.parsed.clauses.flatMap((c) => c.any) : [];
  const found = prepared ? findMentions([d], prepared) : [];
  const outline: OutlineEntry[] = d.paragraphs
    .filter((p) => p.heading)
    .map((p) => ({ title: p.text, level: p.section.length + 1, anchor: p.anchor }));
  return {
    doc: docListItem(d.meta, d.chunks.length, d.paragraphs.length),
    fileUrl: fileUrl(d.meta.source),
    citation: citation(d.meta, null, null),
    outline,
    paragraphs: d.paragraphs.map((p) => ({
      id: `${d.meta.id}#${p.anchor}`,
      anchor: p.anchor,
      section: p.section,
      number: p.number,
      page: p.pageStart,
      pageEnd: p.pageEnd,
      heading: p.heading,
      text: p.text,
      citation: citation(d.meta, p.number, p.pageStart),
      marks: words.length > 0 ? findAll(p.text, words).map((m): [number, number] => [m.start, m.end]) : [],
    })),
    mentions: prepared
      ? { query: q!, anchors: found.map((m) => m.paragraph.anchor), occurrences: found.reduce((n, m) => n + m.spans.length, 0) }
      : null,
  };
}
