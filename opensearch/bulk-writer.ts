/**
 * Records written into (or deleted from) one index with the bulk API: requests of about
 * `batchBytes`, any failed item fails the write, progress (count, rate, ETA) every 2 s at most.
 */
import type { OpenSearchClient } from './client.ts';

/** Long operations (bulk, refresh, merge, health) wait this long. */
export const SLOW_MS = 300_000;

export class BulkWriter {
  private lines: string[] = [];
  private bytes = 0;
  private lastLog = performance.now();
  private readonly t0 = performance.now();
  private ops = 0;
  /** Records written so far. */
  written = 0;
  /** Records deleted so far (found and deleted). */
  deleted = 0;

  constructor(
    private readonly client: OpenSearchClient,
    private readonly index: string,
    /** Records this writer is expected to write or delete (for progress). */
    private readonly total: number,
    private readonly log: (line: string) => void,
    private readonly batchBytes = 4 * 1024 * 1024,
  ) {}

  async add(id: string, record: unknown): Promise<void> {
    const line = JSON.stringify(record);
    this.lines.push(JSON.stringify({ index: { _id: id } }), line);
    this.bytes += line.length;
    if (this.bytes >= this.batchBytes) await this.flush();
  }

  async remove(id: string): Promise<void> {
    this.lines.push(JSON.stringify({ delete: { _id: id } }));
    this.bytes += id.length + 24;
    if (this.bytes >= this.batchBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const body = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.bytes = 0;
    type Item = { status: number; result?: string; error?: { reason?: string } };
    const res = await this.client.request<{ errors: boolean; items: Array<Record<string, Item>> }>('POST', `/${this.index}/_bulk`, body, { timeoutMs: SLOW_MS });
    if (res.errors) {
      const bad = res.items.map((i) => Object.values(i)[0]!).find((i) => i.error);
      throw new Error(`Engine: bulk write into ${this.index} failed: ${bad?.error?.reason ?? 'unknown error'}`);
    }
    for (const item of res.items) {
      if (item.index) this.written++;
      else if (item.delete?.result === 'deleted') this.deleted++;
    }
    this.ops += res.items.length;
    const now = performance.now();
    if (now - this.lastLog > 2000 || this.ops === this.total) {
      this.lastLog = now;
      const rate = this.ops / ((now - this.t0) / 1000);
      const share = Math.round((this.ops / Math.max(1, this.total)) * 100);
      this.log(`opensearch: ${this.ops}/${this.total} records ${this.deleted > 0 ? `(${this.written} written, ${this.deleted} deleted) ` : 'written '}(${share}%), ${Math.round(rate)}/s, ETA ${Math.round((this.total - this.ops) / Math.max(rate, 1))} s`);
    }
  }
}
