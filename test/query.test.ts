/** The query language parser. */
import { describe, expect, it } from 'vitest';
import { parseQuery, semanticText } from '../core/query.ts';

describe('parseQuery', () => {
  it('reads words, phrases, OR, exclusions and prefixes', () => {
    const q = parseQuery('care leavers "staying put" OR "staying close" -school safeguard*');
    expect(q.clauses).toEqual([
      { any: [{ kind: 'word', text: 'care' }] },
      { any: [{ kind: 'word', text: 'leavers' }] },
      { any: [{ kind: 'phrase', text: 'staying put' }, { kind: 'phrase', text: 'staying close' }] },
      { any: [{ kind: 'prefix', text: 'safeguard' }] },
    ]);
    expect(q.exclude).toEqual([{ kind: 'word', text: 'school' }]);
    expect(semanticText(q)).toBe('care leavers staying put or staying close safeguard');
  });

  it('reads filters and leaves them out of the words', () => {
    const q = parseQuery('adoption council:hackney council:isle_of_wight year:2015..2019 type:ilacs judgement:inadequate');
    expect(q.clauses).toEqual([{ any: [{ kind: 'word', text: 'adoption' }] }]);
    expect(q.filters).toEqual({ council: ['hackney', 'isle of wight'], type: ['ilacs'], from: 2015, to: 2019, judgement: ['inadequate'] });
    expect(parseQuery('x year:2019').filters).toMatchObject({ from: 2019, to: 2019 });
  });

  it('never throws on odd input', () => {
    for (const s of ['"unbalanced', 'OR', '- -- *', '""', '"', 'a OR', 'OR b', '\u0000\u0007', '🙂 العربية', '(a|b)*+?[', "'; DROP TABLE x; --", '<script>alert(1)</script>', 'x'.repeat(10_000)]) {
      expect(() => parseQuery(s), s.slice(0, 20)).not.toThrow();
    }
    expect(parseQuery('"unbalanced phrase').clauses).toEqual([{ any: [{ kind: 'phrase', text: 'unbalanced phrase' }] }]);
    // A prefix shorter than 3 letters is searched as a word (a one- or two-letter prefix matches almost everything).
    expect(parseQuery('ch*').clauses).toEqual([{ any: [{ kind: 'word', text: 'ch' }] }]);
  });

  it('rejects filter values that cannot mean anything with the parameter named', () => {
    expect(() => parseQuery('x year:20x9')).toThrow('Request: parameter "year" must be a year');
    expect(() => parseQuery('x type:novel')).toThrow('Request: parameter "type" must be one of');
  });
});
