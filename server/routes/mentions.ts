/** GET /api/mentions (JSON, or every row as CSV with format=csv) */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { MentionsQuery, MentionsResponse } from '../../core/api-schema.ts';
import { mentionItem } from '../../core/mentions.ts';
import { cooperatively } from '../cooperative.ts';
import { errors } from '../openapi.ts';
import type { Service } from '../service.ts';
import { csvRow, streamCsv } from './csv.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['mentions'],
  summary: 'Every mention: counts per year and council, and the paragraphs (JSON) or all of them (CSV)',
  request: { query: MentionsQuery },
  responses: {
    200: {
      description: 'format=json: totals, counts and a page of paragraphs. format=csv: every paragraph with citation and link, UTF-8 with a byte order mark.',
      content: {
        'application/json': { schema: MentionsResponse },
        'text/csv': { schema: z.string() },
      },
    },
    ...errors(400, 503),
  },
});

export function mentionsRoute(service: Service): OpenAPIHono {
  return new OpenAPIHono().openapi(route, async (c) => {
    const { q, format, limit, offset, ...filters } = c.req.valid('query');
    const { all, ...body } = await service.product.mentions({ q, filters, limit, offset, steps: cooperatively });
    if (format === 'json') return c.json(body, 200);
    const origin = new URL(c.req.url).origin;
    const name = `mentions-${q.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'query'}.csv`;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${name}"`);
    const log = service.options.log === undefined ? (line: string) => process.stdout.write(`${line}\n`) : service.options.log;
    return stream(c, (s) => streamCsv(s, all.length, (from, to) => all.slice(from, to).map((m) => csvRow(mentionItem(m), origin)).join(''), log));
  });
}
