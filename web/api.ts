/**
 * Typed client for the JSON API. The routes, their parameters and answers are the ones of the
 * schemas in core/api-schema.ts (served as OpenAPI at /api/openapi.json); this file imports their
 * types only. Every call returns the typed body or throws an ApiError carrying the server's
 * `{ error: { code, message } }` (or a network message).
 */
import type {
  CouncilResponse,
  DocumentResponse,
  ErrorResponse,
  HealthResponse,
  HelpResponse,
  MentionsParams,
  MentionsResponse,
  SearchParams,
  SearchResponse,
  SimilarParams,
  SimilarResponse,
} from '../core/api-types.ts';
import type { SearchState } from './url-state.ts';

/** GET routes of the API and what they answer. */
interface Routes {
  '/api/search': SearchResponse;
  '/api/mentions': MentionsResponse;
  '/api/health': HealthResponse;
  '/api/help': HelpResponse;
  '/api/similar': SimilarResponse;
  [document: `/api/documents/${string}`]: DocumentResponse;
  [council: `/api/councils/${string}`]: CouncilResponse;
}

/** Query parameters of search, mentions, the CSV export and the feed (all optional but q), and of similar paragraphs. */
export type ApiParams = (Pick<SearchParams, 'q'> & Partial<Omit<SearchParams, 'q'> & Omit<MentionsParams, 'q'>>) | Partial<SimilarParams>;

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function getJson<P extends keyof Routes>(path: P, params?: ApiParams, signal?: AbortSignal): Promise<Routes[P]> {
  let res: Response;
  try {
    res = await fetch(params ? `${path}?${queryString(params)}` : path, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('network', 'The search server did not answer. Check that it is running (npm start) and try again.', 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as ErrorResponse | null)?.error;
    throw new ApiError(e?.code ?? `http_${res.status}`, e?.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status);
  }
  return body as Routes[P];
}

/** Parameters as the server reads them: arrays as repeated parameters, nothing for undefined. */
export function queryString(params: ApiParams): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params) as Array<[string, string | number | string[] | undefined]>) {
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else if (v !== undefined) p.set(k, String(v));
  }
  return p;
}

/** The filters of a search state, as API parameters. */
export function stateParams(s: SearchState): ApiParams {
  return {
    q: s.q,
    council: s.council,
    // Values from the URL; the server checks them and answers a 400 naming the parameter.
    type: s.type as SearchParams['type'],
    ...(s.from != null ? { from: s.from } : {}),
    ...(s.to != null ? { to: s.to } : {}),
    judgement: s.judgement ? [s.judgement] : [],
  };
}

export const PAGE_SIZE = 10;

export function search(s: SearchState, signal?: AbortSignal): Promise<SearchResponse> {
  const understand = s.understand ? {} : { understand: 'off' as const };
  return getJson('/api/search', { ...stateParams(s), mode: s.mode, limit: PAGE_SIZE, offset: (s.page - 1) * PAGE_SIZE, ...understand }, signal);
}

export const MENTIONS_PAGE_SIZE = 100;

export function mentions(s: SearchState, offset: number, signal?: AbortSignal, limit = MENTIONS_PAGE_SIZE): Promise<MentionsResponse> {
  return getJson('/api/mentions', { ...stateParams(s), limit, offset }, signal);
}

export function mentionsCsvUrl(s: SearchState): string {
  return `/api/mentions?${queryString({ ...stateParams(s), format: 'csv' })}`;
}

/** The compared themes' numbers by year as CSV (one row per theme and year). */
export function themesCsvUrl(themes: string[], s: SearchState): string {
  const p = queryString({ ...stateParams(s), format: 'csv' } as ApiParams);
  p.delete('q');
  return `/api/mentions/years?${themes.map((t) => `q=${encodeURIComponent(t)}`).join('&')}&${p}`;
}

/** The paragraphs of other councils' reports most like one paragraph (its id), with the page's filters. */
export function similar(params: Partial<SimilarParams> & { id: string }, signal?: AbortSignal): Promise<SimilarResponse> {
  return getJson('/api/similar', params, signal);
}

/** A council's record; with a theme, how often each report mentions it. */
export function council(name: string, q: string, signal?: AbortSignal): Promise<CouncilResponse> {
  return getJson(`/api/councils/${encodeURIComponent(name)}`, q ? { q } : undefined, signal);
}

/** The page of a council's record (and a theme counted in it). */
export function councilPageUrl(name: string, q = ''): string {
  return `/council/${encodeURIComponent(name)}${q ? `?q=${encodeURIComponent(q)}` : ''}`;
}

/** The page of "practice like this elsewhere" for a paragraph (a result's or the reader's id). */
export function similarPageUrl(id: string): string {
  return `/similar?id=${encodeURIComponent(id)}`;
}

export function feedUrl(s: SearchState): string {
  return `/api/feed?${queryString(stateParams(s))}`;
}

/** One report for the reader; with the query it was opened with, its marks and mentions (computed by the server). */
export function documentById(id: string, q?: string, signal?: AbortSignal): Promise<DocumentResponse> {
  return getJson(`/api/documents/${encodeURIComponent(id)}`, q ? { q } : undefined, signal);
}

export function health(): Promise<HealthResponse> {
  return getJson('/api/health');
}

/** The query-syntax help from /api/help: examples with their meaning, notes and modes. */
export interface HelpContent {
  syntax: HelpResponse['syntax'];
  notes: string[];
  modes: Array<{ mode: string; meaning: string }>;
}

export async function help(): Promise<HelpContent> {
  try {
    const body = await getJson('/api/help');
    return { syntax: body.syntax, notes: body.notes, modes: Object.entries(body.modes).map(([mode, meaning]) => ({ mode, meaning })) };
  } catch (err) {
    if (err instanceof ApiError && err.code !== 'network') throw new ApiError(err.code, 'The query help could not be loaded; try again in a moment.', err.status);
    throw err;
  }
}
