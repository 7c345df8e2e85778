/**
 * Optional sidecar `catalog.json` in the corpus folder that overrides extracted metadata per file:
 *
 *   { "ofsted-ilacs/80496_hackney/report.pdf": { "title": "...", "council": "Hackney",
 *       "date": "2024-08-20", "year": 2024, "type": "ilacs",
 *       "judgements": [{ "area": "overall effectiveness", "grade": "good" }] } }
 *
 * Keys are paths relative to the corpus folder with forward slashes; every field is optional and
 * `council`/`date`/`year` may be null to clear a wrong value. A missing catalog is an empty one; a
 * malformed one stops the build with an "Ingest: catalog.json ..." error naming the bad entry,
 * because silently ignoring a curator's corrections would be worse.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';
import { REPORT_TYPES, type Judgement, type ReportType } from '../core/types.ts';
import { lookupCouncil } from './councils.ts';
import type { ExtractedMeta } from './metadata.ts';

/** The sidecar's file name; the corpus walk leaves it out. */
export const CATALOG_FILE = 'catalog.json';

export interface CatalogEntry {
  title?: string;
  council?: string | null;
  date?: string | null;
  year?: number | null;
  type?: ReportType;
  judgements?: Judgement[];
}

/** Entries by source path (a prototype-free object, so any path is a safe key). */
export type Catalog = Record<string, CatalogEntry>;

const FIELDS = new Set(['title', 'council', 'date', 'year', 'type', 'judgements']);

function fail(what: string): never {
  throw new AppError('internal', `Ingest: ${CATALOG_FILE} ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Check one entry and return it cleaned (council names mapped to their short form). */
function parseEntry(key: string, raw: unknown): CatalogEntry {
  const where = `entry "${key}"`;
  if (!isObject(raw)) fail(`${where} must be an object`);
  const out: CatalogEntry = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!FIELDS.has(field)) fail(`${where} has an unknown field "${field}" (allowed: ${[...FIELDS].join(', ')})`);
    switch (field) {
      case 'title':
        if (typeof value !== 'string' || value.trim() === '') fail(`${where}: "title" must be a non-empty string`);
        out.title = value.trim();
        break;
      case 'council':
        if (value !== null && (typeof value !== 'string' || value.trim() === '')) fail(`${where}: "council" must be a non-empty string or null`);
        out.council = value === null ? null : (lookupCouncil(value) ?? value.trim());
        break;
      case 'date':
        if (value !== null && (typeof value !== 'string' || !validIsoDate(value))) fail(`${where}: "date" must be an ISO date (yyyy-mm-dd) or null`);
        out.date = value;
        break;
      case 'year':
        if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 1900 || value > 2100)) {
          fail(`${where}: "year" must be a whole number between 1900 and 2100, or null`);
        }
        out.year = value;
        break;
      case 'type':
        if (typeof value !== 'string' || !(REPORT_TYPES as readonly string[]).includes(value)) fail(`${where}: "type" must be one of ${REPORT_TYPES.join(', ')}`);
        out.type = value as ReportType;
        break;
      case 'judgements':
        if (!Array.isArray(value)) fail(`${where}: "judgements" must be an array of { "area", "grade" }`);
        out.judgements = value.map((j, i) => {
          if (!isObject(j) || typeof j.area !== 'string' || typeof j.grade !== 'string' || j.area.trim() === '' || j.grade.trim() === '') {
            fail(`${where}: judgements[${i}] must be { "area": string, "grade": string }`);
          }
          return { area: j.area.trim().toLowerCase(), grade: j.grade.trim().toLowerCase() };
        });
        break;
    }
  }
  if (out.date && out.year != null && Number(out.date.slice(0, 4)) !== out.year) fail(`${where}: "year" ${out.year} does not match "date" ${out.date}`);
  return out;
}

/** Parse and validate catalog text (exported for tests and tools). */
export function parseCatalog(json: string): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    fail(`is not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(raw)) fail('must be a JSON object mapping file paths to entries');
  const catalog: Catalog = Object.create(null) as Catalog;
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = rawKey.replace(/\\/g, '/').replace(/^\.\//, '');
    if (key.trim() === '') fail('has an entry with an empty path');
    if (key in catalog) fail(`entry "${rawKey}" repeats the path "${key}"`);
    catalog[key] = parseEntry(rawKey, value);
  }
  return catalog;
}

/** Read `<corpusDir>/catalog.json`; an empty catalog when there is none. */
export async function loadCatalog(corpusDir: string): Promise<Catalog> {
  let json: string;
  try {
    json = await readFile(join(corpusDir, CATALOG_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Catalog;
    fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseCatalog(json);
}

/** The extracted metadata with the entry's fields put over it (year follows an overridden date). */
export function applyCatalog(meta: ExtractedMeta, entry?: CatalogEntry): ExtractedMeta {
  if (!entry) return meta;
  const out: ExtractedMeta = { ...meta };
  if (entry.title !== undefined) out.title = entry.title;
  if (entry.council !== undefined) out.council = entry.council;
  if (entry.type !== undefined) out.type = entry.type;
  if (entry.judgements !== undefined) out.judgements = entry.judgements.map((j) => ({ ...j }));
  if (entry.date !== undefined) {
    out.date = entry.date;
    if (entry.year === undefined) out.year = entry.date === null ? null : Number(entry.date.slice(0, 4));
  }
  if (entry.year !== undefined) out.year = entry.year;
  return out;
}
