/**
 * One file -> one processed document: read the text (ingest), find paragraphs and sections,
 * extract metadata, cut chunks. Throws AppError('unreadable_file') when the file cannot be used.
 */
import { createHash } from 'node:crypto';
import type { ProcessedDoc } from '../core/types.ts';
import { applyCatalog, type CatalogEntry } from './catalog.ts';
import { countWords, toChunks } from './chunk.ts';
import { ingestFile } from './ingest/index.ts';
import { extractMeta } from './metadata.ts';
import { documentText, toParagraphs } from './sections.ts';

export async function processFile(source: string, bytes: Uint8Array, contentHash: string, catalogEntry?: CatalogEntry): Promise<ProcessedDoc> {
  const ingested = await ingestFile(bytes, source);
  const paragraphs = toParagraphs(ingested.blocks);
  const text = documentText(paragraphs);
  const id = docIdFor(source);
  const extracted = applyCatalog(
    extractMeta({ source, text: ingested.blocks.map((b) => b.text).join('\n'), title: ingested.title }),
    catalogEntry,
  );
  return {
    meta: { id, source, ...extracted, format: ingested.format, pages: ingested.pages, words: countWords(text), contentHash },
    text,
    paragraphs,
    chunks: toChunks(id, text, paragraphs),
  };
}

/**
 * A stable, readable, URL-safe id from the source path: the same path always gives the same id,
 * so links to a report survive re-indexing and changes to its content.
 */
export function docIdFor(source: string): string {
  const slug = source
    .replace(/\.[a-z0-9]+$/i, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Keep the end of long paths (council and date), cut at a word boundary.
  const short = slug.length > 60 ? slug.slice(slug.indexOf('-', slug.length - 60) + 1) : slug;
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 6);
  return `${short || 'doc'}-${hash}`;
}
