/**
 * Metadata extraction on the 14 shipped reports (read through the real ingest), council name
 * variants, and the catalog.json sidecar on a real temporary folder.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import type { Judgement, ReportType } from '../core/types.ts';
import { applyCatalog, CATALOG_FILE, loadCatalog } from '../indexer/catalog.ts';
import { COUNCIL_NAMES, lookupCouncil } from '../indexer/councils.ts';
import { ingestFile } from '../indexer/ingest/index.ts';
import { extractMeta, type ExtractedMeta } from '../indexer/metadata.ts';
import { CORPUS_DIR } from './helpers/corpus-index.ts';

const CORPUS = CORPUS_DIR;

interface Expected {
  source: string;
  type: ReportType;
  council: string;
  date: string;
  title: string;
  /** Exact list, in report order. */
  judgements: Judgement[];
}

const j = (area: string, grade: string): Judgement => ({ area, grade });
const RI = 'requires improvement to be good';
const ILACS = (leaders: string, help: string, care: string, leavers: string, overall: string): Judgement[] => [
  j('impact of leaders', leaders), j('help and protection', help), j('children in care', care), j('care leavers', leavers), j('overall effectiveness', overall),
];
const ILACS_2018 = (leaders: string, help: string, careAndLeavers: string, overall: string): Judgement[] => [
  j('impact of leaders', leaders), j('help and protection', help), j('children in care and care leavers', careAndLeavers), j('overall effectiveness', overall),
];
const SIF = (overall: string, help: string, lac: string, adoption: string, leavers: string, leadership: string, lscb: string): Judgement[] => [
  j('overall effectiveness', overall), j('children who need help and protection', help), j('children looked after and achieving permanence', lac),
  j('adoption performance', adoption), j('experiences and progress of care leavers', leavers), j('leadership, management and governance', leadership), j('lscb', lscb),
];
const SIF_TITLE = 'inspection of services for children in need of help and protection, children looked after and care leavers';

