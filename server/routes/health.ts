/** GET /api/health: the index and the embedder actually in use, and a newer index that was refused. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { HealthResponse } from '../../core/api-schema.ts';
import { errors, json } from '../openapi.ts';
import type { Service } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['service'],
  summary: 'The index and embedder in use; "stale" when a newer index on disk was refused',
  responses: { 200: json(HealthResponse, 'Counts, embedder and build time of the index being served.'), ...errors(503) },
});

export function healthRoute(service: Service): OpenAPIHono {
  return new OpenAPIHono().openapi(route, async (c) => {
    // What is served now (with OpenSearch, what the alias points to; 503 when it cannot be reached).
    const { product, refused } = service;
    const info = await product.info();
    const body: HealthResponse = {
      status: refused ? 'stale' : 'ok',
      documents: info.documents,
      chunks: info.chunks,
      embedder: product.embedder?.info ?? info.embedder,
      builtAt: info.builtAt,
      ...(refused ? { refused } : {}),
    };
    return c.json(body, 200);
  });
}
