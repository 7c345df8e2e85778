import { describe, expect, it } from 'vitest';
import { queryTerms, queryTokens } from '../core/keyword-options.ts';
import {
  THESAURUS_DATA,
  Thesaurus,
  expressionTerms,
  findSynonyms,
  findSynonymsInText,
  thesaurusSize,
  validateThesaurus,
  type SynonymSpan,
  type ThesaurusData,
} from '../core/thesaurus.ts';

const t = (text: string): string[] => queryTerms(text);
const hasAlternative = (span: SynonymSpan | undefined, expression: string): boolean =>
  span !== undefined && span.alternatives.some((a) => a.join(' ') === expressionTerms(expression).join(' '));

describe('thesaurus data', () => {
  it('is valid: no empty, duplicate or stop-word-only expressions, no expression in two entries', () => {
    expect(validateThesaurus(THESAURUS_DATA)).toEqual([]);
  });

  it('covers at least 40 groups', () => {
    const size = thesaurusSize();
    expect(size.groups).toBeGreaterThanOrEqual(40);
    expect(size.oneWay).toBeGreaterThan(0);
    expect(size.expressions).toBeGreaterThan(size.groups * 2);
  });

  it('has every acronym the project asked for, each with its long form', () => {
    const required = ['LAC', 'CLA', 'CSE', 'CCE', 'UASC', 'SEND', 'EHCP', 'CAMHS', 'IRO', 'LADO', 'MASH', 'PLO', 'SGO', 'CIN', 'CP', 'NEET', 'EET', 'YOT', 'YJS', 'FGC', 'RAA', 'IHA', 'RHI', 'DSL'];
    for (const acronym of required) {
      const group = THESAURUS_DATA.groups.find((g) => g.terms.includes(acronym));
      expect(group, acronym).toBeDefined();
      expect(group!.terms.some((x) => x.includes(' ')), `${acronym} has a long form`).toBe(true);
    }
  });

  it('does not list acronyms that are stop words (IT, ARE, AS, DO would match everything or nothing)', () => {
    const all = [...THESAURUS_DATA.groups.flatMap((g) => g.terms), ...THESAURUS_DATA.oneWay.flatMap((r) => [...r.from, ...r.to])];
    for (const expr of all) expect(expressionTerms(expr).length, expr).toBeGreaterThan(0);
  });

  it('reports problems in bad data', () => {
    const bad: ThesaurusData = {
      version: 1,
      groups: [
        { terms: ['LAC', 'LAC'] },
        { terms: ['the', 'looked after children'] },
        { terms: ['', 'x y'] },
        { terms: ['children in care', 'CLA'] },
        { terms: ['CLA', 'Children In Care'] },
      ],
      oneWay: [{ from: ['kids'], to: ['kid'] }],
    };
    const problems = validateThesaurus(bad);
    expect(problems.some((p) => p.includes('duplicate "LAC"'))).toBe(true);
    expect(problems.some((p) => p.includes('"the" has no searchable terms'))).toBe(true);
    expect(problems.some((p) => p.includes('empty or untrimmed'))).toBe(true);
    expect(problems.some((p) => p.includes('is also in group 3'))).toBe(true);
    expect(problems.some((p) => p.includes('both from and to'))).toBe(true);
  });
});

