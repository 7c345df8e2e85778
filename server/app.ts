/**
 * The Hono app: JSON API, original files and the built web UI, from a Service (the current
 * search engine). Security headers on every response, gzip, one log line per request, and one
 * onError that turns every failure into JSON `{ error: { code, message } }`. Every API route is
 * declared with its schemas (core/api-schema.ts), which validate its parameters and make the
 * OpenAPI 3.1 document at GET /api/openapi.json.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import type { BlankEnv } from 'hono/types';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ErrorResponse } from '../core/api-types.ts';
import { AppError } from '../core/errors.ts';
import { eventLine, requestLine, writeLine } from './log.ts';
import { DOCUMENT_INFO, OPENAPI_PATH, paramError } from './openapi.ts';
import { rateLimit } from './rate-limit.ts';
import { documentsRoute } from './routes/documents.ts';
import { feedRoute } from './routes/feed.ts';
import { filesRoute } from './routes/files.ts';
import { healthRoute } from './routes/health.ts';
import { helpRoute } from './routes/help.ts';
import { councilsRoute } from './routes/councils.ts';
import { mentionYearsRoute } from './routes/mention-years.ts';
import { mentionsRoute } from './routes/mentions.ts';
import { searchRoute } from './routes/search.ts';
import { similarRoute } from './routes/similar.ts';
import type { Service } from './service.ts';

export function createApp(service: Service): Hono {
  const app = new OpenAPIHono<BlankEnv>({ defaultHook: paramError });
  const log = service.options.log === undefined ? writeLine : service.options.log;

  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    if (log) log(requestLine({ method: c.req.method, path: c.req.path, query: new URL(c.req.url).search, status: c.res.status, ms: performance.now() - t0 }));
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use('*', compress());
  app.use('*', bodyLimit({ maxSize: 16 * 1024, onError: () => { throw new AppError('payload_too_large', 'Request: body too large (16 KB at most)'); } }));
  const perMinute = service.options.rateLimitPerMinute ?? 0;
  if (perMinute > 0) app.use('/api/*', rateLimit(perMinute, clientAddress, service.options.now));

  app.route('/api/search', searchRoute(service));
  app.route('/api/mentions/years', mentionYearsRoute(service));
  app.route('/api/mentions', mentionsRoute(service));
  app.route('/api/similar', similarRoute(service));
  app.route('/api/councils', councilsRoute(service));
  app.route('/api/documents', documentsRoute(service));
  app.route('/api/health', healthRoute(service));
  app.route('/api/help', helpRoute());
  app.route('/api/feed', feedRoute(service));
  app.route('/files', filesRoute(service));
  app.doc31(OPENAPI_PATH, DOCUMENT_INFO);
  // Every route answers GET (and HEAD); another method gets a 405 that says so.
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== 'route') continue;
    app.all(def.route.path.replace(/\{(\w+)\}/g, ':$1{.+}'), (c, next) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
      c.header('Allow', 'GET, HEAD');
      throw new AppError('method_not_allowed', `Request: method ${c.req.method.slice(0, 20)} not allowed here; use GET`);
    });
  }

  const webDir = service.options.webDir;
  if (webDir) {
    app.use('/*', serveStatic({ root: webDir }));
    // The UI's own routes (/, /mentions, /similar, /council/<name>, /doc/<id>) all load the app shell; a missing asset
    // (a path with a file extension) is a 404. The shell is re-read when a new build replaces it.
    let shell: { html: string; mtimeMs: number } | null = null;
    app.get('*', async (c, next) => {
      const path = c.req.path;
      if (path.startsWith('/api/') || path.startsWith('/files/') || /\.[a-z0-9]+$/i.test(path)) return next();
      const file = join(webDir, 'index.html');
      const { mtimeMs } = await stat(file);
      if (!shell || shell.mtimeMs !== mtimeMs) shell = { html: await readFile(file, 'utf8'), mtimeMs };
      return c.html(shell.html);
    });
  }

  app.notFound(() => {
    throw new AppError('not_found', 'Request: no such route');
  });
  app.onError((err, c) => errorResponse(err, c, log));
  return app;
}

function errorResponse(err: unknown, c: Context, log: ((line: string) => void) | null): Response {
  let status = 500;
  let code = 'internal';
  let message = 'Internal error; the server log has the details';
  if (err instanceof AppError) {
    status = err.status;
    code = err.code;
    message = err.message;
  } else if (err instanceof Error && err.message === 'aborted') {
    // The client went away while its request was being read: nobody gets this answer.
    status = 400;
    code = 'invalid_parameter';
    message = 'Request: aborted by the client';
  } else if (err instanceof HTTPException) {
    status = err.status;
    code = status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : 'invalid_parameter';
    message = `Request: ${err.message || 'bad request'}`;
  }
  if (status >= 500 && log) {
    log(eventLine('error', `error: ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack?.split('\n').slice(0, 3).join(' | ') : String(err)}`, { method: c.req.method, path: c.req.path, status }));
  }
  const body: ErrorResponse = { error: { code, message } };
  return c.json(body, status as 400);
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'local';
  }
}
