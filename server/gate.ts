/**
 * A concurrency gate: at most `limit` tasks run at once, the rest wait in arrival order.
 * Semantic and hybrid searches take tens of milliseconds of main-thread work each (the vector
 * scan, fusion, results; their model calls run in the embedder's worker thread), run as
 * background turns (server/cooperative.ts); the gate bounds how many are under way, so they
 * cannot hold the background turns for long (docs/reliability.md has the measurements).
 */
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the limit always holds.
    if (this.running >= this.limit) await new Promise<void>((ok) => this.waiting.push(ok));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