describe('findSynonyms', () => {
  it('expands LAC to looked after children and the other forms', () => {
    const spans = findSynonyms(t('LAC'));
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ start: 0, end: 1 });
    expect(spans[0]!.alternatives[0]).toEqual(['lac']);
    for (const e of ['looked after children', 'children in care', 'CLA']) expect(hasAlternative(spans[0], e), e).toBe(true);
    expect(spans[0]!.labels).toContain('looked after children');
    expect(spans[0]!.labels).toHaveLength(spans[0]!.alternatives.length);
  });

  it('finds a span inside a longer query', () => {
    const terms = t('care leavers accommodation');
    const spans = findSynonyms(terms);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ start: 0, end: 2 });
    expect(terms.slice(spans[0]!.start, spans[0]!.end)).toEqual(spans[0]!.alternatives[0]);
    expect(hasAlternative(spans[0], 'young people leaving care')).toBe(true);
  });

  it('matches word order variants, hyphens, case and possessives of one group', () => {
    const forms = ['children looked after', 'looked after children', "Looked-After Children's", 'LOOKED AFTER CHILD'];
    const groups = forms.map((f) => findSynonyms(t(f)));
    for (const [i, spans] of groups.entries()) {
      expect(spans, forms[i]).toHaveLength(1);
      expect(spans[0]!.end - spans[0]!.start, forms[i]).toBe(3);
      expect(hasAlternative(spans[0], 'LAC'), forms[i]).toBe(true);
      expect(hasAlternative(spans[0], 'CLA'), forms[i]).toBe(true);
    }
  });

  it('needs all the words of a multi-word entry, in order', () => {
    expect(findSynonyms(t('looked children after'))).toEqual([]);
    expect(findSynonyms(t('looked after'))).toEqual([]);
    expect(findSynonyms(t('family group'))).toEqual([]);
    expect(findSynonyms(t('child sexual exploitation'))[0]).toMatchObject({ start: 0, end: 3 });
  });

  it('prefers the longest entry and does not overlap spans', () => {
    const spans = findSynonyms(t('child protection plan'));
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ start: 0, end: 3 });
    expect(hasAlternative(spans[0], 'CPP')).toBe(true);
    const two = findSynonyms(t('CSE and missing children in care'));
    expect(two.map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [2, 4],
    ]);
  });

  it('keeps NEET and EET apart', () => {
    const neet = findSynonyms(t('not in education, employment or training'));
    expect(hasAlternative(neet[0], 'NEET')).toBe(true);
    expect(hasAlternative(neet[0], 'EET')).toBe(false);
    const eet = findSynonyms(t('EET'));
    expect(hasAlternative(eet[0], 'NEET')).toBe(false);
  });

  it('matches acronyms in any case, except those that are common words', () => {
    expect(hasAlternative(findSynonyms(t('cp'))[0], 'child protection')).toBe(true);
    expect(hasAlternative(findSynonyms(t('Camhs'))[0], 'child and adolescent mental health services')).toBe(true);
    // "send" is an ordinary word: only SEND in capitals triggers the group.
    expect(findSynonymsInText('send letters to parents')).toEqual([]);
    expect(findSynonyms(t('SEND'))).toEqual([]);
    const send = findSynonymsInText('SEND support');
    expect(send).toHaveLength(1);
    expect(hasAlternative(send[0], 'special educational needs and disabilities')).toBe(true);
    const tokens = queryTokens('SEND support');
    expect(findSynonyms(tokens.map((x) => x.term), tokens.map((x) => x.raw))).toEqual(send);
  });

  it('applies one-way entries in one direction only', () => {
    const kids = findSynonyms(t('kids'));
    expect(hasAlternative(kids[0], 'children')).toBe(true);
    expect(findSynonyms(t('children'))).toEqual([]);
    const running = findSynonyms(t('kids running away'));
    expect(running.map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [1, 3],
    ]);
    expect(hasAlternative(running[1], 'missing from home')).toBe(true);
  });

  it('returns nothing for queries without thesaurus expressions', () => {
    expect(findSynonyms([])).toEqual([]);
    expect(findSynonyms(t('quality of supervision'))).toEqual([]);
  });

  it('builds from other data', () => {
    const small = new Thesaurus({ version: 1, groups: [{ terms: ['SW', 'social worker'] }], oneWay: [] });
    expect(small.find(t('agency social workers'))).toEqual([
      { start: 1, end: 3, alternatives: [['social', 'worker'], ['sw']], labels: ['social worker', 'SW'] },
    ]);
    expect(small.size()).toEqual({ groups: 1, oneWay: 0, expressions: 2 });
  });
});
