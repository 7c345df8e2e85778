/**
 * The data that flows through the pipeline:
 * files -> text (Block) -> paragraphs (Paragraph) -> chunks (Chunk) -> indexes -> results.
 * Plain data only: everything here is JSON-serialisable and shared by indexer, server and web.
 */

/**
 * Kinds of report, decided from the text and the file name (or a catalog sidecar):
 *   apa            annual performance assessment letter (2005-2008)
 *   jar            joint area review (2005-2009)
 *   slac           inspection of safeguarding and looked after children services (2009-2013)
 *   sif            single inspection framework: children in need of help and protection (2013-2017)
 *   ilacs          inspection of local authority children's services (2018-)
 *   focused-visit
 *   committee      council scrutiny / committee papers
 *   other
 */
export const REPORT_TYPES = ['apa', 'jar', 'slac', 'sif', 'ilacs', 'focused-visit', 'committee', 'other'] as const;

export type ReportType = (typeof REPORT_TYPES)[number];

/** A judgement stated in a report, e.g. { area: 'overall effectiveness', grade: 'good' } or an APA grade '3'. */
export interface Judgement {
  area: string;
  grade: string;
}

/** Supported input formats (decided by content, not by file name). */
export type SourceFormat = 'pdf' | 'txt' | 'md' | 'html';

/**
 * A block of text as read from a file, before sectioning. One block is one paragraph, heading,
 * list item or table row as the reader could tell. Pages are 1-based; null for formats without pages.
 */
export interface Block {
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
  /** What the reader could tell from layout (font size, bold, indentation); sections.ts decides in the end. */
  hint?: 'heading' | 'list-item' | 'table-row' | 'paragraph';
  /** Heading level hint from layout (1 = largest). */
  level?: number;
}

/** What an ingest module returns for one file. */
export interface IngestedText {
  format: SourceFormat;
  blocks: Block[];
  /** Number of pages for paged formats, else null. */
  pages: number | null;
  /** A title when the format carries one (HTML <title>, PDF info), else null. */
  title: string | null;
}

/** Metadata of one report. */
export interface DocMeta {
  /** Stable id derived from the source path (URL safe). */
  id: string;
  /** Path relative to the corpus folder, with forward slashes. */
  source: string;
  title: string;
  /** Local authority, e.g. "Hackney", "Hertfordshire". */
  council: string | null;
  /** ISO date (yyyy-mm-dd) of the report (publication, or letter / inspection date). */
  date: string | null;
  year: number | null;
  type: ReportType;
  judgements: Judgement[];
  format: SourceFormat;
  pages: number | null;
  /** Words in the cleaned text. */
  words: number;
  /** SHA-256 (hex) of the file's bytes. */
  contentHash: string;
}

/** A paragraph of the cleaned document text. `start`/`end` are offsets into the cleaned text. */
export interface Paragraph {
  /** Stable within the document for the same content, e.g. "p12". */
  anchor: string;
  text: string;
  /** Heading path, outermost first. Empty for text before the first heading. */
  section: string[];
  /** Paragraph number as printed in the report ("29", "3.2"), else null. */
  number: string | null;
  pageStart: number | null;
  pageEnd: number | null;
  start: number;
  end: number;
  /** True for headings: they are kept in the text and outline but are not chunks of their own. */
  heading: boolean;
}

/** The unit that is indexed and returned as a search result. */
export interface Chunk {
  /** Globally unique: `${docId}#${anchor}`. */
  id: string;
  docId: string;
  anchor: string;
  text: string;
  section: string[];
  /** Printed paragraph numbers covered by the chunk, in order. */
  paragraphs: string[];
  pageStart: number | null;
  pageEnd: number | null;
  /** Offsets into the cleaned document text. */
  start: number;
  end: number;
  words: number;
}

/** A fully processed document: metadata, cleaned text, paragraphs and chunks. */
export interface ProcessedDoc {
  meta: DocMeta;
  /** The cleaned text: paragraphs joined by blank lines; all offsets point into it. */
  text: string;
  paragraphs: Paragraph[];
  chunks: Chunk[];
}

/** A file the indexer could not use, with a one-line reason. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** Identity of the embedding model used for an index. Vectors of two ids are never mixed. */
export interface EmbedderInfo {
  id: string;
  dim: number;
}
