/** GET /api/search */
import { Hono } from 'hono';
import { Gate } from '../gate.ts';
import type { Service } from '../service.ts';
import { filterParams, intParam, modeParam, queryParam } from '../params.ts';

/** At most this many semantic or hybrid searches run at once (env SEMANTIC_CONCURRENCY). */
const semanticGate = new Gate(Number(process.env.SEMANTIC_CONCURRENCY ?? 2) || 2);

export function searchRoute(service: Service): Hono {
  return new Hono().get('/', async (c) => {
    const q = queryParam(c);
    const mode = modeParam(c);
    const limit = intParam(c, 'limit', 10, 1, 100);
    const offset = intParam(c, 'offset', 0, 0, 100_000);
    const filters = filterParams(c);
    const engine = service.engine;
    const run = () => engine.search({ q, mode, limit, offset, filters });
    // Meaning searches take turns; keyword searches never wait behind them.
    return c.json(await (mode === 'keyword' ? run() : semanticGate.run(run)));
  });
}
