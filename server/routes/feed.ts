/**
 * GET /api/feed?q=...: an Atom feed (RFC 4287) of the newest reports matching a query, one entry
 * per report with its best passage, so a user can subscribe to a theme in any feed reader. Each
 * entry's author is the report's publisher (Ofsted, or the council for committee papers); the
 * feed's own author is this service.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { FeedQuery, type ResultItem } from '../../core/api-schema.ts';
import { publisher } from '../../core/citation.ts';
import { escapeHtml } from '../../core/snippet.ts';
import { errors } from '../openapi.ts';
import type { Service } from '../service.ts';

const ENTRIES = 20;
const FEED_AUTHOR = "Children's services reports search";

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['search'],
  summary: 'Atom feed of the newest reports matching a query',
  request: { query: FeedQuery },
  responses: {
    200: { description: 'An Atom 1.0 feed: one entry per report (newest first) with its best passage and citation.', content: { 'application/atom+xml': { schema: z.string() } } },
    ...errors(400, 503),
  },
});

export function feedRoute(service: Service): OpenAPIHono {
  return new OpenAPIHono().openapi(route, async (c) => {
    const { q, ...filters } = c.req.valid('query');
    const res = await service.product.search({ q, mode: 'keyword', limit: 100, filters });
    const best = new Map<string, ResultItem>();
    for (const r of res.results) if (!best.has(r.doc.id)) best.set(r.doc.id, r);
    const entries = [...best.values()].sort((a, b) => (b.doc.date ?? '').localeCompare(a.doc.date ?? '')).slice(0, ENTRIES);
    const url = new URL(c.req.url);
    const origin = url.origin;
    const self = `${origin}/api/feed?${url.searchParams.toString()}`;
    const updated = entries[0]?.doc.date ? `${entries[0].doc.date}T00:00:00Z` : (await service.product.info()).builtAt;
    const feed = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      `<title>${xml(`Children's services reports: ${q}`)}</title>`,
      `<id>${xml(self)}</id>`,
      `<link rel="self" type="application/atom+xml" href="${xml(self)}"/>`,
      `<link rel="alternate" type="text/html" href="${xml(`${origin}/?q=${encodeURIComponent(q)}`)}"/>`,
      `<updated>${updated}</updated>`,
      `<author><name>${xml(FEED_AUTHOR)}</name><uri>${xml(`${origin}/`)}</uri></author>`,
      ...entries.map((r) => entry(r, origin)),
      '</feed>',
    ].join('\n');
    return c.body(feed, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
}

function entry(r: ResultItem, origin: string): string {
  const link = `${origin}${r.url}`;
  const date = r.doc.date ? `${r.doc.date}T00:00:00Z` : new Date(0).toISOString();
  return [
    '<entry>',
    `<title>${xml(`${r.doc.title}${r.doc.council ? ` (${r.doc.council})` : ''}${r.doc.year ? `, ${r.doc.year}` : ''}`)}</title>`,
    `<id>${xml(`${origin}/doc/${r.doc.id}`)}</id>`,
    `<link rel="alternate" type="text/html" href="${xml(link)}"/>`,
    `<updated>${date}</updated>`,
    `<author><name>${xml(publisher(r.doc))}</name></author>`,
    `<summary type="html">${xml(r.snippet)}</summary>`,
    `<content type="text">${xml(`${r.text}\n\n${r.citation}`)}</content>`,
    '</entry>',
  ].join('\n');
}

/** Text for XML: escaped, without the control characters XML 1.0 does not allow (a PDF may hold them, a query may too). */
function xml(s: string): string {
  return escapeHtml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
}
