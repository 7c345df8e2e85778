/**
 * The search state lives in the URL: q, mode, council (repeatable), type (repeatable), from, to,
 * judgement, page, understand (off: councils and years named in the text are not boosted). Parsing is forgiving (bad values fall back to defaults); the server validates.
 */
import type { SearchMode } from '../core/api-types.ts';

export interface SearchState {
  q: string;
  mode: SearchMode;
  council: string[];
  type: string[];
  from: number | null;
  to: number | null;
  judgement: string;
  page: number;
  /** Councils and years named in the free text rank their reports first (the server's default). */
  understand: boolean;
}

export const MODES: readonly SearchMode[] = ['hybrid', 'keyword', 'semantic'];

export function emptyState(): SearchState {
  return { q: '', mode: 'hybrid', council: [], type: [], from: null, to: null, judgement: '', page: 1, understand: true };
}

function year(v: string | null): number | null {
  if (!v || !/^\d{4}$/.test(v)) return null;
  return Number(v);
}

export function parseState(search: string): SearchState {
  const p = new URLSearchParams(search);
  const mode = p.get('mode') as SearchMode | null;
  const page = Number(p.get('page') ?? '1');
  return {
    q: p.get('q') ?? '',
    mode: mode && MODES.includes(mode) ? mode : 'hybrid',
    council: p.getAll('council').filter(Boolean),
    type: p.getAll('type').filter(Boolean),
    from: year(p.get('from')),
    to: year(p.get('to')),
    judgement: p.get('judgement') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    understand: p.get('understand') !== 'off',
  };
}

/** The query string for a state, leaving defaults out so URLs stay short. */
export function stateToSearch(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.mode !== 'hybrid') p.set('mode', s.mode);
  for (const c of s.council) p.append('council', c);
  for (const t of s.type) p.append('type', t);
  if (s.from != null) p.set('from', String(s.from));
  if (s.to != null) p.set('to', String(s.to));
  if (s.judgement) p.set('judgement', s.judgement);
  if (s.page > 1) p.set('page', String(s.page));
  if (!s.understand) p.set('understand', 'off');
  const str = p.toString();
  return str ? `?${str}` : '';
}

export function hasFilters(s: SearchState): boolean {
  return s.council.length > 0 || s.type.length > 0 || s.from != null || s.to != null || s.judgement !== '';
}

/** Reader link for a result: /doc/<id>?q=..#<anchor>, so the reader can highlight the query words. */
export function readerUrl(resultUrl: string, q: string): string {
  const hash = resultUrl.indexOf('#');
  const path = hash >= 0 ? resultUrl.slice(0, hash) : resultUrl;
  const anchor = hash >= 0 ? resultUrl.slice(hash) : '';
  const sep = path.includes('?') ? '&' : '?';
  return q ? `${path}${sep}q=${encodeURIComponent(q)}${anchor}` : resultUrl;
}
