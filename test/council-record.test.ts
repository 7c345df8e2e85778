/**
 * GET /api/councils/{name}: a council's reports on a timeline with the grade of each common area,
 * and with q the every-mention counts of a theme per report (through app.request(), real index
 * of corpus/).
 */
import { describe, expect, it } from 'vitest';
import type { CouncilResponse, MentionsResponse } from '../core/api-types.ts';
import { useApiApp } from './helpers/api-app.ts';

const { get } = useApiApp();

describe('GET /api/councils/{name}', () => {
  it("lists every report of the council, oldest first, with each area's grade", async () => {
    const r = await get<CouncilResponse>('/api/councils/Hackney');
    expect(r.council).toBe('Hackney');
    expect(r.names).toEqual(['Hackney']);
    expect(r.query).toBeNull();
    expect(r.reports.length).toBe(6);
    expect(r.reports.every((x) => x.doc.council === 'Hackney' && x.theme === null)).toBe(true);
    const dates = r.reports.map((x) => x.doc.date ?? '');
    expect([...dates].sort()).toEqual(dates);
    // Care leavers across frameworks: 2016 single inspection "outstanding", 2019 ILACS (with
    // children in care) "good", 2024 ILACS "requires improvement".
    const leavers = r.reports.map((x) => [x.doc.year, x.grades.find((g) => g.area === 'care-leavers')?.grade]).filter(([, g]) => g);
    expect(leavers).toEqual([[2016, 'outstanding'], [2019, 'good'], [2024, 'requires improvement']]);
    expect(r.areas.map((a) => a.key)).toEqual(expect.arrayContaining(['overall', 'care-leavers', 'children-in-care']));
    for (const x of r.reports) expect(x.url).toBe(`/doc/${x.doc.id}`);
  });

  it('finds the council whatever the case, punctuation or "London Borough of"', async () => {
    const ids = (await get<CouncilResponse>('/api/councils/Hackney')).reports.map((x) => x.doc.id);
    for (const name of ['hackney', 'HACKNEY', 'London%20Borough%20of%20Hackney', 'hackney_']) {
      expect((await get<CouncilResponse>(`/api/councils/${name}`)).reports.map((x) => x.doc.id)).toEqual(ids);
    }
  });

  it('with q, counts the theme per report as every-mention counts it, per 10 000 words', async () => {
    const q = 'care leavers';
    const r = await get<CouncilResponse>(`/api/councils/Havering?q=${encodeURIComponent(q)}`);
    expect(r.query).toBe(q);
    const m = await get<MentionsResponse>(`/api/mentions?q=${encodeURIComponent(q)}&council=Havering&limit=100000`);
    let total = 0;
    for (const x of r.reports) {
      const counted = m.results.filter((p) => p.doc.id === x.doc.id);
      expect(x.theme!.paragraphs, x.doc.title).toBe(counted.length);
      expect(x.theme!.occurrences).toBe(counted.reduce((n, p) => n + p.occurrences, 0));
      expect(x.theme!.per10kWords).toBeCloseTo((x.theme!.occurrences / x.doc.words) * 10_000, 2);
      expect(x.url).toBe(`/doc/${x.doc.id}?q=care%20leavers`);
      total += x.theme!.occurrences;
    }
    expect(total).toBe(m.occurrences);
    expect(total).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown council and 400 for a theme with nothing to count', async () => {
    const e = await get<{ error: { code: string; message: string } }>('/api/councils/Atlantis', 404);
    expect(e.error.code).toBe('not_found');
    expect(e.error.message).toMatch(/Atlantis/);
    expect((await get<{ error: { message: string } }>('/api/councils/Hackney?q=-school', 400)).error.message).toMatch(/"q"/);
  });
});
