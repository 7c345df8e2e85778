import { describe, expect, it } from 'vitest';
import {
  MIN_PREFIX_LENGTH,
  normalizePrefix,
  normalizeTerm,
  queryTerms,
  queryTokens,
  tokenize,
} from '../core/keyword-options.ts';
import { STOP_WORDS } from '../core/stopwords.ts';

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
