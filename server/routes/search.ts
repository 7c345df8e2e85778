/** GET /api/search */
import { Hono } from 'hono';
import type { Service } from '../service.ts';
import { filterParams, intParam, modeParam, queryParam } from '../params.ts';

export function searchRoute(service: Service): Hono {
  return new Hono().get('/', async (c) => {
    const q = queryParam(c);
    const mode = modeParam(c);
    const limit = intParam(c, 'limit', 10, 1, 100);
    const offset = intParam(c, 'offset', 0, 0, 100_000);
    const filters = filterParams(c);
    return c.json(await service.engine.search({ q, mode, limit, offset, filters }));
  });
}
