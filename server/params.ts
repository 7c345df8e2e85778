/**
 * Request parameters -> validated values. Every problem is a 400 naming the parameter
 * (core/errors.ts badParam), never an exception with a stack trace.
 */
import type { Context } from 'hono';
import type { SearchMode } from '../core/api-types.ts';
import { badParam } from '../core/errors.ts';
import { parseType, parseYear, type Filters } from '../core/query.ts';
import { SEARCH_MODES } from '../core/search.ts';

export const MAX_QUERY_CHARS = 500;

export function queryParam(c: Context): string {
  const values = c.req.queries('q') ?? [];
  if (values.length > 1) throw badParam('q', 'must be given once');
  const q = (values[0] ?? '').trim();
  if (q === '') throw badParam('q', 'is required: the words to search for');
  if (q.length > MAX_QUERY_CHARS) throw badParam('q', `must be at most ${MAX_QUERY_CHARS} characters (got ${q.length})`);
  return q;
}

export function modeParam(c: Context): SearchMode {
  const m = single(c, 'mode');
  if (m === undefined || m === '') return 'hybrid';
  const mode = m === 'meaning' ? 'semantic' : m;
  if (!(SEARCH_MODES as readonly string[]).includes(mode)) throw badParam('mode', `must be one of ${SEARCH_MODES.join(', ')} (got "${m.slice(0, 40)}")`);
  return mode as SearchMode;
}

export function intParam(c: Context, name: string, dflt: number, min: number, max: number): number {
  const v = single(c, name);
  if (v === undefined || v === '') return dflt;
  if (!/^\d{1,9}$/.test(v)) throw badParam(name, `must be a whole number from ${min} to ${max} (got "${v.slice(0, 40)}")`);
  const n = Number(v);
  if (n < min || n > max) throw badParam(name, `must be from ${min} to ${max} (got ${n})`);
  return n;
}

/** council, type (repeatable), from, to, judgement (repeatable). */
export function filterParams(c: Context): Partial<Filters> {
  const councils = many(c, 'council').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const types = many(c, 'type').filter((v) => v !== '').map((v) => parseType(v, 'type'));
  const judgements = many(c, 'judgement').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const from = single(c, 'from');
  const to = single(c, 'to');
  const out: Partial<Filters> = { council: councils, type: types, judgement: judgements };
  if (from) out.from = parseYear(from, 'from');
  if (to) out.to = parseYear(to, 'to');
  if (out.from != null && out.to != null && out.from > out.to) throw badParam('from', `must not be after "to" (${out.from} > ${out.to})`);
  return out;
}

/** A parameter that may appear at most once. */
function single(c: Context, name: string): string | undefined {
  const values = c.req.queries(name);
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw badParam(name, 'must be given once');
  return values[0]!.trim();
}

function many(c: Context, name: string): string[] {
  const values = c.req.queries(name) ?? [];
  if (values.length > 20) throw badParam(name, 'may be given at most 20 times');
  for (const v of values) if (v.length > 200) throw badParam(name, 'must be at most 200 characters');
  return values.map((v) => v.trim()).filter((v) => v !== '');
}
