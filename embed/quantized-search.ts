/**
 * Nearest-neighbour search for large indexes: an exact scan over int8 copies of the embeddings
 * (usearch's native SIMD kernels; a quarter of the memory traffic of float32), whose best
 * `candidates(k)` rows are then re-scored exactly with the float vectors. The scores returned
 * are the exact cosines; only the choice of rows can differ from exact search, when a row of the
 * true top k falls outside the int8 scan's candidates (recall measured by
 * test/quantized-search.test.ts and `npm run bench:vectors`).
 *
 * Used from `QUANTIZED_MIN_CHUNKS` rows on (core/config.ts); smaller indexes are searched
 * exactly in float32 (embed/native-vector-search.ts). The int8 copy is made after the index is
 * opened, in the background (QuantizedSearch below), so neither the saved format nor the
 * start-up time changes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import usearch from 'usearch';
import { TopK } from '../core/top-k.ts';
import { dotRow, type Scored, type VectorSearch } from '../core/vectors.ts';
import { nativeExactSearch } from './native-vector-search.ts';

/** Rows taken from the int8 scan for a request of k, re-scored exactly. */
export function candidates(k: number): number {
  return Math.max(4 * k, 400);
}

/**
 * One scale for every component: unit vectors of a few hundred dimensions have components far
 * below 1, so the scale maps the largest magnitude met (over all rows) to 127.
 */
export function int8Scale(vectors: Float32Array): number {
  return scaleFor(maxAbs(vectors, 0, vectors.length, 0));
}

function scaleFor(max: number): number {
  return max > 0 ? 127 / max : 1;
}

function maxAbs(v: Float32Array, from: number, to: number, max: number): number {
  for (let i = from; i < to; i++) {
    const a = Math.abs(v[i]!);
    if (a > max) max = a;
  }
  return max;
}

export function quantize(v: Float32Array, scale: number, out: Int8Array = new Int8Array(v.length)): Int8Array {
  for (let i = 0; i < v.length; i++) {
    const x = Math.round(v[i]! * scale);
    out[i] = x > 127 ? 127 : x < -127 ? -127 : x;
  }
  return out;
}

/** Values quantised per pause while the int8 copy is made in the background (~2-5 ms of work). */
const SLICE = 1 << 20;

/**
 * The int8 copy is made in the background, a slice at a time between other work, so opening a
 * large index (and the server's start) does not wait for it; until it is ready, searches are
 * answered by exact float32 search, after that by the int8 scan. `ready` resolves when it is.
 */
export class QuantizedSearch implements VectorSearch {
  readonly ready: Promise<void>;
  private codes: Int8Array | null = null;
  private scale = 1;
  private readonly rows: number;
  private readonly exact: VectorSearch;
  private readonly q8: Int8Array<ArrayBuffer>;

  constructor(
    private readonly vectors: Float32Array,
    private readonly dim: number,
  ) {
    this.rows = dim > 0 ? vectors.length / dim : 0;
    this.exact = nativeExactSearch(vectors, dim);
    this.q8 = new Int8Array(dim);
    this.ready = this.prepare();
  }

  private async prepare(): Promise<void> {
    const v = this.vectors;
    let max = 0;
    for (let from = 0; from < v.length; from += SLICE) {
      max = maxAbs(v, from, Math.min(v.length, from + SLICE), max);
      await nextTurn();
    }
    const scale = scaleFor(max);
    const codes = new Int8Array(v.length);
    for (let from = 0; from < v.length; from += SLICE) {
      quantize(v.subarray(from, Math.min(v.length, from + SLICE)), scale, codes.subarray(from, Math.min(v.length, from + SLICE)));
      await nextTurn();
    }
    this.scale = scale;
    this.codes = codes;
  }

  nearest(q: Float32Array, k: number): Scored[] {
    if (this.codes === null) return this.exact.nearest(q, k);
    const n = Math.min(k, this.rows);
    if (n <= 0) return [];
    const found = usearch.exactSearch(this.codes, quantize(q, this.scale, this.q8), this.dim, Math.min(this.rows, candidates(n)), usearch.MetricKind.IP, 1);
    const top = new TopK(n);
    for (const key of found.keys) {
      const row = Number(key);
      if (row >= 0 && row < this.rows) top.offer(row, dotRow(this.vectors, row, q));
    }
    return top.result();
  }
}

export function quantizedSearch(vectors: Float32Array, dim: number): QuantizedSearch {
  return new QuantizedSearch(vectors, dim);
}
