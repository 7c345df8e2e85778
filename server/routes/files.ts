/**
 * GET /files/<source>: the original report, only from inside the corpus folder and only when it
 * is an indexed document's source. Anything else (traversal, absolute paths, links pointing out,
 * files not in the index) is a 404.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import type { Service } from '../service.ts';

const TYPES: Record<string, string> = { pdf: 'application/pdf', txt: 'text/plain; charset=utf-8', md: 'text/plain; charset=utf-8', html: 'text/plain; charset=utf-8' };

export function filesRoute(service: Service): Hono {
  return new Hono().get('/*', async (c) => {
    const notFound = new AppError('not_found', 'Request: no such file in the corpus');
    const rawPath = new URL(c.req.url).pathname.replace(/^\/files\//, '');
    let source: string;
    try {
      source = rawPath.split('/').map((s) => decodeURIComponent(s)).join('/');
    } catch {
      throw notFound;
    }
    const doc = service.engine.index.docs.find((d) => d.meta.source === source);
    if (!doc || source.split('/').some((s) => s === '..' || s === '.' || s === '') || source.includes('\0')) throw notFound;
    const root = await realpath(service.options.corpusDir).catch(() => null);
    const full = root ? await realpath(join(root, ...source.split('/'))).catch(() => null) : null;
    if (!root || !full || !full.startsWith(root + sep)) throw notFound;
    const info = await stat(full).catch(() => null);
    if (!info || !info.isFile()) throw notFound;
    c.header('Content-Type', TYPES[doc.meta.format] ?? 'application/octet-stream');
    c.header('Content-Length', String(info.size));
    c.header('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(source.split('/').pop()!)}`);
    return c.body(Readable.toWeb(createReadStream(full)) as ReadableStream);
  });
}
