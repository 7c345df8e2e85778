/** GET /api/councils/{name}: a council's record (every report, judgements per area, a theme's counts). */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { CouncilParams, CouncilQuery, CouncilResponse } from '../../core/api-schema.ts';
import { errors, json } from '../openapi.ts';
import type { Service } from '../service.ts';

function route(example: string | undefined) {
  return createRoute({
    method: 'get',
    path: '/{name}',
    tags: ['councils'],
    summary: "A council's reports on a timeline, the judgement of each area, and with q how often each report mentions a theme",
    request: {
      params: example === undefined ? CouncilParams : CouncilParams.extend({ name: CouncilParams.shape.name.meta({ example }) }),
      query: CouncilQuery,
    },
    responses: { 200: json(CouncilResponse, 'Every report of the council (and its predecessors or successors), oldest first.'), ...errors(400, 404, 503) },
  });
}

export function councilsRoute(service: Service): OpenAPIHono {
  const example = service.embedded?.index.docs.find((d) => d.meta.council)?.meta.council ?? undefined;
  return new OpenAPIHono().openapi(route(example), async (c) => {
    const { name } = c.req.valid('param');
    const { q } = c.req.valid('query');
    return c.json(await service.product.council(name, q), 200);
  });
}
