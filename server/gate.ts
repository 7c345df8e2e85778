/**
 * A concurrency gate: at most `limit` tasks run at once, the rest wait in arrival order.
 * Semantic and hybrid searches hold the main thread for tens of milliseconds each (query
 * embedding, a dot product per chunk); letting 50 run together starves cheap keyword searches
 * of the event loop (docs/reliability.md has the measurements).
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
