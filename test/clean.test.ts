import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dehyphenate, isGarbageLine, joinLines, normalizeChars, wordSet } from '../indexer/clean.ts';

describe('normalizeChars', () => {
  it('expands ligatures and straightens quotes', () => {
    expect(normalizeChars('\uFB01nance and \uFB02ow, \uFB00ect, \uFB03ce, ba\uFB04e')).toBe('finance and flow, ffect, ffice, baffle');
    expect(normalizeChars('\u2018children\u2019s\u2019 \u201Cvoice\u201D')).toBe('\'children\'s\' "voice"');
  });

  it('turns bullets at line start into "- " and drops bare bullet lines', () => {
    expect(normalizeChars('\u25A0 first\n\u2022second\n\uF0B7 third\n\u25CF fourth\n\u25AA fifth\n\u2010 sixth')).toBe(
      '- first\n- second\n- third\n- fourth\n- fifth\n- sixth',
    );
    expect(normalizeChars('\u2022\nThe text')).toBe('The text');
    expect(normalizeChars('Being healthy \u2022 Staying safe')).toBe('Being healthy - Staying safe');
  });

  it('keeps number ranges tight and spaces other dashes', () => {
    expect(normalizeChars('2017\u20132022')).toBe('2017-2022');
    expect(normalizeChars('20 May\u20131 June')).toBe('20 May - 1 June');
    expect(normalizeChars('services \u2014 including help')).toBe('services - including help');
    expect(normalizeChars('children\u2014including')).toBe('children - including');
    expect(normalizeChars('-5 and \u22125')).toBe('-5 and -5');
  });

  it('normalises spaces, removes soft hyphens and trims', () => {
    expect(normalizeChars('  a\u00A0b\u2009c   d\t e  ')).toBe('a b c d e');
    expect(normalizeChars('safe\u00ADguarding\u200B')).toBe('safeguarding');
    expect(normalizeChars('\n\nline one  \n  line two\n\n')).toBe('line one\nline two');
  });

  it('keeps tabs as cell separators when asked', () => {
    expect(normalizeChars('Contents \t 1\nGrade\t\u25A0 Good\t2', { keepTabs: true })).toBe('Contents\t1\nGrade\t- Good\t2');
    expect(normalizeChars('Contents\t1')).toBe('Contents 1');
  });
});

describe('dehyphenate / joinLines', () => {
  it('joins words broken at a line end', () => {
    expect(dehyphenate('safe', 'guarding')).toBe('safeguarding');
    expect(dehyphenate('inspec', 'tion')).toBe('inspection');
    expect(dehyphenate('assess', 'ments')).toBe('assessments');
    expect(joinLines(['Arrangements for safe-', 'guarding children are strong.'])).toBe('Arrangements for safeguarding children are strong.');
  });

  it('keeps real compounds', () => {
    for (const [l, r] of [
      ['multi', 'agency'], ['well', 'being'], ['self', 'harm'], ['co', 'ordinated'], ['child', 'centred'],
      ['non', 'attendance'], ['long', 'term'], ['short', 'term'], ['decision', 'making'], ['re', 'referrals'],
      ['sub', 'group'], ['evidence', 'based'], ['front', 'line'],
    ] as const) {
      expect(dehyphenate(l, r)).toBe(`${l}-${r}`);
    }
    expect(dehyphenate('16', 'year-olds')).toBe('16-year-olds');
    expect(dehyphenate('non', 'English')).toBe('non-English');
    expect(joinLines(['The multi-', 'agency safeguarding hub (MASH) works well.'])).toBe(
      'The multi-agency safeguarding hub (MASH) works well.',
    );
    expect(joinLines(['for 16-', 'and 17-year-olds'])).toBe('for 16-and 17-year-olds');
  });

  it('uses the document vocabulary when given', () => {
    const known = wordSet('Caseloads are manageable. Social workers use trauma-informed practice.');
    const has = (w: string): boolean => known.has(w);
    expect(dehyphenate('case', 'loads', has)).toBe('caseloads');
    expect(dehyphenate('trauma', 'informed', has)).toBe('trauma-informed');
    expect(dehyphenate('plan', 'ning', has)).toBe('planning');
  });

  it('keeps a spaced dash at a line end and joins plain lines with one space', () => {
    expect(joinLines(['Leaders know their services -', 'and act on it.'])).toBe('Leaders know their services - and act on it.');
    expect(joinLines(['  one ', '', 'two'])).toBe('one two');
    expect(joinLines([])).toBe('');
  });
});

describe('isGarbageLine', () => {
  it('flags non-Latin script and symbol noise', () => {
    expect(isGarbageLine('накіну а розіцує сонцірицон.')).toBe(true);
    expect(isGarbageLine('ก ด ร ทาง')).toBe(true);
    expect(isGarbageLine('~~ ^^ ¬¬ ¦¦ §§ ¤¤')).toBe(true);
    expect(isGarbageLine('Fbkx Qrtz Mnnp Wvtx')).toBe(true);
  });

  it('does not flag short legitimate lines', () => {
    for (const s of [
      'Grade 2 (Good)', '29.', 'Page 3', '3.2', '12 15 17 22%', '£1,234,000 | 2022-23 | 4.5%', 'Matthew Brazier HMI',
      'CAMHS', 'LSCB MASH CSC', 'Overall effectiveness', 'Ms P Thompson', 'E8 1EA', 'Dr Smyth', 'www.ofsted.gov.uk',
      'Mr J Smith', 'Key C', '©', 'Inspection dates: 20 May-1 June 2012',
    ]) {
      expect(isGarbageLine(s), s).toBe(false);
    }
  });

  it('finds exactly the foreign-script line in the Hackney 2005 seed', () => {
    const text = readFileSync(new URL('../corpus/seeds/000_1086bae144af7f91.txt', import.meta.url), 'utf8');
    const flagged = text
      .split(/[\n\t]/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && isGarbageLine(l));
    expect(flagged).toEqual(['накіну а розіцує сонцірицон.']);
  });
});
