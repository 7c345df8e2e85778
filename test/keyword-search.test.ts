/**
 * The keyword index and keyword search over real paragraphs: BM25 over every word, typos,
 * stems, section headings, prefixes, phrases (with endings) and exact phrases, exclusions, and
 * the saved binary form (versioned, refused when damaged).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import { KEYWORD_FORMAT_VERSION, KeywordIndex } from '../core/keyword-index.ts';
import { fuzzyFor, type KeywordDoc } from '../core/keyword-options.ts';
import { DEFAULT_KEYWORD_WEIGHTS, editDistance, planKeywordQuery, runKeyword } from '../core/keyword-search.ts';
import { parseQuery } from '../core/query.ts';

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

const index = KeywordIndex.build(PARAGRAPHS, Int32Array.from(PARAGRAPHS, (_, i) => i));

/** Ids of the chunks a query finds, best first. */
function search(q: string, idx: KeywordIndex = index): string[] {
  const parsed = parseQuery(q);
  const plan = planKeywordQuery(parsed, idx);
  const res = runKeyword(idx, plan, parsed.exclude, { textOf: (i) => PARAGRAPHS[i]!.text, k: 100 });
  expect(res.total).toBe(res.hits.length);
  return res.hits.map((h) => PARAGRAPHS[h.index]!.id);
}

describe('keyword index', () => {
  it('indexes every chunk: words, adjacent pairs and section words', () => {
    expect(index.size).toBe(PARAGRAPHS.length);
    expect(index.words.has('safeguard')).toBe(true);
    expect(index.words.has('the')).toBe(false);
    expect(index.pairs.has('care leaver')).toBe(true);
    expect(index.sections.has('healthi')).toBe(true);
  });

  it('saves to bytes and loads back with the same results', () => {
    const loaded = KeywordIndex.decode(index.encode());
    for (const q of ['safegaurding', 'fostering', 'partnership', 'looked after children', '"care leavers"', 'foster*']) {
      expect(search(q, loaded)).toEqual(search(q));
    }
  });

  it('refuses a damaged or other-version part with an Index: message', () => {
    const bytes = index.encode();
    expect(() => KeywordIndex.decode(bytes.subarray(0, bytes.length - 100))).toThrow(/Index: keyword part is truncated/);
    const garbage = bytes.slice();
    garbage[0] = 0;
    expect(() => KeywordIndex.decode(garbage)).toThrow(AppError);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + new DataView(bytes.buffer).getUint32(4, true)));
    const other = bytes.slice();
    other.set(new TextEncoder().encode(header.replace(`"version":${KEYWORD_FORMAT_VERSION}`, '"version":9')), 8);
    expect(() => KeywordIndex.decode(other)).toThrow(/version 9/);
  });
});

describe('keyword search', () => {
  it('scores every word: a chunk with only some of the words is still found, after those with all', () => {
    const found = search('disabled care leavers university');
    expect(found[0]).toBe('seed-001#p140');
    expect(found).toContain('seed-001#p112');
  });

  it('finds the safeguarding paragraph for the typo "safegaurding", and keeps known words exact', () => {
    expect(search('safegaurding')[0]).toBe('seed-001#p25');
    // "response" (p25) is one edit from "responds" (p121): a known word is never fuzzy.
    expect(search('response')).toEqual(['seed-001#p25']);
    expect(fuzzyFor('care')).toBe(0);
    expect(fuzzyFor('2019')).toBe(0);
    expect(fuzzyFor('foster')).toBe(1);
    expect(fuzzyFor('safegaurd')).toBe(2);
    expect(editDistance('safegaurd', 'safeguard', 2)).toBe(1);
    expect(editDistance('fostr', 'foster', 1)).toBe(1);
  });

  it('finds "foster carers" for "fostering" through the shared stem', () => {
    expect(search('fostering').sort()).toEqual(['seed-001#p112', 'seed-001#p121']);
  });

  it('ranks a heading match above a passing mention in the text', () => {
    const found = search('partnership');
    expect(found[0]).toBe('seed-001#p93');
    expect(found.indexOf('seed-001#p98')).toBeGreaterThan(0);
    expect(found).toContain('seed-001#p121');
  });

  it('ranks the words side by side above the same words apart', () => {
    // p112 has "looked after children" and "care leavers"; p140 has "care leavers" but p121 only "child" and "care"-less text.
    const found = search('care leavers');
    expect(found.slice(0, 2).sort()).toEqual(['seed-001#p112', 'seed-001#p140']);
  });

  it('matches acronyms and possessives the same way on both sides', () => {
    expect(search('camhs')).toEqual(['seed-001#p112']);
    expect(search('MARAC')).toEqual(['seed-001#p98']);
    expect(search("care leaver's education")[0]).toBe('seed-001#p140');
  });

  it('expands prefixes of at least three letters', () => {
    expect(search('foster*').sort()).toEqual(['seed-001#p112', 'seed-001#p121']);
    expect(search('partn*')).toContain('seed-001#p98');
  });

  it('requires a quoted phrase, whose last word may carry an ending; exact:"..." allows none', () => {
    expect(search('"foster carer"').sort()).toEqual(['seed-001#p112', 'seed-001#p121']);
    expect(search('exact:"foster carer"')).toEqual([]);
    expect(search('exact:"foster carers"').sort()).toEqual(['seed-001#p112', 'seed-001#p121']);
    expect(search('"carers foster"')).toEqual([]);
  });

  it('leaves out chunks with an excluded word or phrase', () => {
    expect(search('foster -camhs')).toEqual(['seed-001#p121']);
    expect(search('foster -"foster carers"')).toEqual([]);
  });
});

