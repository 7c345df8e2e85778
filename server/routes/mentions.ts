/** GET /api/mentions (JSON, or every row as CSV with format=csv) */
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { badParam } from '../../core/errors.ts';
import { mentionItem, mentions } from '../../core/mentions.ts';
import type { Service } from '../service.ts';
import { filterParams, intParam, queryParam } from '../params.ts';
import { csvRow, streamCsv } from './csv.ts';

export function mentionsRoute(service: Service): Hono {
  return new Hono().get('/', async (c) => {
    const q = queryParam(c);
    const filters = filterParams(c);
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw badParam('format', `must be json or csv (got "${format.slice(0, 20)}")`);
    const limit = intParam(c, 'limit', 100, 1, 100_000);
    const offset = intParam(c, 'offset', 0, 0, 10_000_000);
    const { all, ...body } = mentions(service.engine.index, { q, filters, limit, offset });
    if (format === 'json') return c.json(body);
    const origin = new URL(c.req.url).origin;
    const name = `mentions-${q.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'query'}.csv`;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${name}"`);
    const log = service.options.log === undefined ? (line: string) => process.stdout.write(`${line}\n`) : service.options.log;
    return stream(c, (s) => streamCsv(s, all.length, (from, to) => all.slice(from, to).map((m) => csvRow(mentionItem(m), origin)).join(''), log));
  });
}
