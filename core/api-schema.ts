/**
 * The HTTP API's contract, once: a zod schema for every request's parameters and every JSON
 * answer, and the TypeScript types inferred from them (z.infer). The server validates requests
 * with these schemas and publishes them as OpenAPI 3.1 at GET /api/openapi.json
 * (server/openapi.ts); core builds its answers typed by them; web/ imports only the types.
 *
 * Answers are strict objects: a field the schema does not name is a contract violation (tests and
 * the schemathesis fuzz check every answer against the document). To add a field to an answer,
 * add it here (optional fields with .optional()); the types, the document and the UI follow.
 *
 * Parameter schemas carry their own error messages; server/openapi.ts turns the first problem into
 * the usual 400 `Request: parameter "<name>" <message>`.
 */
import { z } from 'zod';
import { AREA_KEYS } from './judgements.ts';
import { REPORT_TYPES } from './types.ts';

// --- Answers ---------------------------------------------------------------------------------

export const SearchMode = z.enum(['hybrid', 'keyword', 'semantic']).meta({ id: 'SearchMode' });
export type SearchMode = z.infer<typeof SearchMode>;

export const ReportType = z.enum(REPORT_TYPES).meta({ id: 'ReportType', description: 'Kind of report (core/types.ts).' });

export const Judgement = z.strictObject({ area: z.string(), grade: z.string() }).meta({ id: 'Judgement', description: 'A judgement stated in a report, e.g. overall effectiveness: good.' });

export const EmbedderInfo = z.strictObject({ id: z.string(), dim: z.int() }).meta({ id: 'EmbedderInfo', description: 'The embedding model of the index.' });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const pageNumber = z.int().min(1);

export const DocSummary = z.strictObject({
  id: z.string(),
  title: z.string(),
  council: z.string().nullable(),
  date: isoDate.nullable().describe('ISO date (yyyy-mm-dd) of the report.'),
  year: z.int().nullable(),
  type: ReportType,
  source: z.string().describe('Path relative to the corpus folder.'),
  judgements: z.array(Judgement),
}).meta({ id: 'DocSummary' });
export type DocSummary = z.infer<typeof DocSummary>;

export const MatchInfo = z.strictObject({
  keyword: z.boolean().describe('Matched by words (BM25 / exact phrase).'),
  semantic: z.boolean().describe('Matched by meaning (embedding similarity).'),
  terms: z.array(z.string()).describe('The words of the chunk that matched (surface forms, including stems and synonyms).'),
}).meta({ id: 'MatchInfo' });
export type MatchInfo = z.infer<typeof MatchInfo>;

export const ResultItem = z.strictObject({
  id: z.string().describe('Chunk id.'),
  score: z.number(),
  text: z.string().describe("The chunk's own full text."),
  snippet: z.string().describe('1-3 best sentences; escaped text where only <mark> and </mark> are markup.'),
  match: MatchInfo,
  section: z.array(z.string()),
  paragraph: z.string().nullable().describe('Printed paragraph number(s), e.g. "29" or "29-30".'),
  page: pageNumber.nullable().describe('PDF page the chunk starts on.'),
  pageEnd: pageNumber.nullable(),
  anchor: z.string(),
  url: z.string().describe('Opens the reader at the chunk: /doc/<docId>#<anchor>.'),
  citation: z.string().describe('Ready to paste: "Ofsted, Inspection of Hackney local authority children\'s services, 2019, para 29, p. 7".'),
  duplicates: z.int().min(1).describe('Number of near-identical chunks collapsed into this one (1 when unique).'),
  duplicateDocs: z.array(z.string()).optional().describe('Other documents whose near-identical chunk was collapsed into this result.'),
  doc: DocSummary,
}).meta({ id: 'ResultItem' });
export type ResultItem = z.infer<typeof ResultItem>;

export const FacetValue = z.strictObject({ value: z.string(), count: z.int().min(0) }).meta({ id: 'FacetValue' });
export type FacetValue = z.infer<typeof FacetValue>;

export const Facets = z.strictObject({
  council: z.array(FacetValue),
  year: z.array(FacetValue),
  type: z.array(FacetValue),
  judgement: z.array(FacetValue),
}).meta({ id: 'Facets' });
export type Facets = z.infer<typeof Facets>;

