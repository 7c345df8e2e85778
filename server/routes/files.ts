/**
 * GET /files/<source>: the original report, only from inside the corpus folder and only when it
 * is an indexed document's source. Anything else (traversal, absolute paths, links pointing out,
 * files not in the index) is a 404. Past those checks @hono/node-server's serveStatic sends the
 * file, answering Range requests (206 with Content-Range), so the reader fetches the pages of a
 * 2 000-page PDF it shows rather than the whole file.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { AppError } from '../../core/errors.ts';
import { errors } from '../openapi.ts';
import type { Service } from '../service.ts';

/** Served as plain text whatever the original was (an HTML report never runs as a page here). */
const TYPES: Record<string, string> = { pdf: 'application/pdf', txt: 'text/plain; charset=utf-8', md: 'text/plain; charset=utf-8', html: 'text/plain; charset=utf-8' };

const file = z.string().meta({ format: 'binary' });
const fileContent = { 'application/pdf': { schema: file }, 'text/plain': { schema: file } };

/** For the document only: the handler reads the raw path (several segments), not a validated parameter. */
function route(example: string | undefined) {
  return createRoute({
    method: 'get',
    path: '/{source}',
    tags: ['documents'],
    summary: 'The original report file (PDF or text), whole or a byte range',
    request: {
      params: z.object({ source: z.string().meta({ description: "A document's source (DocSummary.source), percent-encoded; its slashes may be sent as / or %2F.", ...(example ? { example } : {}) }) }),
      headers: z.object({ range: z.string().optional().meta({ description: 'bytes=START-END: a part of the file (206).', example: 'bytes=0-99' }) }),
    },
    responses: {
      200: { description: 'The whole file.', content: fileContent },
      206: { description: 'The requested byte range, with Content-Range.', content: fileContent },
      416: { description: 'The range starts beyond the end of the file; Content-Range says its size.' },
      ...errors(404, 503),
    },
  });
}

export function filesRoute(service: Service): OpenAPIHono {
  const app = new OpenAPIHono();
  app.openAPIRegistry.registerPath(route(service.embedded?.index.docs[0]?.meta.source));
  app.get('/*', async (c, next) => {
    const notFound = new AppError('not_found', 'Request: no such file in the corpus');
    const rawPath = new URL(c.req.url).pathname.replace(/^\/files\//, '');
    let source: string;
    try {
      source = rawPath.split('/').map((s) => decodeURIComponent(s)).join('/');
    } catch {
      throw notFound;
    }
    const doc = await service.product.docBySource(source);
    if (!doc || source.split('/').some((s) => s === '..' || s === '.' || s === '') || source.includes('\0')) throw notFound;
    const root = await realpath(service.options.corpusDir).catch(() => null);
    const full = root ? await realpath(join(root, ...source.split('/'))).catch(() => null) : null;
    if (!root || !full || !full.startsWith(root + sep)) throw notFound;
    const info = await stat(full).catch(() => null);
    if (!info || !info.isFile()) throw notFound;
    const res = await serveStatic({ path: full, onNotFound: () => { throw notFound; } })(c, next);
    if (!res) throw notFound;
    if (res.status !== 416) res.headers.set('Content-Type', TYPES[doc.format] ?? 'application/octet-stream');
    else res.headers.delete('Content-Type');
    res.headers.set('Accept-Ranges', 'bytes');
    res.headers.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(source.split('/').pop()!)}`);
    return res;
  });
  return app;
}
