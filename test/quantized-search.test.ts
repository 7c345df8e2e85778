/**
 * Meaning search over int8 vectors with exact re-scoring (embed/quantized-search.ts), used for
 * large indexes: on the shipped reports' real vectors it finds what exact search finds, with the
 * exact scores; and the server picks it from QUANTIZED_MIN_CHUNKS chunks on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bruteForce, normalize } from '../core/vectors.ts';
import { nativeExactSearch } from '../embed/native-vector-search.ts';
import { int8Scale, quantize, quantizedSearch } from '../embed/quantized-search.ts';
import { loadIndex, vectorSearchFor } from '../server/load-index.ts';
import { ensureCorpusIndex } from './helpers/corpus-index.ts';

let vectors: Float32Array;
let dim: number;
beforeAll(async () => {
  const index = await loadIndex(await ensureCorpusIndex());
  vectors = index.vectors;
  dim = index.dim;
});

/** A query between two paragraphs (a mixture of their vectors), as real queries sit. */
function between(i: number, rows: number): Float32Array {
  const a = (i * 7919) % rows;
  const b = (i * 104_729 + 13) % rows;
  const q = new Float32Array(dim);
  for (let d = 0; d < dim; d++) q[d] = vectors[a * dim + d]! + 0.7 * vectors[b * dim + d]!;
  return normalize(q);
}

describe('int8 scan with exact re-scoring', () => {
  it('finds the exact top 10 for at least 99 % of queries, with the exact scores', async () => {
    const rows = vectors.length / dim;
    expect(rows).toBeGreaterThan(1000);
    const exact = bruteForce(vectors);
    const quantized = quantizedSearch(vectors, dim);
    // Until the int8 copy is ready the answers are exact float32 ones.
    const early = between(1, rows);
    expect(quantized.nearest(early, 10)).toEqual(nativeExactSearch(vectors, dim).nearest(early, 10));
    await quantized.ready;
    let same = 0;
    let found = 0;
    const queries = 300;
    for (let i = 0; i < queries; i++) {
      const q = between(i, rows);
      const want = exact.nearest(q, 100);
      const got = quantized.nearest(q, 100);
      expect(got).toHaveLength(100);
      const exactScore = new Map(want.map((s) => [s.index, s.score]));
      for (const g of got.slice(0, 10)) if (exactScore.has(g.index)) expect(g.score).toBeCloseTo(exactScore.get(g.index)!, 5);
      const top = new Set(got.slice(0, 10).map((s) => s.index));
      const hits = want.slice(0, 10).filter((s) => top.has(s.index)).length;
      found += hits / 10;
      if (hits === 10) same++;
    }
    expect(found / queries).toBeGreaterThanOrEqual(0.99);
    expect(same / queries).toBeGreaterThanOrEqual(0.95);
  });

  it('quantizes to whole numbers in -127..127 with one scale for all rows', () => {
    const scale = int8Scale(vectors);
    const codes = quantize(vectors.subarray(0, dim * 10), scale);
    expect(Math.max(...codes.map(Math.abs))).toBeLessThanOrEqual(127);
    // The largest component of the whole matrix maps to 127 exactly.
    expect(Math.round(vectors.reduce((m, x) => Math.max(m, Math.abs(x)), 0) * scale)).toBe(127);
    for (let i = 0; i < codes.length; i += 37) expect(Math.abs(codes[i]! / scale - vectors[i]!)).toBeLessThanOrEqual(0.5 / scale + 1e-7);
  });

  it('is what the server uses from QUANTIZED_MIN_CHUNKS chunks on, exact float32 below', () => {
    expect(vectorSearchFor(99_999, 100_000)).toBe(nativeExactSearch);
    expect(vectorSearchFor(100_000, 100_000)).toBe(quantizedSearch);
  });
});
