/** Metadata filters: council names through boundary changes, judgements, years. */
import { describe, expect, it } from 'vitest';
import { authorityAt, changesOf } from '../core/council-names.ts';
import { councilKey, councilKeys, docPredicate, facetCounts } from '../core/filters.ts';
import { emptyFilters } from '../core/query.ts';
import type { DocMeta } from '../core/types.ts';

function doc(council: string, year: number, grade = 'good'): DocMeta {
  return {
    id: council, source: `${council}.pdf`, title: council, council, date: `${year}-01-01`, year, type: 'ilacs',
    judgements: [{ area: 'overall effectiveness', grade }], format: 'pdf', pages: 1, words: 100, contentHash: '',
  };
}

describe('council filter', () => {
  it('compares names without "London Borough of", "Council" and punctuation', () => {
    expect(councilKey('London Borough of Hackney')).toBe('hackney');
    expect(councilKey('Hertfordshire County Council')).toBe('hertfordshire');
    expect(councilKey('Bournemouth, Christchurch & Poole')).toBe('bournemouth christchurch and poole');
  });

  it('finds predecessors of a successor authority and successors of a predecessor', () => {
    expect(councilKeys('North Northamptonshire')).toContain('northamptonshire');
    expect(councilKeys('Westmorland and Furness')).toContain('cumbria');
    expect([...councilKeys('bournemouth christchurch and poole')]).toEqual(expect.arrayContaining(['bournemouth', 'poole']));
    expect([...councilKeys('Cumbria')]).toEqual(expect.arrayContaining(['cumberland', 'westmorland and furness']));
    const docs = [doc('Northamptonshire', 2016), doc('North Northamptonshire', 2023), doc('Hackney', 2019)];
    const allow = docPredicate({ ...emptyFilters(), council: ['north northamptonshire'] });
    expect(docs.filter(allow).map((d) => d.council)).toEqual(['Northamptonshire', 'North Northamptonshire']);
  });

  it('leaves out sister successors: North Northamptonshire is not West Northamptonshire', () => {
    expect([...councilKeys('North Northamptonshire')].sort()).toEqual(['north northamptonshire', 'northamptonshire']);
    expect([...councilKeys('Cumberland')].sort()).toEqual(['cumberland', 'cumbria']);
    const docs = [doc('North Northamptonshire', 2022), doc('West Northamptonshire', 2022), doc('Northamptonshire', 2019)];
    expect(docs.filter(docPredicate({ ...emptyFilters(), council: ['West Northamptonshire'] })).map((d) => d.council)).toEqual(['West Northamptonshire', 'Northamptonshire']);
    expect(docs.filter(docPredicate({ ...emptyFilters(), council: ['Northamptonshire'] })).length).toBe(3);
  });

  it('names the authority a report inspected on its date and the changes a council took part in', () => {
    expect(authorityAt('Buckinghamshire', '2018-01-29')).toBe('Buckinghamshire County Council');
    expect(authorityAt('Buckinghamshire', '2020-04-01')).toBe('Buckinghamshire');
    expect(authorityAt('Buckinghamshire', null)).toBe('Buckinghamshire');
    expect(authorityAt('North Northamptonshire', '2022-11-25')).toBe('North Northamptonshire');
    expect(authorityAt('Hackney', '2016-09-20')).toBe('Hackney');
    expect(changesOf('Westmorland and Furness').map((c) => c.date)).toEqual(['2023-04-01']);
    expect(changesOf('Hackney')).toEqual([]);
  });
});

describe('judgement and year filters, facets', () => {
  const docs = [doc('Hackney', 2019, 'requires improvement to be good'), doc('Havering', 2023, 'inadequate'), doc('Hertfordshire', 2023, 'outstanding')];

  it('filters by grade (any area or one area) and year range', () => {
    expect(docs.filter(docPredicate({ ...emptyFilters(), judgement: ['inadequate'] })).map((d) => d.council)).toEqual(['Havering']);
    expect(docs.filter(docPredicate({ ...emptyFilters(), judgement: ['requires improvement'] })).map((d) => d.council)).toEqual(['Hackney']);
    expect(docs.filter(docPredicate({ ...emptyFilters(), judgement: ['overall:outstanding'] })).map((d) => d.council)).toEqual(['Hertfordshire']);
    expect(docs.filter(docPredicate({ ...emptyFilters(), from: 2020, to: 2024 })).map((d) => d.council)).toEqual(['Havering', 'Hertfordshire']);
  });

  it('counts each facet without its own filter', () => {
    const f = facetCounts(docs.map((meta) => ({ meta, count: 1 })), { ...emptyFilters(), council: ['hackney'] });
    expect(f.council.map((c) => c.value).sort()).toEqual(['Hackney', 'Havering', 'Hertfordshire']);
    expect(f.year).toEqual([{ value: '2019', count: 1 }]);
    expect(f.judgement).toEqual([{ value: 'requires improvement', count: 1 }]);
  });
});
