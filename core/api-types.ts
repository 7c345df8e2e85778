/**
 * The HTTP API's response shapes: the contract between server/ and web/.
 * web/ imports these with `import type` only.
 */
import type { EmbedderInfo, Judgement, ReportType } from './types.ts';

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';

export interface DocSummary {
  id: string;
  title: string;
  council: string | null;
  date: string | null;
  year: number | null;
  type: ReportType;
  /** Path relative to the corpus folder. */
  source: string;
  judgements: Judgement[];
}

export interface MatchInfo {
  /** Matched by words (BM25 / exact phrase). */
  keyword: boolean;
  /** Matched by meaning (embedding similarity). */
  semantic: boolean;
  /** The words of the chunk that matched (surface forms, including stems and synonyms). */
  terms: string[];
}

export interface ResultItem {
  /** Chunk id. */
  id: string;
  score: number;
  /** The chunk's own full text. */
  text: string;
  /** 1-3 best sentences; escaped text where only <mark> and </mark> are markup. */
  snippet: string;
  match: MatchInfo;
  section: string[];
  /** Printed paragraph number(s), e.g. "29" or "29-30", else null. */
  paragraph: string | null;
  /** PDF page the chunk starts on, else null. */
  page: number | null;
  pageEnd: number | null;
  anchor: string;
  /** Opens the reader at the chunk: /doc/<docId>#<anchor>. */
  url: string;
  /** Ready to paste: "Ofsted, Inspection of Hackney local authority children's services, 2019, para 29, p. 7". */
  citation: string;
  /** Number of near-identical chunks collapsed into this one (1 when unique). */
  duplicates: number;
  /** Other documents whose near-identical chunk was collapsed into this result. */
  duplicateDocs?: string[];
  doc: DocSummary;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface Facets {
  council: FacetValue[];
  year: FacetValue[];
  type: FacetValue[];
  judgement: FacetValue[];
}

export interface SearchResponse {
  query: string;
  mode: SearchMode;
  total: number;
  tookMs: number;
  embedder: EmbedderInfo;
  results: ResultItem[];
  facets: Facets;
  /**
   * Councils and years read in the query's free text (not given as filters): their reports are
   * ranked first (a soft boost, never a filter), which the UI says ("showing Doncaster first").
   */
  understood: { councils: string[]; years: number[] };
}

export interface YearCount {
  year: number;
  /** Matching paragraphs in that year. */
  count: number;
  /** Occurrences of the phrase / query terms in that year. */
  occurrences: number;
  /** Reports of that year (in the current filter) that mention it. */
  reports: number;
  /** All reports of that year in the current filter. */
  reportsTotal: number;
  /** Occurrences per 10 000 words of that year's reports. */
  per10kWords: number;
}

export interface CouncilCount {
  council: string;
  count: number;
  occurrences: number;
  reports: number;
}

export interface MentionsResponse {
  query: string;
  /** Paragraph chunks that match. */
  total: number;
  /** Matches (occurrences) over all of them. */
  occurrences: number;
  byYear: YearCount[];
  byCouncil: CouncilCount[];
  results: Array<ResultItem & { occurrences: number }>;
}

export interface DocListItem extends DocSummary {
  pages: number | null;
  words: number;
  chunks: number;
  paragraphs: number;
}

export interface DocumentsResponse {
  documents: DocListItem[];
}

export interface OutlineEntry {
  title: string;
  level: number;
  anchor: string;
}

export interface ParagraphItem {
  id: string;
  anchor: string;
  section: string[];
  number: string | null;
  page: number | null;
  pageEnd: number | null;
  heading: boolean;
  text: string;
  /** Ready to paste, as for search results. */
  citation: string;
}

export interface DocumentResponse {
  doc: DocListItem;
  /** /files/<source> link to the original file. */
  fileUrl: string;
  /** The report's citation (no paragraph or page). */
  citation: string;
  outline: OutlineEntry[];
  paragraphs: ParagraphItem[];
}

export interface HealthResponse {
  status: 'ok';
  documents: number;
  chunks: number;
  embedder: EmbedderInfo;
  builtAt: string;
}

export interface ErrorResponse {
  error: { code: string; message: string };
}
