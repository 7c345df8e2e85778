import MiniSearch, { type AsPlainObject } from 'minisearch';
import { describe, expect, it } from 'vitest';
import {
  KEYWORD_FIELDS,
  MIN_PREFIX_LENGTH,
  fuzzyUnlessKnown,
  keywordIndexOptions,
  keywordSearchDefaults,
  keywordSearchOptions,
  keywordVocabulary,
  normalizePrefix,
  normalizeTerm,
  queryTerms,
  queryTokens,
  tokenize,
  type KeywordDoc,
} from '../core/keyword-options.ts';
import { STOP_WORDS } from '../core/stopwords.ts';

/** Real paragraphs of corpus/seeds/001 (Hackney safeguarding and looked after children inspection, 2012). */
const PARAGRAPHS: KeywordDoc[] = [
  {
    id: 'seed-001#p25',
    section: ['Safeguarding services', 'Children and young people are safe and feel safe'],
    text:
      "25. Safeguarding outcomes for children and young people are good. Social workers ensure that children and young people are seen alone when assessments are undertaken. Their views are consistently sought, are clearly recorded and inform assessments. There is a prompt response to child protection concerns, including joint agency action where appropriate. Where safeguarding concerns are identified, assessments effectively take into account issues of equality and diversity, and some very good examples of assessments were seen by inspectors.",
  },
  {
    id: 'seed-001#p93',
    section: ['Safeguarding services', 'Partnership working'],
    text:
      "93. Partnership working is good at both strategic and operational levels and there is evidence of this leading to improved outcomes for children and young people.",
  },
  {
    id: 'seed-001#p98',
    section: ['Safeguarding services', 'Partnership working'],
    text:
      "98. There are effective arrangements in place for multi-agency public protection arrangements (MAPPA) with appropriate representation from statutory agencies at Level 2 and Level 3 meetings. MARAC processes are well established and work effectively.",
  },
  {
    id: 'seed-001#p112',
    section: ['Services for looked after children', 'Being healthy'],
    text:
      "112. Access to health services for looked after children and care leavers is good. The looked after children health team includes a designated doctor, a designated nurse, a specialist nurse and a consultant community paediatrician. They work with social care units to ensure that health assessments are appropriately undertaken and that health plans are in place. A specialist CAMHS clinician is based in each social work unit to address the emotional needs of children and young people. Support from clinicians is welcomed by foster carers.",
  },
  {
    id: 'seed-001#p121',
    section: ['Services for looked after children', 'Staying safe'],
    text:
      "121. There are good arrangements to ensure the quality of independent sector placements. No child is currently placed in a setting judged inadequate. Hackney works through a pan-London partnership to secure fostering provision and there is a minimum requirement for providers to be rated good or better by Ofsted. Collated information about providers informs subsequent procurement. Staff from the placement and commissioning support service attend placement planning meetings with the child's social worker and there are effective mechanisms for continued quality assurance meetings. There are appropriate contingency arrangements for reviewing cases where a provider receives an inadequate judgement during a placement. The LADO responds appropriately to allegations made against foster carers and other professionals.",
  },
  {
    id: 'seed-001#p140',
    section: ['Services for looked after children', 'Economic well-being'],
    text:
      "140. Over the last two years the very large majority of young people have progressed to education and training at the end of Year 11 and 85% of these young people complete Year 12. The current proportion of care leavers who are in education, training or employment is 72% and is similar to that achieved in 2010. This level of engagement has been maintained against a background of increasing numbers of older young people with complex needs coming into care. At the age of 19, the proportion of care leavers in education, training or employment is similar to that seen nationally and in similar areas. The borough is, however, effectively supporting young people to progress to higher education and at the time of the inspection, 28 young people were at university which represents 17% of the age group. Unaccompanied asylum seekers spoken to by inspectors reported that they had been well supported by the virtual school.",
  },
];

function buildIndex(docs: KeywordDoc[] = PARAGRAPHS): MiniSearch<KeywordDoc> {
  const index = new MiniSearch<KeywordDoc>(keywordIndexOptions());
  index.addAll(docs);
  return index;
}

const ids = (results: Array<{ id: unknown }>): string[] => results.map((r) => String(r.id));

