/**
 * Query understanding: the councils, years and kinds of report a query's free text names
 * (core/understand.ts), and what GET /api/search says it read (real index of corpus/, keyword
 * mode): names already given as filters are not read again.
 */
import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '../core/api-types.ts';
import { parseQuery } from '../core/query.ts';
import { councilNames, meaningText, understand } from '../core/understand.ts';
import { useApiApp } from './helpers/api-app.ts';

const names = councilNames(['Doncaster', 'North East Lincolnshire', 'Lincolnshire', 'Reading']);
const read = (q: string) => understand(parseQuery(q), names);

describe('understand', () => {
  it('reads councils (longest name first; capitalised when the query has capitals), years and kinds of report', () => {
    expect(read("Doncaster's new recording system 2019")).toEqual({ councils: ['Doncaster'], years: [2019], types: [] });
    expect(read('North East Lincolnshire care leavers').councils).toEqual(['North East Lincolnshire']);
    expect(read('Reading books with Children').councils).toEqual(['Reading']);
    expect(read('Children reading books').councils).toEqual([]);
    expect(read('ILACS care leavers').types).toEqual(['ilacs']);
    expect(read('focused visit on the front door and a single inspection framework report').types.sort()).toEqual(['focused-visit', 'sif']);
    expect(read('joint area review 2008').types).toEqual(['jar']);
    expect(read('inspection of care leavers services').types).toEqual([]);
  });

  it('embeds the query without the council names it reads (they are boosts), keeping a query that is only a name', () => {
    const meaning = (q: string) => meaningText(parseQuery(q), names);
    expect(meaning("Doncaster's new recording system stopped leaders seeing practice")).toBe('new recording system stopped leaders seeing practice');
    expect(meaning('care leavers in North East Lincolnshire accommodation')).toBe('care leavers in accommodation');
    expect(meaning('Children reading books')).toBe('Children reading books');
    expect(meaning('Reading')).toBe('Reading');
    expect(meaning('"staying put" OR "staying close" Doncaster')).toBe('staying put or staying close');
  });
});

describe('GET /api/search understood', () => {
  const { get } = useApiApp();

  it('says the kinds of report and years the words name, unless they are filters already', async () => {
    const r = await get<SearchResponse>(`/api/search?q=${encodeURIComponent('care leavers ILACS 2019')}&mode=keyword`);
    expect(r.understood).toEqual({ councils: [], years: [2019], types: ['ilacs'] });
    const filtered = await get<SearchResponse>(`/api/search?q=${encodeURIComponent('care leavers ILACS 2019')}&mode=keyword&type=ilacs&from=2019`);
    expect(filtered.understood).toEqual({ councils: [], years: [], types: [] });
    const off = await get<SearchResponse>(`/api/search?q=${encodeURIComponent('Hackney care leavers ILACS')}&mode=keyword&understand=off`);
    expect(off.understood).toEqual({ councils: [], years: [], types: [] });
  });
});
