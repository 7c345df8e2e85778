/** GET /api/search */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { SearchQuery, SearchResponse } from '../../core/api-schema.ts';
import { config } from '../../core/config.ts';
import { backgroundTurn, foregroundDone } from '../cooperative.ts';
import { Gate } from '../gate.ts';
import { errors, json } from '../openapi.ts';
import type { Service } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['search'],
  summary: 'Search: ranked, cited passages with facets',
  request: { query: SearchQuery },
  responses: { 200: json(SearchResponse, 'A page of results, the total and facet counts.'), ...errors(400, 503) },
});

export function searchRoute(service: Service): OpenAPIHono {
  /** At most this many semantic or hybrid searches run at once (SEMANTIC_CONCURRENCY). */
  const semanticGate = new Gate(config().semanticConcurrency);
  return new OpenAPIHono().openapi(route, async (c) => {
    const { q, mode, limit, offset, understand, ...filters } = c.req.valid('query');
    const engine = service.product;
    const request = { q, mode, limit, offset, filters, understand: understand === 'on' };
    // A keyword search runs at once. Meaning and hybrid searches take turns at the gate, and their
    // stages on this thread are background work (server/cooperative.ts): keyword searches go first.
    if (mode === 'keyword') {
      const t0 = performance.now();
      const answer = await engine.search(request);
      foregroundDone(performance.now() - t0);
      return c.json(answer, 200);
    }
    const answer = await semanticGate.run(() => engine.search({ ...request, pause: () => backgroundTurn('search') }));
    return c.json(answer, 200);
  });
}
