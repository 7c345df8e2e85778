/**
 * Micro-batching: items pushed at about the same time are collected (for `maxWaitMs`, or until
 * `maxBatch` are waiting) and handed to one `run` call. Only one batch runs at a time; items that
 * arrive meanwhile form the next batch. So 50 concurrent queries become a few orderly runs
 * instead of 50 calls competing for the encoder and the two cores.
 */
export interface BatchQueueOptions {
  /** Largest batch handed to `run` (default 16). */
  maxBatch?: number;
  /** How long the first item of a batch waits for company (default 2 ms). */
  maxWaitMs?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class BatchQueue<I, O> {
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private waiting: Pending<I, O>[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** Number of `run` calls made so far (for tests and logs). */
  batches = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    options: BatchQueueOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 16);
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? 2);
  }

  /** Queue one item; resolves with its own result (or rejects with its batch's error). */
  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return; // the running batch picks the rest up when it ends
    if (this.waiting.length >= this.maxBatch) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
    }
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    this.running = true;
    this.batches++;
    let out: Promise<O[]>;
    try {
      out = this.run(batch.map((p) => p.item));
    } catch (e) {
      out = Promise.reject(e);
    }
    out
      .then(
        (results) => {
          if (results.length !== batch.length) throw new Error(`BatchQueue: run returned ${results.length} results for ${batch.length} items`);
          batch.forEach((p, i) => p.resolve(results[i]!));
        },
      )
      .catch((e: unknown) => batch.forEach((p) => p.reject(e)))
      .finally(() => {
        this.running = false;
        if (this.waiting.length > 0) {
          // Everything that queued during the run has waited long enough: go at once.
          this.flush();
        }
      });
  }
}
