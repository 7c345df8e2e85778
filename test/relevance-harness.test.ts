/** The evaluation harness's own parts: judging a hit, the metrics, the reference BM25, theme counts. */
import { describe, expect, it } from 'vitest';
import { InvertedIndex } from '../core/inverted-index.ts';
import { scoreCounts } from '../benchmarks/mention-counts.ts';
import { englishTerms, ReferenceBm25 } from '../benchmarks/reference-bm25.ts';
import { containsNeedle, judgedQueries, mean, sameFile, scoreQuery } from '../benchmarks/relevance.ts';

const hit = (source: string, text: string) => ({ text, doc: { source } });

describe('judging a hit', () => {
  it('matches the file by path, or by name when the judgement gives only a name', () => {
    expect(sameFile('80441_bristol/report 2014.pdf', '80441_bristol/report 2014.pdf')).toBe(true);
    expect(sameFile('copy/80441_bristol/report 2014.pdf', '80441_bristol/report 2014.pdf')).toBe(true);
    expect(sameFile('80441_bristol/report 2014.pdf', 'report 2014.pdf')).toBe(true);
    expect(sameFile('80442_bath/report 2014.pdf', '80441_bristol/report 2014.pdf')).toBe(false);
  });

  it('finds the needle with case, spaces, quotes and dashes folded, or letters and digits only', () => {
    expect(containsNeedle('The  Council’s  “Edge-of-care”\nteam', "council's \"edge-of-care\" team")).toBe(true);
    expect(containsNeedle('life-\nlong links', 'lifelong links')).toBe(true);
    expect(containsNeedle('life story work', 'life story workers')).toBe(false);
  });

  it('reads both set formats', () => {
    const q = judgedQueries({ queries: [{ id: 'a', query: 'x', kind: 'named', file: 'f.pdf', needle: 'n' }, { id: 'b', query: 'y', kind: 'k', relevant: [{ file: 'g', needle: 'm', grade: 2 }] }] });
    expect(q[0]!.relevant).toEqual([{ file: 'f.pdf', needle: 'n', grade: 1 }]);
    expect(q[1]!.relevant[0]!.grade).toBe(2);
  });
});

describe('metrics', () => {
  const relevant = [{ file: 'r.pdf', needle: 'the needle', grade: 1 }];
  it('MRR@10, R@10 and R@100 follow the rank of the first hit', () => {
    const list = Array.from({ length: 30 }, (_, i) => hit('r.pdf', i === 2 ? 'with the needle' : `other ${i}`));
    const s = scoreQuery(list, relevant);
    expect(s.rank).toBe(3);
    expect(s.mrr10).toBeCloseTo(1 / 3);
    expect(s.recall10).toBe(1);
    const late = scoreQuery(Array.from({ length: 30 }, (_, i) => hit('r.pdf', i === 20 ? 'the needle' : 'x')), relevant);
    expect(late).toMatchObject({ rank: 21, mrr10: 0, recall10: 0, recall100: 1 });
    const wrongFile = scoreQuery([hit('other.pdf', 'the needle')], relevant);
    expect(wrongFile).toMatchObject({ rank: null, mrr10: 0, recall100: 0 });
    expect(mean([s, late]).mrr10).toBeCloseTo(1 / 6);
  });
});

describe('reference BM25', () => {
  it("analyses as Lucene's english analyzer does", () => {
    expect(englishTerms("The children's homes are running")).toEqual(['children', 'home', 'run']);
  });

  it("scores with Lucene's formula and ORs every word", () => {
    const texts = ['care leavers housing', 'care care care', 'nothing here', 'leavers'];
    const bm25 = new ReferenceBm25(texts);
    const found = bm25.search('care leavers');
    expect(found.map((h) => h.index)).toEqual([0, 1, 3]);
    // Doc 0: idf(care) * tf / (tf + k1 (1 - b + b dl / avgdl)) summed for care and leaver.
    const idf = (df: number): number => Math.log(1 + (4 - df + 0.5) / (df + 0.5));
    const avg = (3 + 3 + 2 + 1) / 4;
    const part = (tf: number, dl: number): number => tf / (tf + 1.2 * (1 - 0.75 + (0.75 * dl) / avg));
    expect(found[0]!.score).toBeCloseTo(idf(2) * part(1, 3) + idf(2) * part(1, 3), 5);
    const inv = InvertedIndex.build(texts.map(englishTerms));
    expect(inv.df(inv.termId('care'))).toBe(2);
  });
});

describe('theme counts', () => {
  it('recall and precision per report, capped at the judged count', () => {
    const theme = { id: 't', phrase: 'p', occurrences: 10, reports: 2, files: { 'a/1.pdf': 6, 'b/2.pdf': 4 } };
    const s = scoreCounts(new Map([['a/1.pdf', 7], ['b/2.pdf', 2], ['c/3.pdf', 1]]), theme);
    expect(s.recall).toBeCloseTo(8 / 10);
    expect(s.precision).toBeCloseTo(8 / 10);
    expect(s.counted).toBe(10);
  });
});