const EXPECTED: Expected[] = [
  {
    source: 'seeds/000_1086bae144af7f91.txt', type: 'apa', council: 'Hackney', date: '2005-12-01',
    title: "Annual performance assessment of Hackney council's education and children's social care services 2005",
    judgements: [j("children's services", '3'), j('education services', '3'), j('social care services', '3'), j('capacity to improve', '3')],
  },
  {
    source: 'seeds/001_014eb678741a591c.txt', type: 'slac', council: 'Hackney', date: '2012-07-10',
    title: 'Hackney: inspection of safeguarding and looked after children services',
    judgements: [
      j('safeguarding overall effectiveness', 'good'), j('safeguarding capacity for improvement', 'outstanding'),
      j('looked after children overall effectiveness', 'good'), j('looked after children capacity for improvement', 'good'),
    ],
  },
  {
    source: 'seeds/002_d691791e27a777c7.txt', type: 'committee', council: 'Hackney', date: '2023-02-27',
    title: 'Children and Young People Scrutiny Commission, 27 February 2023', judgements: [],
  },
  {
    source: 'seeds/003_15de77b5f4537637.txt', type: 'jar', council: 'Havering', date: '2007-02-06', title: 'Joint area review: Havering',
    judgements: [
      j('being healthy', '3'), j('staying safe', '3'), j('enjoying and achieving', '4'), j('making a positive contribution', '3'),
      j('achieving economic well-being', '3'), j('service management', '3'), j('capacity to improve', '3'), j("children's services", '3'),
      j('education service', '4'), j('social care services for children', '3'), j('health service for children', '3'),
    ],
  },
  {
    source: 'seeds/004_23e61ca61d325768.txt', type: 'apa', council: 'Hertfordshire', date: '2006-11-01',
    title: '2006 annual performance assessment of services for children and young people in Hertfordshire',
    judgements: [j("children's services", '3'), j('social care services', '2'), j('capacity to improve', '3')],
  },
  {
    source: "ofsted-ilacs/80475_hertfordshire/children's services inspection - 27 november 2015.pdf", type: 'sif', council: 'Hertfordshire',
    date: '2015-11-27', title: `Hertfordshire: ${SIF_TITLE}`, judgements: SIF('good', RI, 'good', 'good', 'good', 'good', 'good'),
  },
  {
    source: "ofsted-ilacs/80475_hertfordshire/children's services inspection - 19 november 2018.pdf", type: 'ilacs', council: 'Hertfordshire',
    date: '2018-10-19', title: "Hertfordshire: inspection of children's social care services", judgements: ILACS_2018('outstanding', 'good', 'good', 'good'),
  },
  {
    source: "ofsted-ilacs/80475_hertfordshire/children's services inspection - 10 march 2023.pdf", type: 'ilacs', council: 'Hertfordshire',
    date: '2023-01-27', title: "Inspection of Hertfordshire local authority children's services",
    judgements: ILACS('outstanding', 'good', 'outstanding', 'good', 'outstanding'),
  },
  {
    source: "ofsted-ilacs/80496_hackney/children's services inspection - 21 september 2016.pdf", type: 'sif', council: 'Hackney',
    date: '2016-09-20', title: `Hackney: ${SIF_TITLE}`, judgements: SIF('good', 'good', 'good', 'good', 'outstanding', 'good', 'outstanding'),
  },
  {
    source: "ofsted-ilacs/80496_hackney/children's services inspection - 20 december 2019.pdf", type: 'ilacs', council: 'Hackney',
    date: '2019-11-22', title: "Hackney: inspection of children's social care services", judgements: ILACS_2018(RI, RI, 'good', RI),
  },
  {
    source: "ofsted-ilacs/80496_hackney/children's services inspection - 20 august 2024.pdf", type: 'ilacs', council: 'Hackney',
    date: '2024-07-12', title: "Inspection of Hackney local authority children's services", judgements: ILACS('good', 'good', 'good', RI, 'good'),
  },
  {
    source: "ofsted-ilacs/80500_havering/children's services inspection - 09 december 2016.pdf", type: 'sif', council: 'Havering',
    date: '2016-12-09', title: `Havering: ${SIF_TITLE}`, judgements: SIF(RI, RI, RI, RI, 'inadequate', RI, RI),
  },
  {
    source: "ofsted-ilacs/80500_havering/children's services inspection - 23 july 2018.pdf", type: 'ilacs', council: 'Havering',
    date: '2018-06-22', title: "Havering: inspection of children's social care services", judgements: ILACS_2018('good', RI, 'good', 'good'),
  },
  {
    source: "ofsted-ilacs/80500_havering/children's services inspection - 16 february 2024.pdf", type: 'ilacs', council: 'Havering',
    date: '2023-12-22', title: "Inspection of Havering local authority children's services",
    judgements: ILACS('inadequate', 'inadequate', 'inadequate', RI, 'inadequate'),
  },
];

/** What the indexer hands to extractMeta: the ingested blocks' texts joined by '\n'. */
async function ingestedText(source: string): Promise<{ text: string; title: string | null }> {
  const bytes = new Uint8Array(await readFile(join(CORPUS, source)));
  const ingested = await ingestFile(bytes, source.split('/').pop()!);
  return { text: ingested.blocks.map((b) => b.text).join('\n'), title: ingested.title };
}

