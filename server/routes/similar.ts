/** GET /api/similar: practice like this elsewhere (the nearest paragraphs of other councils' reports). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { SimilarQuery, SimilarResponse } from '../../core/api-schema.ts';
import { errors, json } from '../openapi.ts';
import type { Service } from '../service.ts';

/** `example`: a real paragraph id, so the document shows (and fuzzers try) one that exists. */
function route(example: string | undefined) {
  return createRoute({
    method: 'get',
    path: '/',
    tags: ['similar'],
    summary: "The paragraphs of other councils' reports most like one paragraph, best first, one per report",
    request: { query: example === undefined ? SimilarQuery : SimilarQuery.safeExtend({ id: SimilarQuery.shape.id.meta({ example }) }) },
    responses: { 200: json(SimilarResponse, 'The paragraph, the judgement areas it is about, and the most similar paragraphs elsewhere with citations.'), ...errors(400, 404, 503) },
  });
}

export function similarRoute(service: Service): OpenAPIHono {
  return new OpenAPIHono().openapi(route(service.embedded?.index.chunks[0]?.id), async (c) => {
    const { id, limit, ...filters } = c.req.valid('query');
    return c.json(await service.product.similar({ id, limit, filters }), 200);
  });
}