export const SearchResponse = z.strictObject({
  query: z.string(),
  mode: SearchMode,
  total: z.int().min(0),
  tookMs: z.number().min(0),
  embedder: EmbedderInfo,
  results: z.array(ResultItem),
  facets: Facets,
  understood: z.strictObject({
    councils: z.array(z.string()).meta({ description: 'Councils named in the free text (not given as filters): their reports rank first, a soft boost, never a filter.' }),
    years: z.array(z.number().int()).meta({ description: 'Years written in the free text (not given as filters): reported, not boosted.' }),
    types: z.array(ReportType).meta({ description: 'Kinds of report named in the free text ("ILACS", "focused visit"; not given as filters): reported, not boosted.' }),
  }).meta({ description: 'What the search read in the query text and used as soft boosts, so the UI can say so and offer to make them filters or ignore them.' }),
}).meta({ id: 'SearchResponse' });
export type SearchResponse = z.infer<typeof SearchResponse>;

export const YearCount = z.strictObject({
  year: z.int(),
  count: z.int().min(0).describe('Matching paragraphs in that year.'),
  occurrences: z.int().min(0).describe('Occurrences of the phrase / query terms in that year.'),
  reports: z.int().min(0).describe('Reports of that year (in the current filter) that mention it.'),
  reportsTotal: z.int().min(0).describe('All reports of that year in the current filter.'),
  per10kWords: z.number().min(0).describe("Occurrences per 10 000 words of that year's reports."),
}).meta({ id: 'YearCount' });
export type YearCount = z.infer<typeof YearCount>;

export const CouncilCount = z.strictObject({
  council: z.string(),
  count: z.int().min(0),
  occurrences: z.int().min(0),
  reports: z.int().min(0),
}).meta({ id: 'CouncilCount' });
export type CouncilCount = z.infer<typeof CouncilCount>;

export const MentionItem = ResultItem.extend({ occurrences: z.int().min(0) }).meta({ id: 'MentionItem' });
export type MentionItem = z.infer<typeof MentionItem>;

export const MentionsResponse = z.strictObject({
  query: z.string(),
  total: z.int().min(0).describe('Paragraph chunks that match.'),
  occurrences: z.int().min(0).describe('Matches (occurrences) over all of them.'),
  byYear: z.array(YearCount),
  byCouncil: z.array(CouncilCount),
  results: z.array(MentionItem),
}).meta({ id: 'MentionsResponse' });
export type MentionsResponse = z.infer<typeof MentionsResponse>;

export const DocListItem = DocSummary.extend({
  pages: z.int().min(0).nullable(),
  words: z.int().min(0),
  chunks: z.int().min(0),
  paragraphs: z.int().min(0),
}).meta({ id: 'DocListItem' });
export type DocListItem = z.infer<typeof DocListItem>;

export const DocumentsResponse = z.strictObject({ documents: z.array(DocListItem) }).meta({ id: 'DocumentsResponse' });
export type DocumentsResponse = z.infer<typeof DocumentsResponse>;

export const OutlineEntry = z.strictObject({ title: z.string(), level: z.int().min(1), anchor: z.string() }).meta({ id: 'OutlineEntry' });
export type OutlineEntry = z.infer<typeof OutlineEntry>;

export const ParagraphItem = z.strictObject({
  id: z.string(),
  anchor: z.string(),
  section: z.array(z.string()),
  number: z.string().nullable(),
  page: pageNumber.nullable(),
  pageEnd: pageNumber.nullable(),
  heading: z.boolean(),
  text: z.string(),
  citation: z.string().describe('Ready to paste, as for search results.'),
  marks: z.array(z.tuple([z.int().min(0), z.int().min(0)])).describe('[start, end) of the words of the query the reader was opened with (q), in `text`; empty without q.'),
}).meta({ id: 'ParagraphItem' });
export type ParagraphItem = z.infer<typeof ParagraphItem>;

export const DocumentResponse = z.strictObject({
  doc: DocListItem,
  fileUrl: z.string().describe('/files/<source> link to the original file.'),
  citation: z.string().describe("The report's citation (no paragraph or page)."),
  outline: z.array(OutlineEntry),
  paragraphs: z.array(ParagraphItem),
  mentions: z.strictObject({
    query: z.string(),
    anchors: z.array(z.string()).describe('Paragraphs that mention the query as every-mention counts it, in reading order ("mention N of M").'),
    occurrences: z.int().min(0),
  }).nullable().describe('With q: the paragraphs of this report that mention the query; null without q.'),
}).meta({ id: 'DocumentResponse' });
export type DocumentResponse = z.infer<typeof DocumentResponse>;