describe('coordination (share of the query a chunk matches)', () => {
  const DOCS: KeywordDoc[] = [
    { id: 'one-word', section: [], text: 'Mockingbird constellations are growing. The mockingbird hub carer supports the mockingbird families, and mockingbird works well.' },
    { id: 'all-words', section: [], text: 'A mockingbird hub is in place and the council reports that placement stability has improved for the children concerned over the last year of this work.' },
    { id: 'other', section: [], text: 'The stability of each placement is reviewed by managers, who report to leaders on the quality of the work every quarter.' },
    ...['Placement choice is limited.', 'Placement moves are rare.', 'Social workers visit children regularly.', 'Care leavers are supported.', 'Adoption is timely.'].map((text, i) => ({ id: `filler${i}`, section: [], text })),
  ];
  const idx = KeywordIndex.build(DOCS, Int32Array.from(DOCS, (_, i) => i));
  const q = parseQuery('mockingbird placement stability');
  const scores = (coord: number, reportClauses?: Parameters<typeof runKeyword>[3]['reportClauses']): Map<string, number> => {
    const plan = planKeywordQuery(q, idx, true, { ...DEFAULT_KEYWORD_WEIGHTS, coord });
    const hits = runKeyword(idx, plan, q.exclude, { textOf: (i) => DOCS[i]!.text, k: 10, reportClauses }).hits;
    return new Map(hits.map((h) => [DOCS[h.index]!.id, h.score]));
  };

  it('weights each clause by the idf of its word', () => {
    const plan = planKeywordQuery(q, idx);
    expect(plan.clauseWeights).toHaveLength(3);
    // "placement" is in four chunks, "mockingbird" and "stability" in two or three.
    expect(plan.clauseWeights[0]).toBeGreaterThan(plan.clauseWeights[1]!);
    expect(plan.clauseWeights[2]).toBeGreaterThan(plan.clauseWeights[1]!);
  });

  it("multiplies a chunk's score by the share of the query's weight it matches", () => {
    const plan = planKeywordQuery(q, idx);
    const mockingbird = plan.clauseWeights[0]!;
    const total = plan.clauseWeights.reduce((a, b) => a + b, 0);
    const off = scores(0);
    const on = scores(1);
    expect(on.get('all-words')).toBeCloseTo(off.get('all-words')!, 5);
    expect(on.get('one-word')).toBeCloseTo((off.get('one-word')! * mockingbird) / total, 5);
    expect(on.get('one-word')! / on.get('all-words')!).toBeLessThan(off.get('one-word')! / off.get('all-words')!);
  });

  it('counts clauses that the report satisfies as a whole (a council the query names) as matched in its chunks', () => {
    const off = scores(0);
    const named = scores(1, { clauses: [1, 2], has: (row) => row === 0 });
    expect(named.get('one-word')).toBeCloseTo(off.get('one-word')!, 5);
  });
});
