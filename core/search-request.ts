/**
 * What a search asks (the query, mode, page, filters) and the tuning it is ranked with: the same
 * for every engine (core/engine-search.ts).
 */
import type { SearchMode } from './api-types.ts';
import { DEFAULT_FUSION, type FusionOptions } from './fusion.ts';
import { DEFAULT_KEYWORD_WEIGHTS, type KeywordWeights } from './keyword-search.ts';
import type { Filters } from './query.ts';

export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'keyword', 'semantic'];

export interface SearchRequest {
  q: string;
  mode?: SearchMode;
  limit?: number;
  offset?: number;
  filters?: Partial<Filters>;
  /** Read councils and years in the free text as soft boosts (default true). */
  understand?: boolean;
  /**
   * Awaited before each stage of work on this thread (at the start, when the query vector has
   * arrived, when the focus sentences have), so a server can run the stages of a long search at
   * a lower priority than short requests (server/cooperative.ts backgroundTurn). The answer does
   * not depend on it.
   */
  pause?: () => Promise<void>;
}

export interface SearchTuning {
  fusion: FusionOptions;
  /** Semantic candidates considered (and returned at most) per query. */
  semanticK: number;
  /** Keyword hits fused in hybrid mode (best first). */
  hybridKeywordK: number;
  /** Use the thesaurus in keyword and hybrid modes. */
  thesaurus: boolean;
  keyword: KeywordWeights;
  /** Score factor for a report of a council named in the query (a soft boost, never a filter). */
  councilBoost: number;
  /** Score factor for a report of a year written in the query. */
  yearBoost: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  fusion: DEFAULT_FUSION,
  semanticK: 100,
  hybridKeywordK: 300,
  thesaurus: true,
  keyword: DEFAULT_KEYWORD_WEIGHTS,
  councilBoost: 1.5,
  yearBoost: 1,
};