export const JudgementAreaInfo = z.strictObject({
  key: z.enum(AREA_KEYS).describe('Stable key of the common area (core/judgements.ts).'),
  label: z.string(),
}).meta({ id: 'JudgementAreaInfo', description: 'A judgement area common to the inspection frameworks (the single inspection\'s "children looked after" is "children in care").' });
export type JudgementAreaInfo = z.infer<typeof JudgementAreaInfo>;

export const SimilarResponse = z.strictObject({
  source: ResultItem.describe('The paragraph the others are like (duplicates: 1 + its near-identical copies in the reports searched).'),
  areas: z.array(JudgementAreaInfo).describe('The judgement areas the paragraph is about, from its section headings ("The experiences and progress of care leavers: good"); empty when no heading names one.'),
  judgementAreas: z.array(JudgementAreaInfo).describe('Every common judgement area, for a judgement filter ("<key>:good|outstanding").'),
  nearIdentical: z.int().min(0).describe('Reports (of other councils, within the filters) holding a near-identical copy of the paragraph: left out of the results.'),
  results: z.array(ResultItem).describe("The nearest paragraphs of other councils' reports, best first (score: cosine similarity of the embeddings plus 0.4 x the share of the paragraph's own 'more like this' score for its distinctive terms), one per report; near-identical ones shown once (duplicates, duplicateDocs)."),
  tookMs: z.number().min(0),
}).meta({ id: 'SimilarResponse' });
export type SimilarResponse = z.infer<typeof SimilarResponse>;

const Grade = z.string().describe('Grade as folded for comparison: outstanding, good, requires improvement, inadequate, adequate, ...');

export const CouncilReport = z.strictObject({
  doc: DocListItem,
  authority: z.string().describe('The authority the report inspected, on its date: its council, or the predecessor of the same name before a boundary change ("Buckinghamshire County Council" in 2018).'),
  url: z.string().describe('The report in the reader (/doc/<id>; with ?q= when a theme was asked).'),
  citation: z.string(),
  grades: z.array(z.strictObject({ area: z.enum(AREA_KEYS), grade: Grade })).describe('The grade of each common area the report judges.'),
  theme: z.strictObject({
    paragraphs: z.int().min(0).describe('Paragraphs of the report that mention the theme (as every-mention counts).'),
    occurrences: z.int().min(0),
    per10kWords: z.number().min(0).describe('Occurrences per 10 000 words of the report.'),
  }).nullable().describe('With q: how often this report mentions the theme; null without q.'),
}).meta({ id: 'CouncilReport' });
export type CouncilReport = z.infer<typeof CouncilReport>;

export const CouncilResponse = z.strictObject({
  council: z.string().describe('The council as its newest report names it.'),
  names: z.array(z.string()).describe('Every council name whose reports are included: the council and its predecessors or successors after boundary changes.'),
  changes: z.array(z.strictObject({
    date: z.string().describe('Vesting day (YYYY-MM-DD).'),
    predecessors: z.array(z.string()),
    successors: z.array(z.string()),
  })).describe("The boundary changes in the council's line (the councils it replaced or that replaced it), oldest first; empty when none."),
  areas: z.array(JudgementAreaInfo).describe('The common areas that at least one report judges, in display order.'),
  query: z.string().nullable().describe('The theme (q), or null.'),
  reports: z.array(CouncilReport).describe('Every report, oldest first.'),
}).meta({ id: 'CouncilResponse' });
export type CouncilResponse = z.infer<typeof CouncilResponse>;

export const ThemeYears = z.strictObject({
  query: z.string(),
  total: z.int().min(0).describe('Paragraphs that mention the theme.'),
  occurrences: z.int().min(0),
  byYear: z.array(YearCount),
}).meta({ id: 'ThemeYears' });
export type ThemeYears = z.infer<typeof ThemeYears>;

export const MentionYearsResponse = z.strictObject({ themes: z.array(ThemeYears) }).meta({ id: 'MentionYearsResponse' });
export type MentionYearsResponse = z.infer<typeof MentionYearsResponse>;