describe('extractMeta on the shipped corpus', () => {
  const results = new Map<string, { full: ExtractedMeta; first20k: ExtractedMeta }>();

  beforeAll(async () => {
    for (const e of EXPECTED) {
      const { text, title } = await ingestedText(e.source);
      results.set(e.source, {
        full: extractMeta({ source: e.source, text, title }),
        first20k: extractMeta({ source: e.source, text: text.slice(0, 20_000), title }),
      });
    }
  });

  it.each(EXPECTED.map((e) => [e.source, e] as const))('%s', (_source, e) => {
    const { full } = results.get(e.source)!;
    expect(full.type).toBe(e.type);
    expect(full.council).toBe(e.council);
    expect(full.date).toBe(e.date);
    expect(full.year).toBe(Number(e.date.slice(0, 4)));
    expect(full.title).toBe(e.title);
    expect(full.judgements).toEqual(e.judgements);
  });

  it('reads type, council, date and title from the first 20 000 characters alone', () => {
    for (const e of EXPECTED) {
      const { full, first20k } = results.get(e.source)!;
      expect({ source: e.source, type: first20k.type, council: first20k.council, date: first20k.date, title: first20k.title })
        .toEqual({ source: e.source, type: full.type, council: full.council, date: full.date, title: full.title });
    }
  });

  it('states the overall grade in the first 20 000 characters wherever the report has one up front', () => {
    for (const e of EXPECTED.filter((x) => x.type === 'ilacs' || x.type === 'sif' || x.type === 'slac')) {
      const { first20k } = results.get(e.source)!;
      const overall = first20k.judgements.find((x) => x.area.endsWith('overall effectiveness'));
      expect(overall, e.source).toEqual(e.judgements.find((x) => x.area.endsWith('overall effectiveness')));
    }
  });
});

describe('extractMeta fallbacks', () => {
  it('prefers the council the text names over the folder name', async () => {
    const { text } = await ingestedText(EXPECTED[8]!.source);
    const meta = extractMeta({ source: "somewhere/80500_havering/children's services inspection - 21 september 2016.pdf", text, title: null });
    expect(meta.council).toBe('Hackney');
  });

  it('falls back to the folder and file name when the text says nothing', () => {
    const meta = extractMeta({
      source: "ofsted/80545_kingston upon thames/children's services inspection - 03 august 2015.pdf",
      text: 'Report not found\nSorry, the document you requested no longer exists.',
      title: 'Report not found - Find an Inspection Report - Ofsted',
    });
    expect(meta).toMatchObject({ council: 'Kingston upon Thames', date: '2015-08-03', year: 2015, type: 'other', judgements: [] });
    expect(meta.title).toBe('Report not found');
  });

  it('takes a focused visit letter date and council', () => {
    const text = [
      'Ofsted', 'Piccadilly Gate', 'Store Street', 'Manchester M1 2WD', '', '14 March 2019', '',
      'Ms Anne Canning', 'Group Director, Children, Adults and Community Health', 'London Borough of Hackney', '',
      'Dear Anne', 'Focused visit to Hackney local authority children’s services',
      'This letter summarises the findings of the focused visit to Hackney local authority children’s services.',
    ].join('\n');
    const meta = extractMeta({ source: 'letters/fv.pdf', text, title: null });
    expect(meta).toMatchObject({ type: 'focused-visit', council: 'Hackney', date: '2019-03-14', year: 2019 });
    expect(meta.title).toBe("Focused visit to Hackney children's services");
  });
});

