/**
 * core/top-k.ts: the k best of a stream of scored rows, best first, ties by the lower row, as a
 * full sort of the stream would give them; for any k and any order of arrival.
 */
import { describe, expect, it } from 'vitest';
import { TopK, type Scored } from '../core/top-k.ts';
import { rng } from '../benchmarks/scale-queries.ts';

function sorted(stream: Scored[], k: number): Scored[] {
  return [...stream].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, Math.max(0, k));
}

describe('TopK', () => {
  it('keeps the k best, best first, ties by the lower row, for random streams with many ties', () => {
    const random = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = Math.floor(random() * 300);
      const k = [0, 1, 2, 10, 50, 1000][trial % 6]!;
      // Scores on a coarse grid so that equal scores are common; rows in random order.
      const rows = Array.from({ length: n }, (_, i) => i).sort(() => random() - 0.5);
      const stream = rows.map((index) => ({ index, score: Math.floor(random() * 20) / 4 }));
      const top = new TopK(k);
      for (const s of stream) top.offer(s.index, s.score);
      expect(top.result(), `trial ${trial}: n=${n} k=${k}`).toEqual(sorted(stream, k));
      // Asking twice gives the same (the heap is not consumed).
      expect(top.result()).toEqual(sorted(stream, k));
    }
  });

  it('raises its floor only once k rows are held', () => {
    const top = new TopK(2);
    expect(top.floor).toBe(-Infinity);
    top.offer(5, 1);
    expect(top.floor).toBe(-Infinity);
    top.offer(6, 3);
    expect(top.floor).toBe(1);
    top.offer(7, 2);
    expect(top.floor).toBe(2);
    expect(top.result()).toEqual([{ index: 6, score: 3 }, { index: 7, score: 2 }]);
  });
});
