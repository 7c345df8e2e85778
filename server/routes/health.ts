/** GET /api/health: the index and the embedder actually in use. */
import { Hono } from 'hono';
import type { HealthResponse } from '../../core/api-types.ts';
import type { Service } from '../service.ts';

export function healthRoute(service: Service): Hono {
  return new Hono().get('/', (c) => {
    const { index, embedder } = service.engine;
    const body: HealthResponse = {
      status: 'ok',
      documents: index.docs.length,
      chunks: index.chunks.length,
      embedder: embedder?.info ?? index.manifest.embedder,
      builtAt: index.manifest.builtAt,
    };
    return c.json(body);
  });
}