describe('council names', () => {
  it('lists the English children’s services authorities once each', () => {
    expect(COUNCIL_NAMES.length).toBeGreaterThanOrEqual(153);
    expect(new Set(COUNCIL_NAMES).size).toBe(COUNCIL_NAMES.length);
    for (const n of COUNCIL_NAMES) expect(lookupCouncil(n), n).toBe(n);
  });

  it.each([
    ['London Borough of Hackney', 'Hackney'], ['Hackney Council', 'Hackney'], ['HACKNEY', 'Hackney'], ['80496_hackney', 'Hackney'],
    ['Hertfordshire County Council', 'Hertfordshire'], ['the City of York', 'York'], ['York City Council', 'York'],
    ['Royal Borough of Kingston upon Thames', 'Kingston upon Thames'], ['80545_kingston upon thames', 'Kingston upon Thames'],
    ['Kingston upon Hull City Council', 'Hull'], ['City of Bradford Metropolitan District Council', 'Bradford'],
    ['Metropolitan Borough of Barnsley Council', 'Barnsley'], ['Derby City', 'Derby'], ['Derbyshire County Council', 'Derbyshire'],
    ['BCP Council', 'Bournemouth, Christchurch and Poole'], ['Bournemouth, Christchurch and Poole Council', 'Bournemouth, Christchurch and Poole'],
    ['Brighton & Hove City Council', 'Brighton and Hove'], ['Cheshire West and Chester', 'Cheshire West and Chester'],
    ['Isle of Wight Council', 'Isle of Wight'], ['Bristol City Council', 'Bristol'], ['County Durham', 'Durham'],
    ['Medway Children’s Services', 'Medway'], ['80559_southend-on-sea', 'Southend-on-Sea'], ['Stoke-on-Trent City Council', 'Stoke-on-Trent'],
    ['City of London', 'City of London'], ['Westminster City Council', 'Westminster'], ['St. Helens Council', 'St Helens'],
  ])('%s -> %s', (raw, expected) => {
    expect(lookupCouncil(raw)).toBe(expected);
  });

  it('does not take places that are not councils', () => {
    expect(lookupCouncil('London')).toBeNull();
    expect(lookupCouncil('Newcastle-under-Lyme')).toBeNull();
    expect(lookupCouncil('Ofsted')).toBeNull();
  });
});

describe('catalog.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const base: ExtractedMeta = { title: 'Junk', council: null, date: null, year: null, type: 'other', judgements: [] };

  it('is optional', async () => {
    const catalog = await loadCatalog(dir);
    expect(Object.keys(catalog)).toEqual([]);
    expect(applyCatalog(base, catalog['x.pdf'])).toEqual(base);
  });

  it('overrides any field, maps council names and derives the year from a new date', async () => {
    await writeFile(join(dir, CATALOG_FILE), JSON.stringify({
      'letters/hackney-2007.pdf': {
        title: 'Annual performance assessment of Hackney 2007', council: 'London Borough of Hackney', date: '2007-11-29', type: 'apa',
        judgements: [{ area: 'Overall Effectiveness', grade: '3' }],
      },
      'other.pdf': { year: 2010 },
    }));
    const catalog = await loadCatalog(dir);
    expect(applyCatalog(base, catalog['letters/hackney-2007.pdf'])).toEqual({
      title: 'Annual performance assessment of Hackney 2007', council: 'Hackney', date: '2007-11-29', year: 2007, type: 'apa',
      judgements: [{ area: 'overall effectiveness', grade: '3' }],
    });
    expect(applyCatalog({ ...base, date: '2011-01-05', year: 2011 }, catalog['other.pdf'])).toMatchObject({ date: '2011-01-05', year: 2010, title: 'Junk' });
    expect(catalog['constructor']).toBeUndefined();
  });

  it.each([
    ['not JSON', '{ "a.pdf": ', /^Ingest: catalog\.json is not valid JSON/],
    ['an array', '[]', /^Ingest: catalog\.json must be a JSON object/],
    ['a bad type', '{ "a.pdf": { "type": "report" } }', /^Ingest: catalog\.json entry "a\.pdf": "type" must be one of apa, jar/],
    ['a bad date', '{ "a.pdf": { "date": "2019-02-30" } }', /^Ingest: catalog\.json entry "a\.pdf": "date" must be an ISO date/],
    ['an unknown field', '{ "b/c.pdf": { "titel": "x" } }', /^Ingest: catalog\.json entry "b\/c\.pdf" has an unknown field "titel"/],
    ['bad judgements', '{ "a.pdf": { "judgements": [{ "area": "x" }] } }', /^Ingest: catalog\.json entry "a\.pdf": judgements\[0\] must be/],
    ['a year that contradicts the date', '{ "a.pdf": { "date": "2019-02-03", "year": 2018 } }', /does not match "date"/],
  ])('rejects %s, naming the problem', async (_what, json, message) => {
    await writeFile(join(dir, CATALOG_FILE), json);
    const err = await loadCatalog(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(message);
  });
});
