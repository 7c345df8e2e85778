/**
 * The HTTP API's types: the contract between server/ and web/, inferred from the zod schemas in
 * core/api-schema.ts (the one source; change a shape there). web/ imports these with
 * `import type` only.
 */
export type {
  CouncilCount,
  DocListItem,
  DocSummary,
  DocumentResponse,
  DocumentsResponse,
  ErrorResponse,
  FacetValue,
  Facets,
  HealthResponse,
  HelpResponse,
  MatchInfo,
  MentionsParams,
  MentionsResponse,
  OutlineEntry,
  ParagraphItem,
  RefusedIndex,
  ResultItem,
  SearchMode,
  SearchParams,
  SearchResponse,
  YearCount,
} from './api-schema.ts';
