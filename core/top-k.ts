/** The k best of a stream of scored rows, best first; ties keep the earlier row first. */
export interface Scored {
  index: number;
  score: number;
}

export class TopK {
  private readonly best: Scored[] = [];

  constructor(private readonly k: number) {}

  /** The score a new row must beat to enter (-Infinity until k rows are held). */
  get floor(): number {
    return this.best.length >= this.k ? this.best[this.best.length - 1]!.score : -Infinity;
  }

  offer(index: number, score: number): void {
    if (this.k <= 0 || (this.best.length >= this.k && score <= this.floor)) return;
    let i = this.best.length;
    while (i > 0 && this.best[i - 1]!.score < score) i--;
    this.best.splice(i, 0, { index, score });
    if (this.best.length > this.k) this.best.pop();
  }

  result(): Scored[] {
    return this.best;
  }
}
