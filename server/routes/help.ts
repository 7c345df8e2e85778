/** GET /api/help: the query syntax, modes and parameters, as shown by the UI's help panel. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { HelpResponse } from '../../core/api-schema.ts';
import { REPORT_TYPES } from '../../core/types.ts';
import { errors, json, OPENAPI_PATH } from '../openapi.ts';

const QUERY_HELP: HelpResponse = {
  syntax: [
    { example: 'care leavers accommodation', meaning: 'Plain words: ranked by every word (BM25), words side by side score more; a council named in the words ranks its reports first.' },
    { example: '"return home interview"', meaning: 'Phrase: the words in this order; the last may carry an ending (interviews); case, spacing, hyphens and line breaks do not matter.' },
    { example: 'exact:"young carer"', meaning: 'Phrase exactly as typed, no ending.' },
    { example: '"staying put" OR "staying close"', meaning: 'Either side.' },
    { example: 'exclusion -school', meaning: 'Leave out passages with a word or "phrase".' },
    { example: 'safeguard*', meaning: 'Words starting with these letters (at least 3).' },
    { example: 'council:hackney', meaning: 'Only this council (also its predecessors/successors after boundary changes). Use _ for spaces: council:isle_of_wight.' },
    { example: 'year:2019  year:2015..2019', meaning: 'One year or a range.' },
    { example: `type:ilacs`, meaning: `Report type: ${REPORT_TYPES.join(', ')}.` },
    { example: 'judgement:inadequate  judgement:"care leavers:good|outstanding"', meaning: 'Reports with that judgement (any area, or one area; | for either grade). Areas are matched across frameworks: "children in care" also finds "children looked after".' },
  ],
  notes: [
    'Typos in ordinary words are tolerated (safegaurding finds safeguarding).',
    'Acronyms and synonyms apply in keyword and hybrid modes: LAC finds looked after children and children in care; care leavers finds young people leaving care.',
    'Every-mention counts (/api/mentions) count words typed together as the phrase (plain or quoted) and one word in every form (by stem), without synonyms.',
    `Every route, parameter and answer of the API is described in the OpenAPI 3.1 document at ${OPENAPI_PATH}.`,
  ],
  modes: {
    hybrid: 'Words and meaning together (default).',
    keyword: 'Words only (BM25 with stemming and the thesaurus).',
    semantic: 'Meaning only: passages that say the same thing in other words.',
  },
  parameters: {
    '/api/search': 'q, mode=hybrid|keyword|semantic, limit (1-100, default 10), offset, council (repeatable), type (repeatable), from, to (years), judgement',
    '/api/mentions': 'q, council, type, from, to, judgement, limit, offset, format=json|csv',
    '/api/mentions/years': 'q (repeatable: one to four themes), council, type, from, to, judgement, format=json|csv: each theme counted by year',
    '/api/similar': 'id (a paragraph: a result id), limit (1-50, default 10), council, type, from, to, judgement (e.g. "care leavers:good|outstanding"): the most similar paragraphs in other councils\' reports',
    '/api/councils/{name}': 'q (optional theme): every report of the council, its judgements per area, and how often each report mentions the theme',
    '/api/feed': 'q (Atom feed of the newest reports matching the query)',
  },
  openapi: OPENAPI_PATH,
};

const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['service'],
  summary: 'The query syntax, search modes and parameters in brief, and where the OpenAPI document is',
  responses: { 200: json(HelpResponse, 'Examples with their meaning, notes, modes and parameters.'), ...errors() },
});

export function helpRoute(): OpenAPIHono {
  return new OpenAPIHono().openapi(route, (c) => c.json(QUERY_HELP, 200));
}
