/**
 * benchmarks/scale-queries.ts: the query lists of the scale benchmarks are distinct across every
 * list, deterministic for a seed, leave out the excluded queries, and are of the promised kinds.
 */
import { describe, expect, it } from 'vitest';
import { querySets } from '../benchmarks/scale-queries.ts';

const PHRASES = [
  'placement stability', 'management oversight', 'care leavers', 'return home interviews', 'social workers', 'child protection plans',
  'early help', 'quality assurance', 'private fostering', 'special guardianship', 'foster carers', 'young people',
];

/** Synthetic report-like paragraphs: enough repeated word pairs and long sentences. */
function texts(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = PHRASES[i % PHRASES.length]!;
    const b = PHRASES[(i * 7 + 3) % PHRASES.length]!;
    out.push(
      `The local authority has improved ${a} for children in care and ${b} through effective partnership working number ${i} across the area. ` +
        `Senior leaders ensure that ${b} and ${a} are reviewed regularly by managers who understand the needs of children and families well (${i}).`,
    );
  }
  return out;
}

describe('scale benchmark queries', () => {
  const chunkTexts = texts(600);
  const councils = ['Hackney', 'Havering', 'Hertfordshire'];

  it('gives disjoint lists of distinct short and natural-language queries', () => {
    const s = querySets(chunkTexts, councils, { perSet: 40, sets: 2, exclude: ['care leavers'] });
    const all = [...s.short.flat(), ...s.natural.flat()];
    expect(s.short.map((l) => l.length)).toEqual([40, 40]);
    expect(s.natural.map((l) => l.length)).toEqual([40, 40]);
    expect(new Set(all.map((q) => q.toLowerCase())).size).toBe(all.length);
    expect(all).not.toContain('care leavers');
    for (const q of s.short.flat()) expect(q.split(' ').length).toBeLessThanOrEqual(7);
    for (const q of s.natural.flat()) {
      expect(q.split(' ').length).toBeGreaterThanOrEqual(8);
      expect(q).toMatch(/^[a-z0-9' -]+$/);
    }
  });

  it('is deterministic for a seed, and duplicated texts give the same queries', () => {
    const a = querySets(chunkTexts, councils, { perSet: 30, sets: 2, seed: 7 });
    const b = querySets([...chunkTexts, ...chunkTexts], councils, { perSet: 30, sets: 2, seed: 7 });
    const c = querySets(chunkTexts, councils, { perSet: 30, sets: 2, seed: 8 });
    expect(b).toEqual(a);
    expect(c.natural).not.toEqual(a.natural);
  });

  it('says so when the texts cannot give enough distinct queries', () => {
    expect(() => querySets(texts(3), councils, { perSet: 500, sets: 2 })).toThrow(/distinct/);
  });
});
