/** GET /api/documents and /api/documents/:id */
import { Hono } from 'hono';
import { getDocument, listDocuments } from '../../core/documents.ts';
import type { Service } from '../service.ts';

export function documentsRoute(service: Service): Hono {
  return new Hono()
    .get('/', (c) => c.json(listDocuments(service.engine.index)))
    .get('/:id', (c) => c.json(getDocument(service.engine.index, c.req.param('id'))));
}
