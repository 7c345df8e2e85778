/**
 * Fetch client for the JSON API (see issue 3, "HTTP API"). Every call returns the typed body or
 * throws an ApiError carrying the server's `{ error: { code, message } }` (or a network message).
 */
import type {
  DocumentResponse,
  ErrorResponse,
  HealthResponse,
  MentionsResponse,
  SearchResponse,
} from '../core/api-types.ts';
import type { SearchState } from './url-state.ts';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('network', 'The search server did not answer. Check that it is running (npm start) and try again.', 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as ErrorResponse | null)?.error;
    throw new ApiError(e?.code ?? `http_${res.status}`, e?.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status);
  }
  return body as T;
}

/** Query-string parameters shared by search, mentions, CSV and feed links. */
export function filterParams(s: SearchState, extra: Record<string, string | number | undefined> = {}): URLSearchParams {
  const p = new URLSearchParams();
  p.set('q', s.q);
  for (const c of s.council) p.append('council', c);
  for (const t of s.type) p.append('type', t);
  if (s.from != null) p.set('from', String(s.from));
  if (s.to != null) p.set('to', String(s.to));
  if (s.judgement) p.set('judgement', s.judgement);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, String(v));
  return p;
}

export const PAGE_SIZE = 10;

export function search(s: SearchState, signal?: AbortSignal): Promise<SearchResponse> {
  const p = filterParams(s, { mode: s.mode, limit: PAGE_SIZE, offset: (s.page - 1) * PAGE_SIZE });
  return getJson<SearchResponse>(`/api/search?${p}`, signal);
}

export const MENTIONS_PAGE_SIZE = 100;

export function mentions(s: SearchState, offset: number, signal?: AbortSignal): Promise<MentionsResponse> {
  const p = filterParams(s, { limit: MENTIONS_PAGE_SIZE, offset });
  return getJson<MentionsResponse>(`/api/mentions?${p}`, signal);
}

export function mentionsCsvUrl(s: SearchState): string {
  return `/api/mentions?${filterParams(s, { format: 'csv' })}`;
}

export function feedUrl(s: SearchState): string {
  return `/api/feed?${filterParams(s)}`;
}

export function documentById(id: string, signal?: AbortSignal): Promise<DocumentResponse> {
  return getJson<DocumentResponse>(`/api/documents/${encodeURIComponent(id)}`, signal);
}

export function health(): Promise<HealthResponse> {
  return getJson<HealthResponse>('/api/health');
}

/** The query-syntax help from /api/help: examples with their meaning, notes and modes. */
export interface HelpContent {
  syntax: Array<{ example: string; meaning: string }>;
  notes: string[];
  modes: Array<{ mode: string; meaning: string }>;
  /** Plain text when the server sends something else. */
  text: string;
}

export async function help(): Promise<HelpContent> {
  const res = await fetch('/api/help', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new ApiError(`http_${res.status}`, 'The query help could not be loaded; try again in a moment.', res.status);
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return { syntax: [], notes: [], modes: [], text: await res.text() };
  const body = (await res.json()) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const syntax = Array.isArray(body.syntax)
    ? body.syntax.map((r: Record<string, unknown>) => ({ example: str(r.example ?? r.syntax), meaning: str(r.meaning ?? r.description) }))
    : [];
  const notes = Array.isArray(body.notes) ? body.notes.map(str).filter(Boolean) : [];
  const modes = body.modes && typeof body.modes === 'object'
    ? Object.entries(body.modes as Record<string, unknown>).map(([mode, meaning]) => ({ mode, meaning: str(meaning) }))
    : [];
  const text = syntax.length || notes.length ? '' : JSON.stringify(body, null, 2);
  return { syntax, notes, modes, text };
}
