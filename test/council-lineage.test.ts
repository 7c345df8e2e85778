/**
 * A council's record across boundary changes, on real reports of ../shared/scale-corpus (a slice:
 * Buckinghamshire's three, from before and after its county council became a unitary council in
 * 2020, and North and West Northamptonshire's, which replaced Northamptonshire in 2021): the
 * record holds a council's predecessors and successors but not its sister successor, names the
 * boundary changes, and says which authority each report inspected. GET /api/councils/{name}
 * through app.request() on the slice's real index.
 */
import type { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CouncilResponse } from '../core/api-types.ts';
import { SearchEngine } from '../core/search.ts';
import { createApp } from '../server/app.ts';
import { loadIndex } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { ensureLineageSlice, lineageRequirement } from './helpers/lineage-slice.ts';

const needed = lineageRequirement();

describe.skipIf(needed.skip)("a council's record across boundary changes (scale-corpus slice)", () => {
  let app: Hono;
  const get = async (name: string, q?: string): Promise<CouncilResponse> => {
    const res = await app.request(`/api/councils/${encodeURIComponent(name)}${q ? `?q=${encodeURIComponent(q)}` : ''}`);
    const body = await res.text();
    expect(res.status, body.slice(0, 300)).toBe(200);
    return JSON.parse(body) as CouncilResponse;
  };

  beforeAll(async () => {
    needed.assert();
    const { corpusDir, indexDir } = await ensureLineageSlice();
    const index = await loadIndex(indexDir);
    app = createApp(new Service(new SearchEngine(index, null), { corpusDir, webDir: null, log: null }));
  }, 10 * 60_000);

  it("Buckinghamshire: the county council's reports before 2020, the unitary council's after, one record", async () => {
    const r = await get('Buckinghamshire', 'suitable accommodation');
    expect(r.council).toBe('Buckinghamshire');
    expect(r.reports.map((x) => x.doc.year)).toEqual([2014, 2018, 2021]);
    expect(r.reports.map((x) => x.authority)).toEqual(['Buckinghamshire County Council', 'Buckinghamshire County Council', 'Buckinghamshire']);
    expect(r.changes).toEqual([{ date: '2020-04-01', predecessors: ['Buckinghamshire County Council'], successors: ['Buckinghamshire'] }]);
    expect(r.reports.every((x) => x.theme !== null)).toBe(true);
    // The predecessor's name finds the same record.
    expect((await get('Buckinghamshire County Council')).reports.map((x) => x.doc.id)).toEqual(r.reports.map((x) => x.doc.id));
  });

  it('North Northamptonshire: its predecessor is in its line, its sister West Northamptonshire is not', async () => {
    const north = await get('North Northamptonshire');
    expect(north.council).toBe('North Northamptonshire');
    expect(north.names).toEqual(['North Northamptonshire']);
    expect(north.reports.map((x) => x.doc.council)).toEqual(['North Northamptonshire']);
    expect(north.changes).toEqual([{ date: '2021-04-01', predecessors: ['Northamptonshire'], successors: ['North Northamptonshire', 'West Northamptonshire'] }]);
    // The predecessor's record holds both successors, under its own name.
    const county = await get('Northamptonshire');
    expect(county.council).toBe('Northamptonshire');
    expect(county.names).toEqual(['North Northamptonshire', 'West Northamptonshire']);
    expect(county.reports.map((x) => x.authority).sort()).toEqual(['North Northamptonshire', 'West Northamptonshire']);
    // A council without a boundary change has none.
    expect((await get('West Northamptonshire')).reports.map((x) => x.doc.council)).toEqual(['West Northamptonshire']);
  });
});
