/**
 * The OpenAPI side of the server: the hook that turns a parameter that fails its schema
 * (core/api-schema.ts) into the usual 400 `{ error: { code: "invalid_parameter", message } }`
 * naming the parameter, the response helpers every route declares with, and the document's head.
 * The document itself is generated from the routes (GET /api/openapi.json, server/app.ts).
 */
import type { Hook } from '@hono/zod-openapi';
import type { BlankEnv } from 'hono/types';
import type { ZodType } from 'zod';
import { ErrorResponse } from '../core/api-schema.ts';
import { badParam } from '../core/errors.ts';

export const OPENAPI_PATH = '/api/openapi.json';

/** The first problem of a request's parameters, as a 400 naming the parameter (thrown to app.onError). */
export const paramError: Hook<unknown, BlankEnv, string, undefined> = (result) => {
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? result.target);
  const raw = ((result as { data?: Record<string, unknown> }).data ?? {})[name];
  // A repeated parameter arrives as an array: say so rather than "expected string".
  throw badParam(name, Array.isArray(raw) && issue.code === 'invalid_type' && issue.path.length === 1 ? 'must be given once' : issue.message);
};

export function json<T extends ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const ERRORS = {
  400: 'A parameter is missing, malformed or out of range; the message names it.',
  404: 'No such document, file or route.',
  413: 'The request has a body of more than 16 KB.',
  429: 'Too many requests from this client (RATE_LIMIT); Retry-After says when to retry.',
  503: 'With ENGINE=opensearch: OpenSearch is unreachable, did not answer within OPENSEARCH_TIMEOUT_MS, answered from only some shards, or has no index behind the alias (code engine_unavailable, index_missing or index_format); try again.',
} as const;

/** JSON error answers a route can give: the given statuses plus 413 and 429, which any route can. */
export function errors<S extends keyof typeof ERRORS>(...statuses: S[]) {
  const all = [...new Set<keyof typeof ERRORS>([...statuses, 413, 429])];
  return Object.fromEntries(all.map((s) => [s, json(ErrorResponse, ERRORS[s])])) as Record<S | 413 | 429, ReturnType<typeof json<typeof ErrorResponse>>>;
}

export const DOCUMENT_INFO = {
  openapi: '3.1.0',
  info: {
    title: "Children's services reports search API",
    version: '1',
    description:
      'Search Ofsted inspections of children\'s services and council committee papers: cited paragraphs, keyword + meaning search, every-mention counts. ' +
      'Every error is JSON {"error":{"code","message"}}; a bad parameter is a 400 whose message names it. The query syntax is at /api/help.',
  },
} as const;
