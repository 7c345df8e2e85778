/** GET /api/mentions/years: one to four themes counted by year (the compared chart's numbers), JSON or CSV. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { MentionYearsQuery, MentionYearsResponse } from '../../core/api-schema.ts';
import { cooperatively } from '../cooperative.ts';
import { errors } from '../openapi.ts';
import type { Service } from '../service.ts';
import { CSV_BOM, csvLine } from './csv.ts';

const COLUMNS = ['theme', 'year', 'paragraphs', 'mentions', 'reports mentioning', 'reports', 'mentions per 10 000 words'];

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['mentions'],
  summary: 'Themes compared: every mention of each theme (q repeated, up to four) counted by year, per report and per 10 000 words',
  request: { query: MentionYearsQuery },
  responses: {
    200: {
      description: 'format=json: each theme with its counts by year. format=csv: one row per theme and year, UTF-8 with a byte order mark.',
      content: {
        'application/json': { schema: MentionYearsResponse },
        'text/csv': { schema: z.string() },
      },
    },
    ...errors(400, 503),
  },
});

export function mentionYearsRoute(service: Service): OpenAPIHono {
  return new OpenAPIHono().openapi(route, async (c) => {
    const { q, format, ...filters } = c.req.valid('query');
    const themes = [];
    for (const theme of q) {
      const { query, total, occurrences, byYear } = await service.product.mentions({ q: theme, filters, limit: 0, steps: cooperatively });
      themes.push({ query, total, occurrences, byYear });
    }
    if (format === 'json') return c.json({ themes }, 200);
    const rows = themes.flatMap((t) => t.byYear.map((y) => csvLine([t.query, y.year, y.count, y.occurrences, y.reports, y.reportsTotal, y.per10kWords])));
    c.header('Content-Disposition', `attachment; filename="themes-by-year.csv"`);
    return c.body(CSV_BOM + csvLine(COLUMNS) + rows.join(''), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });
}
