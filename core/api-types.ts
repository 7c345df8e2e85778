/**
 * The HTTP API's types: the contract between server/ and web/, inferred from the zod schemas in
 * core/api-schema.ts (the one source; change a shape there). web/ imports these with
 * `import type` only.
 */
export type {
  CouncilCount,
  CouncilReport,
  CouncilResponse,
  DocListItem,
  DocSummary,
  DocumentResponse,
  DocumentsResponse,
  ErrorResponse,
  FacetValue,
  Facets,
  HealthResponse,
  HelpResponse,
  JudgementAreaInfo,
  MatchInfo,
  MentionYearsResponse,
  MentionsParams,
  MentionsResponse,
  OutlineEntry,
  ParagraphItem,
  RefusedIndex,
  ResultItem,
  SearchMode,
  SearchParams,
  SearchResponse,
  SimilarParams,
  SimilarResponse,
  ThemeYears,
  YearCount,
} from './api-schema.ts';
