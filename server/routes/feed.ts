/**
 * GET /api/feed?q=...: an Atom feed of the newest reports matching a query, one entry per report
 * with its best passage, so a user can subscribe to a theme in any feed reader.
 */
import { Hono } from 'hono';
import type { ResultItem } from '../../core/api-types.ts';
import { escapeHtml } from '../../core/snippet.ts';
import type { Service } from '../service.ts';
import { filterParams, queryParam } from '../params.ts';

const ENTRIES = 20;

export function feedRoute(service: Service): Hono {
  return new Hono().get('/', async (c) => {
    const q = queryParam(c);
    const filters = filterParams(c);
    const res = await service.engine.search({ q, mode: 'keyword', limit: 100, filters });
    const best = new Map<string, ResultItem>();
    for (const r of res.results) if (!best.has(r.doc.id)) best.set(r.doc.id, r);
    const entries = [...best.values()].sort((a, b) => (b.doc.date ?? '').localeCompare(a.doc.date ?? '')).slice(0, ENTRIES);
    const origin = new URL(c.req.url).origin;
    const self = `${origin}/api/feed?${new URL(c.req.url).searchParams.toString()}`;
    const updated = entries[0]?.doc.date ? `${entries[0].doc.date}T00:00:00Z` : service.engine.index.manifest.builtAt;
    const xml = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      `<title>${escapeHtml(`Children's services reports: ${q}`)}</title>`,
      `<id>${escapeHtml(self)}</id>`,
      `<link rel="self" href="${escapeHtml(self)}"/>`,
      `<link rel="alternate" type="text/html" href="${escapeHtml(`${origin}/?q=${encodeURIComponent(q)}`)}"/>`,
      `<updated>${updated}</updated>`,
      ...entries.map((r) => entry(r, origin)),
      '</feed>',
    ].join('\n');
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
}

function entry(r: ResultItem, origin: string): string {
  const link = `${origin}${r.url}`;
  const date = r.doc.date ? `${r.doc.date}T00:00:00Z` : new Date(0).toISOString();
  return [
    '<entry>',
    `<title>${escapeHtml(`${r.doc.title}${r.doc.council ? ` (${r.doc.council})` : ''}${r.doc.year ? `, ${r.doc.year}` : ''}`)}</title>`,
    `<id>${escapeHtml(`${origin}/doc/${r.doc.id}`)}</id>`,
    `<link href="${escapeHtml(link)}"/>`,
    `<updated>${date}</updated>`,
    `<summary type="html">${escapeHtml(r.snippet)}</summary>`,
    `<content type="text">${escapeHtml(`${r.text}\n\n${r.citation}`)}</content>`,
    '</entry>',
  ].join('\n');
}
