/**
 * Exact nearest-neighbour search over the embedding rows with usearch's native SIMD kernels
 * (the npm package ships its binary): the same answer as the JavaScript loop in core/vectors.ts,
 * about ten times faster. Vectors are unit length, so inner product = cosine.
 */
import usearch from 'usearch';
import type { Scored, VectorSearch } from '../core/vectors.ts';

export function nativeExactSearch(vectors: Float32Array, dim: number): VectorSearch {
  return {
    nearest(q, k) {
      const rows = vectors.length / dim;
      const n = Math.min(k, rows);
      if (n <= 0) return [];
      const found = usearch.exactSearch(vectors, q, dim, n, usearch.MetricKind.IP);
      const out: Scored[] = [];
      // usearch reports the inner-product distance 1 - q.v.
      for (let i = 0; i < found.keys.length; i++) out.push({ index: Number(found.keys[i]), score: 1 - found.distances[i]! });
      return out.sort((a, b) => b.score - a.score || a.index - b.index);
    },
  };
}