export const RefusedIndex = z.strictObject({
  buildId: z.string().describe('The build that was not loaded.'),
  reason: z.string(),
  at: z.iso.datetime().describe('When it was refused.'),
}).meta({ id: 'RefusedIndex', description: 'A newer index on disk that failed to load; the server keeps serving the one it has.' });
export type RefusedIndex = z.infer<typeof RefusedIndex>;

export const HealthResponse = z.strictObject({
  status: z.enum(['ok', 'stale']).describe('"stale" when a newer index was refused (see refused); the server still answers from the one it has.'),
  documents: z.int().min(0),
  chunks: z.int().min(0),
  embedder: EmbedderInfo,
  builtAt: z.iso.datetime(),
  refused: RefusedIndex.optional(),
}).meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponse>;

export const HelpResponse = z.strictObject({
  syntax: z.array(z.strictObject({ example: z.string(), meaning: z.string() })),
  notes: z.array(z.string()),
  modes: z.strictObject({ hybrid: z.string(), keyword: z.string(), semantic: z.string() }),
  parameters: z.record(z.string(), z.string()).describe('Parameters per route, in brief; the OpenAPI document has them in full.'),
  openapi: z.string().describe('Where the OpenAPI 3.1 document of this API is.'),
}).meta({ id: 'HelpResponse' });
export type HelpResponse = z.infer<typeof HelpResponse>;

export const ErrorResponse = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Stable code: invalid_parameter, not_found, rate_limited, payload_too_large, internal, ...'),
    message: z.string().describe('What went wrong; for a bad parameter: Request: parameter "<name>" ...'),
  }),
}).meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

// --- Parameters ----------------------------------------------------------------------------------
// Query values arrive as strings (or arrays of strings when repeated). A parameter that may appear
// once and came as an array gets "must be given once" (server/openapi.ts).

// With these limits every request the document allows fits the server's 64 KB of request line and
// headers (server/main.ts), even percent-encoded: 500 + 2 x 20 x 120 characters, 9 bytes each at worst.
const MAX_QUERY_CHARS = 500;
const MAX_REPEATS = 20;
const MAX_VALUE_CHARS = 120;

const got = (v: unknown): string => (typeof v === 'string' ? ` (got "${v.slice(0, 40)}")` : typeof v === 'number' ? ` (got ${v})` : '');

/** A whole number from min to max, written in digits only. */
function wholeNumber(min: number, max: number, what = `a whole number from ${min} to ${max}`) {
  const error = (iss: { input?: unknown }): string => `must be ${what}${got(iss.input)}`;
  return z.preprocess((v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v), z.int({ error }).min(min, { error }).max(max, { error }));
}

const reportType = z.enum(REPORT_TYPES, { error: (iss) => `must be one of ${REPORT_TYPES.join(', ')}${got(iss.input)}` });

/** A parameter that may be repeated: council=a&council=b. */
function repeatable<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? [v] : v),
    z.array(item, { error: 'must be text' }).max(MAX_REPEATS, { error: `may be given at most ${MAX_REPEATS} times` }),
  );
}

const text = z.string().max(MAX_VALUE_CHARS, { error: `must be at most ${MAX_VALUE_CHARS} characters` });
const folded = (values: string[]): string[] => values.map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
const year = wholeNumber(1990, 2100, 'a year from 1990 to 2100');

// The length is checked before trimming, as the document's maxLength says; "only spaces" after it.
const q = z
  .string({ error: 'is required: the words to search for' })
  .max(MAX_QUERY_CHARS, { error: (iss) => `must be at most ${MAX_QUERY_CHARS} characters${typeof iss.input === 'string' ? ` (got ${iss.input.length})` : ''}` })
  .trim()
  .min(1, { error: 'is required: the words to search for' })
  .meta({ description: 'The words to search for, in the query syntax of /api/help (phrases, OR, -exclusions, prefix*, council:, year:, type:, judgement:).', example: 'care leavers accommodation' });

/** council, type, from, to, judgement: the filters of search, mentions and the feed. */
const filters = {
  council: repeatable(text).optional().transform((v) => folded(v ?? [])).meta({ description: 'Only these councils (any of them); case does not matter.', example: ['hackney'] }),
  type: repeatable(reportType).optional().transform((v) => v ?? []).meta({ description: 'Only these report types (any of them).' }),
  from: year.optional().meta({ description: 'Reports from this year on.' }),
  to: year.optional().meta({ description: 'Reports up to this year.' }),
  judgement: repeatable(text).optional().transform((v) => folded(v ?? [])).meta({ description: 'Only reports with this judgement grade, or "area:grade".', example: ['inadequate'] }),
};

