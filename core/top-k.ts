/** The k best of a stream of scored rows, best first; among equal scores the lower row first. */
export interface Scored {
  index: number;
  score: number;
}

/** A bounded min-heap: the worst kept row is at the root, so a new row is compared with it once. */
export class TopK {
  private readonly rows: Int32Array;
  private readonly scores: Float64Array;
  private n = 0;

  constructor(private readonly k: number) {
    this.rows = new Int32Array(Math.max(0, k));
    this.scores = new Float64Array(Math.max(0, k));
  }

  /** The score a new row must beat to enter (-Infinity until k rows are held). */
  get floor(): number {
    return this.n >= this.k ? this.scores[0]! : -Infinity;
  }

  offer(index: number, score: number): void {
    if (this.k <= 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, index, this.scores[parent]!, this.rows[parent]!)) break;
        this.rows[i] = this.rows[parent]!;
        this.scores[i] = this.scores[parent]!;
        i = parent;
      }
      this.rows[i] = index;
      this.scores[i] = score;
      return;
    }
    if (!this.worse(this.scores[0]!, this.rows[0]!, score, index)) return;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.worse(this.scores[r]!, this.rows[r]!, this.scores[l]!, this.rows[l]!) ? r : l;
      if (!this.worse(this.scores[c]!, this.rows[c]!, score, index)) break;
      this.rows[i] = this.rows[c]!;
      this.scores[i] = this.scores[c]!;
      i = c;
    }
    this.rows[i] = index;
    this.scores[i] = score;
  }

  /** Best first (a heap sort of a copy: the worst kept row goes last, then the next worst, ...). */
  result(): Scored[] {
    const rows = this.rows.slice(0, this.n);
    const scores = this.scores.slice(0, this.n);
    for (let end = this.n - 1; end > 0; end--) {
      const row = rows[end]!;
      const score = scores[end]!;
      rows[end] = rows[0]!;
      scores[end] = scores[0]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= end) break;
        const r = l + 1;
        const c = r < end && this.worse(scores[r]!, rows[r]!, scores[l]!, rows[l]!) ? r : l;
        if (!this.worse(scores[c]!, rows[c]!, score, row)) break;
        rows[i] = rows[c]!;
        scores[i] = scores[c]!;
        i = c;
      }
      rows[i] = row;
      scores[i] = score;
    }
    const out: Scored[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = { index: rows[i]!, score: scores[i]! };
    return out;
  }

  /** Row a ranks below row b (lower score, or the same score and a later row). */
  private worse(sa: number, ra: number, sb: number, rb: number): boolean {
    return sa < sb || (sa === sb && ra > rb);
  }
}