describe('tokenize', () => {
  it('drops possessive s and splits other apostrophes', () => {
    expect(tokenize("children's services")).toEqual(['children', 'services']);
    expect(tokenize('the council’s plan')).toEqual(['the', 'council', 'plan']);
    expect(tokenize("parents' views")).toEqual(['parents', 'views']);
    expect(tokenize("don't")).toEqual(['don', 't']);
  });

  it('splits hyphenated words into their parts', () => {
    expect(tokenize('multi-agency safeguarding hub')).toEqual(['multi', 'agency', 'safeguarding', 'hub']);
    expect(tokenize('looked-after children')).toEqual(['looked', 'after', 'children']);
    expect(tokenize('COVID-19')).toEqual(['COVID', '19']);
  });

  it('keeps numbers whole, with thousands separators and decimals', () => {
    expect(tokenize('1,200 referrals in 2019.The rate')).toEqual(['1200', 'referrals', 'in', '2019', 'The', 'rate']);
    expect(tokenize('paragraph 3.2, year 11 and the 16th')).toEqual(['paragraph', '3.2', 'year', '11', 'and', 'the', '16th']);
    expect(tokenize('2018,2019')).toEqual(['2018', '2019']);
    expect(tokenize('90% at Level 2')).toEqual(['90', 'at', 'Level', '2']);
  });

  it('is Unicode aware and ignores invisible characters PDFs leave in words', () => {
    expect(tokenize('Café naïve Zoë')).toEqual(['Café', 'naïve', 'Zoë']);
    expect(tokenize('safe\u00ADguarding re\u200Bview')).toEqual(['safeguarding', 'review']);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('normalizeTerm', () => {
  it('lowercases and folds diacritics and ligatures', () => {
    expect(normalizeTerm('Café')).toBe('cafe');
    expect(normalizeTerm('ﬁnance')).toBe(normalizeTerm('finance'));
    expect(normalizeTerm('SAFEGUARDING')).toBe('safeguard');
  });

  it('drops stop words and one-letter tokens but keeps single digits', () => {
    for (const w of ['the', 'and', 'of', 'The', 'were']) expect(normalizeTerm(w)).toBeNull();
    expect(normalizeTerm('s')).toBeNull();
    expect(normalizeTerm('2')).toBe('2');
    expect(normalizeTerm('2019')).toBe('2019');
    expect(normalizeTerm('3.2')).toBe('3.2');
  });

  it('keeps the words that matter in this domain', () => {
    for (const w of ['care', 'help', 'need', 'needs', 'looked', 'after', 'not', 'no', 'out', 'being'])
      expect(normalizeTerm(w), w).not.toBeNull();
    for (const w of ['care', 'help', 'need', 'looked', 'after', 'not', 'children']) expect(STOP_WORDS.has(w), w).toBe(false);
  });

  it('stems domain words so their forms meet (Porter)', () => {
    const same = (a: string, b: string) => expect(normalizeTerm(a), `${a} ~ ${b}`).toBe(normalizeTerm(b));
    same('safeguarding', 'safeguard');
    same('safeguarded', 'safeguards');
    same('fostering', 'foster');
    same('fosters', 'foster');
    same('leavers', 'leaver');
    same('accommodation', 'accommodated');
    same('adoption', 'adopters');
    same('assessments', 'assessed');
    same('disabilities', 'disabled');
    same('children', 'child');
    same('people', 'person');
    same('organization', 'organisation');
    same('prioritized', 'prioritised');
    same('judgment', 'judgement');
    same('behavior', 'behaviour');
  });

  it('leaves apart forms Porter does not join', () => {
    expect(normalizeTerm('exclusion')).not.toBe(normalizeTerm('excluded'));
    expect(normalizeTerm('wellbeing')).not.toBe(normalizeTerm('well'));
    expect(normalizeTerm('offence')).not.toBe(normalizeTerm('offending'));
  });
});

describe('queryTerms and normalizePrefix', () => {
  it('turns a query into index terms in order', () => {
    expect(queryTerms("Looked-After Children's placements")).toEqual(['look', 'after', 'child', 'placement']);
    expect(queryTerms('the of and')).toEqual([]);
    expect(queryTokens('SEND and LAC')).toEqual([
      { raw: 'SEND', term: 'send' },
      { raw: 'LAC', term: 'lac' },
    ]);
  });

  it('refuses short prefixes and cuts a prefix back to its stem', () => {
    expect(MIN_PREFIX_LENGTH).toBe(3);
    expect(normalizePrefix('ch')).toBeNull();
    expect(normalizePrefix('Chi')).toBe('chi');
    expect(normalizePrefix('fostering')).toBe('foster');
    expect(normalizePrefix('safeguard')).toBe('safeguard');
  });
});

describe('MiniSearch with the shared options over real paragraphs', () => {
  it('indexes text and section', () => {
    expect([...KEYWORD_FIELDS]).toEqual(['text', 'section']);
    const index = buildIndex();
    expect(index.documentCount).toBe(PARAGRAPHS.length);
    // "healthy" is only in the heading "Being healthy".
    expect(ids(index.search('healthy'))).toEqual(['seed-001#p112']);
  });

  it('finds the safeguarding paragraph for the typo "safegaurding" through fuzzy matching on stems', () => {
    const index = buildIndex();
    const typo = index.search('safegaurding');
    expect(typo[0]?.id).toBe('seed-001#p25');
    const exact = index.search('safeguarding');
    expect(ids(typo).sort()).toEqual(ids(exact).sort());
    // Without fuzzy the typo finds nothing: the match above is the fuzzy option at work.
    expect(index.search('safegaurding', { fuzzy: false })).toEqual([]);
    // Short terms are never fuzzy: "care" must not match "carer" or "are".
    expect(keywordSearchDefaults.fuzzy).toBeTypeOf('function');
    const fuzzy = keywordSearchDefaults.fuzzy as (t: string, i: number, ts: string[]) => number | boolean;
    expect(fuzzy('care', 0, ['care'])).toBeFalsy();
    expect(fuzzy('carer', 0, ['carer'])).toBeFalsy();
    expect(fuzzy('2019', 0, ['2019'])).toBeFalsy();
    expect(fuzzy('foster', 0, ['foster'])).toBe(1);
    expect(fuzzy('safegaurd', 0, ['safegaurd'])).toBe(2);
  });

  it('keeps known terms exact when searching with the index vocabulary', () => {
    const index = buildIndex();
    const vocabulary = keywordVocabulary(JSON.parse(JSON.stringify(index)) as AsPlainObject);
    expect(vocabulary.has('safeguard')).toBe(true);
    expect(vocabulary.has('the')).toBe(false);
    // "response" (p25) is one edit from "responds" (p121): the plain defaults take both.
    expect(ids(index.search('response')).sort()).toEqual(['seed-001#p121', 'seed-001#p25']);
    const options = keywordSearchOptions(vocabulary);
    expect(ids(index.search('response', options))).toEqual(['seed-001#p25']);
    // A typo is still corrected, and a five-letter typo stem ("fostr") gets one edit.
    expect(index.search('safegaurding', options)[0]?.id).toBe('seed-001#p25');
    expect(normalizeTerm('fostring')).toBe('fostr');
    expect(ids(index.search('fostring', options)).sort()).toEqual(['seed-001#p112', 'seed-001#p121']);
    expect(fuzzyUnlessKnown(vocabulary)('respons')).toBe(0);
  });

  it('finds "foster carers" for "fostering" through the shared stem', () => {
    const index = buildIndex();
    const found = ids(index.search('fostering'));
    // p112 says only "foster carers"; p121 says "fostering provision" and "foster carers".
    expect(found).toContain('seed-001#p112');
    expect(found).toContain('seed-001#p121');
    expect(found).toHaveLength(2);
  });

  it('ranks a heading match above a passing mention in the text', () => {
    expect(keywordSearchDefaults.boost).toEqual({ section: 1.5 });
    const index = buildIndex();
    const found = ids(index.search('partnership'));
    // p93: heading and text; p98: heading "Partnership working" only; p121: "pan-London partnership" in its text.
    expect(found[0]).toBe('seed-001#p93');
    expect(found.indexOf('seed-001#p98')).toBeLessThan(found.indexOf('seed-001#p121'));
    expect(found.indexOf('seed-001#p121')).toBeGreaterThan(0);
  });

  it('matches acronyms and possessives the same way on both sides', () => {
    const index = buildIndex();
    expect(ids(index.search('camhs'))).toEqual(['seed-001#p112']);
    expect(ids(index.search('MARAC'))).toEqual(['seed-001#p98']);
    expect(ids(index.search("care leaver's education", { combineWith: 'AND' }))).toEqual(['seed-001#p140']);
  });

  it('gives the same results after saving and loading the index', () => {
    const index = buildIndex();
    const loaded = MiniSearch.loadJSON<KeywordDoc>(JSON.stringify(index), keywordIndexOptions());
    for (const q of ['safegaurding', 'fostering', 'partnership', 'looked after children']) {
      expect(loaded.search(q)).toEqual(index.search(q));
    }
  });

  it('applies prefix search to prefixes of at least MIN_PREFIX_LENGTH characters', () => {
    const index = buildIndex();
    const prefix = normalizePrefix('foster');
    expect(prefix).toBe('foster');
    const found = ids(index.search(prefix!, { prefix: true, fuzzy: false, processTerm: (t) => t }));
    expect(found.sort()).toEqual(['seed-001#p112', 'seed-001#p121']);
    const parts = ids(index.search(normalizePrefix('partn')!, { prefix: true, fuzzy: false, processTerm: (t) => t }));
    expect(parts).toContain('seed-001#p98');
  });
});