const fromNotAfterTo = (v: { from?: number | undefined; to?: number | undefined }, ctx: z.RefinementCtx): void => {
  if (v.from !== undefined && v.to !== undefined && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['from'], message: `must not be after "to" (${v.from} > ${v.to})` });
};

export const FeedQuery = z.object({ q, ...filters }).superRefine(fromNotAfterTo);

export const SearchQuery = z
  .object({
    q,
    mode: z
      .enum(['hybrid', 'keyword', 'semantic', 'meaning'], { error: (iss) => `must be one of hybrid, keyword, semantic${got(iss.input)}` })
      .default('hybrid')
      .transform((m): SearchMode => (m === 'meaning' ? 'semantic' : m))
      .meta({ description: 'hybrid: words and meaning; keyword: words only; semantic (or meaning): meaning only.' }),
    limit: wholeNumber(1, 100).default(10).meta({ description: 'Results per page.' }),
    offset: wholeNumber(0, 100_000).default(0).meta({ description: 'Results to skip.' }),
    understand: z
      .enum(['on', 'off'], { error: (iss) => `must be on or off${got(iss.input)}` })
      .default('on')
      .meta({ description: 'on: a council or year named in the free text ranks its reports first (a soft boost, reported as `understood`); off: the text is only words.' }),
    ...filters,
  })
  .superRefine(fromNotAfterTo);
/** The parameters of GET /api/search as the server reads them (what the UI sends). */
export type SearchParams = z.output<typeof SearchQuery>;

export const MentionsQuery = z
  .object({
    q,
    format: z.enum(['json', 'csv'], { error: (iss) => `must be json or csv${got(iss.input)}` }).default('json').meta({ description: 'json: counts and a page of paragraphs; csv: every paragraph.' }),
    limit: wholeNumber(1, 100_000).default(100).meta({ description: 'Paragraphs per page (JSON).' }),
    offset: wholeNumber(0, 10_000_000).default(0).meta({ description: 'Paragraphs to skip (JSON).' }),
    ...filters,
  })
  .superRefine(fromNotAfterTo);
export type MentionsParams = z.output<typeof MentionsQuery>;

export const DocumentParams = z.object({ id: z.string().meta({ description: 'Document id, from search results or /api/documents.' }) });
export const DocumentQuery = z.object({
  q: q.optional().meta({ description: 'The query the reader was opened with: its words are marked in every paragraph, and the paragraphs that mention it are listed.' }),
});

export const SimilarQuery = z
  .object({
    id: z
      .string({ error: 'is required: the id of a paragraph (the id of a search result)' })
      .min(1, { error: 'is required: the id of a paragraph (the id of a search result)' })
      .max(400, { error: 'must be at most 400 characters' })
      .meta({ description: 'The paragraph: the `id` of a search result or mention, or of a paragraph of /api/documents/{id} (the passage holding it).' }),
    limit: wholeNumber(1, 50).default(10).meta({ description: 'Paragraphs to return.' }),
    ...filters,
  })
  .superRefine(fromNotAfterTo);
export type SimilarParams = z.output<typeof SimilarQuery>;

export const CouncilParams = z.object({
  name: z.string().min(1).max(MAX_VALUE_CHARS).meta({ description: 'The council, as reports name it ("Doncaster", "Isle of Wight"); case, punctuation and "Council" do not matter; _ or - for spaces.', example: 'Hackney' }),
});
export const CouncilQuery = z.object({
  q: q.optional().meta({ description: 'A theme: how often each report mentions it, as every-mention counts (per report and per 10 000 words).' }),
});

/** 1 to 4 themes: q=a&q=b. */
const themes = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.array(q, { error: 'is required: the words to search for' }).min(1, { error: 'is required: the words to search for' }).max(4, { error: 'may be given at most 4 times (four themes)' }),
).meta({ description: 'One to four themes, each in the query syntax (q=a&q=b).' });

export const MentionYearsQuery = z
  .object({
    q: themes,
    format: z.enum(['json', 'csv'], { error: (iss) => `must be json or csv${got(iss.input)}` }).default('json').meta({ description: 'json, or csv: one row per theme and year.' }),
    ...filters,
  })
  .superRefine(fromNotAfterTo);
