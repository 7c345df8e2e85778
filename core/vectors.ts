/**
 * Vector maths for the embedding index: vectors are unit length, so cosine similarity is a dot
 * product. Brute force over a flat Float32Array; fast enough for tens of thousands of chunks.
 */

/** Dot product of `q` with row `row` of the flat matrix `m` (rows of length q.length). */
export function dotRow(m: Float32Array, row: number, q: Float32Array): number {
  const dim = q.length;
  const o = row * dim;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dim; i += 4) {
    s0 += m[o + i]! * q[i]!;
    s1 += m[o + i + 1]! * q[i + 1]!;
    s2 += m[o + i + 2]! * q[i + 2]!;
    s3 += m[o + i + 3]! * q[i + 3]!;
  }
  for (; i < dim; i++) s0 += m[o + i]! * q[i]!;
  return s0 + s1 + s2 + s3;
}

import { TopK, type Scored } from './top-k.ts';

export type { Scored };

/**
 * The nearest rows to a query vector (cosine, best first). The search core asks this, so the
 * server can answer from a native exact search (embed/native-vector-search.ts) while tools and
 * tests use the plain one below.
 */
export interface VectorSearch {
  nearest(q: Float32Array, k: number): Scored[];
}

/** Exact search in JavaScript over every row. */
export function bruteForce(m: Float32Array): VectorSearch {
  return { nearest: (q, k) => topK(scoreAll(m, q), k) };
}

/** Cosine of q with every row of m (all vectors unit length). */
export function scoreAll(m: Float32Array, q: Float32Array): Float32Array {
  const rows = Math.floor(m.length / q.length);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = dotRow(m, r, q);
  return out;
}

/**
 * The k best entries of `scores`, best first. `allow` (optional) limits the rows considered.
 * Keeps a small sorted buffer instead of sorting every score.
 */
export function topK(scores: Float32Array, k: number, allow?: (row: number) => boolean): Scored[] {
  const top = new TopK(k);
  for (let r = 0; r < scores.length; r++) {
    const s = scores[r]!;
    if (s <= top.floor || (allow && !allow(r))) continue;
    top.offer(r, s);
  }
  return top.result();
}

/** Scale to unit length in place; returns the same array. */
export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
