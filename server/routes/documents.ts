/** GET /api/documents and /api/documents/{id} */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { DocumentParams, DocumentQuery, DocumentResponse, DocumentsResponse } from '../../core/api-schema.ts';
import { errors, json } from '../openapi.ts';
import type { Service } from '../service.ts';

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['documents'],
  summary: 'Every indexed report, newest first',
  responses: { 200: json(DocumentsResponse, 'The documents with their metadata and sizes.'), ...errors(503) },
});

/** `example`: a real document id, so the document shows (and fuzzers try) one that exists. */
function one(example: string | undefined) {
  return createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['documents'],
    summary: "One report's outline and paragraphs, for the reader",
    request: {
      params: example === undefined ? DocumentParams : DocumentParams.extend({ id: DocumentParams.shape.id.meta({ example }) }),
      query: DocumentQuery,
    },
    responses: { 200: json(DocumentResponse, 'The document, its outline, paragraphs with citations, and a link to the original file.'), ...errors(400, 404, 503) },
  });
}

export function documentsRoute(service: Service): OpenAPIHono {
  return new OpenAPIHono()
    .openapi(list, async (c) => c.json(await service.product.listDocuments(), 200))
    .openapi(one(service.embedded?.index.docs[0]?.meta.id), async (c) => {
      const { id } = c.req.valid('param');
      const { q } = c.req.valid('query');
      return c.json(await service.product.document(id, q), 200);
    });
}
