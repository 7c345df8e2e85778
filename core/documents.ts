/** The document list and one document's full text for the reader. */
import type { DocListItem, DocumentResponse, DocumentsResponse, OutlineEntry } from './api-types.ts';
import { citation } from './citation.ts';
import { AppError } from './errors.ts';
import { docSummary } from './result-item.ts';
import type { SearchIndex } from './search-index.ts';
import type { ProcessedDoc } from './types.ts';

export function listItem(d: ProcessedDoc): DocListItem {
  return { ...docSummary(d.meta), pages: d.meta.pages, words: d.meta.words, chunks: d.chunks.length, paragraphs: d.paragraphs.length };
}

export function listDocuments(index: SearchIndex): DocumentsResponse {
  const documents = index.docs.map(listItem).sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
  return { documents };
}

/** A link to the original file: every path segment encoded. */
export function fileUrl(source: string, page?: number | null): string {
  return `/files/${source.split('/').map(encodeURIComponent).join('/')}${page ? `#page=${page}` : ''}`;
}

export function getDocument(index: SearchIndex, id: string): DocumentResponse {
  const d = index.docById.get(id);
  if (!d) throw new AppError('not_found', `Request: no document with id "${id.slice(0, 100)}"`);
  const outline: OutlineEntry[] = d.paragraphs
    .filter((p) => p.heading)
    .map((p) => ({ title: p.text, level: p.section.length + 1, anchor: p.anchor }));
  return {
    doc: listItem(d),
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
    })),
  };
}
