/**
 * Write a built index (documents, paragraphs, chunks with vectors) into a new OpenSearch index
 * with the bulk API, then switch the alias to it in one `_aliases` request (remove + add), so
 * searches see the old build or the new one, never a half-written index, and delete the
 * indexes the alias pointed to before. A failed write deletes its own partial index and leaves
 * the alias as it was.
 */
import { storeDoc } from '../core/index-file.ts';
import type { SearchIndex } from '../core/search-index.ts';
import type { OpenSearchClient } from './client.ts';
import { aliasTargetsPath, CHUNK_ID, DOC_ID, PARAGRAPH_ID, LAYOUT_VERSION, chunkRecord, docRecord, indexBody, paragraphRecord, type IndexMeta, type IndexShape } from './layout.ts';

export interface WriteOptions extends IndexShape {
  alias: string;
  /** Bulk request size in bytes (default 4 MB). */
  batchBytes?: number;
  /** Progress lines (counts, rate, ETA). */
  log?: (line: string) => void;
  /** Called after the new index is complete and before the alias moves (tests check a search still answers from the old one). */
  beforeSwitch?: (index: string) => Promise<void>;
}

export interface WriteSummary {
  index: string;
  alias: string;
  previous: string[];
  documents: number;
  paragraphs: number;
  chunks: number;
  records: number;
  seconds: number;
}

/** Long operations (bulk, refresh, health) wait this long. */
const SLOW_MS = 300_000;

export async function writeOpenSearchIndex(client: OpenSearchClient, index: SearchIndex, options: WriteOptions): Promise<WriteSummary> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const { manifest } = index;
  const name = `${options.alias}-${manifest.buildId}-${Date.now().toString(36)}`.toLowerCase();
  const paragraphs = index.docs.reduce((n, d) => n + d.paragraphs.length, 0);
  const chunks = index.docs.reduce((n, d) => n + d.chunks.length, 0);
  const meta: IndexMeta = {
    layout: LAYOUT_VERSION,
    buildId: manifest.buildId,
    builtAt: manifest.builtAt,
    embedder: manifest.embedder,
    counts: { documents: index.docs.length, chunks, paragraphs },
  };
  const total = index.docs.length + paragraphs + chunks;
  log(`opensearch: writing ${index.docs.length} documents, ${paragraphs} paragraphs, ${chunks} chunks into ${name} at ${client.url} (${options.shards} shard(s), ${options.replicas} replica(s))`);
  await client.request('PUT', `/${name}`, indexBody(meta, options), { timeoutMs: SLOW_MS });
  try {
    const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    let lines: string[] = [];
    let bytes = 0;
    let written = 0;
    let lastLog = performance.now();
    const flush = async (): Promise<void> => {
      if (lines.length === 0) return;
      const body = `${lines.join('\n')}\n`;
      const n = lines.length / 2;
      lines = [];
      bytes = 0;
      const res = await client.request<{ errors: boolean; items: Array<Record<string, { status: number; error?: { reason?: string } }>> }>('POST', `/${name}/_bulk`, body, { timeoutMs: SLOW_MS });
      if (res.errors) {
        const bad = res.items.map((i) => Object.values(i)[0]!).find((i) => i.error);
        throw new Error(`Engine: bulk write into ${name} failed: ${bad?.error?.reason ?? 'unknown error'}`);
      }
      written += n;
      const now = performance.now();
      if (now - lastLog > 2000 || written === total) {
        lastLog = now;
        const rate = written / ((now - t0) / 1000);
        log(`opensearch: ${written}/${total} records (${Math.round((written / total) * 100)}%), ${Math.round(rate)}/s, ETA ${Math.round((total - written) / Math.max(rate, 1))} s`);
      }
    };
    const add = async (id: string, record: unknown): Promise<void> => {
      const line = JSON.stringify(record);
      lines.push(JSON.stringify({ index: { _id: id } }), line);
      bytes += line.length;
      if (bytes >= batchBytes) await flush();
    };
    const { dim } = index;
    for (let d = 0; d < index.docs.length; d++) {
      const doc = index.docs[d]!;
      await add(DOC_ID(doc.meta.id), docRecord(storeDoc(doc)));
      for (const p of doc.paragraphs) await add(PARAGRAPH_ID(doc.meta.id, p.anchor), paragraphRecord(doc.meta, p));
      for (let row = index.docStart[d]!; row < index.docStart[d + 1]!; row++) {
        const c = index.chunks[row]!;
        await add(CHUNK_ID(c.id), chunkRecord(doc.meta, c, index.keyword.groups[row]!, index.vectors.subarray(row * dim, (row + 1) * dim)));
      }
    }
    await flush();
    await client.request('PUT', `/${name}/_settings`, { index: { refresh_interval: '1s' } });
    await client.request('POST', `/${name}/_refresh`, undefined, { timeoutMs: SLOW_MS });
    await client.request('GET', `/_cluster/health/${name}?wait_for_status=yellow&timeout=120s`, undefined, { timeoutMs: SLOW_MS });
    const { count } = await client.request<{ count: number }>('GET', `/${name}/_count`);
    if (count !== total) throw new Error(`Engine: ${name} holds ${count} records after the write, not ${total}`);
    await options.beforeSwitch?.(name);
  } catch (err) {
    await client.request('DELETE', `/${name}`, undefined, { allow404: true }).catch(() => {});
    throw err;
  }
  const previous = await switchAlias(client, options.alias, name);
  for (const old of previous) await client.request('DELETE', `/${old}`, undefined, { allow404: true });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  log(`opensearch: alias ${options.alias} -> ${name}${previous.length > 0 ? ` (was ${previous.join(', ')}, deleted)` : ''}; ${total} records in ${seconds} s`);
  return { index: name, alias: options.alias, previous, documents: index.docs.length, paragraphs, chunks, records: total, seconds };
}

/** Point `alias` at `index` only, in one atomic request; the indexes it pointed at before. */
export async function switchAlias(client: OpenSearchClient, alias: string, index: string): Promise<string[]> {
  const current = (await client.request<Record<string, unknown> | null>('GET', aliasTargetsPath(alias), undefined, { allow404: true })) ?? {};
  const previous = Object.keys(current).filter((i) => i !== index);
  await client.request('POST', '/_aliases', {
    actions: [...previous.map((i) => ({ remove: { index: i, alias } })), { add: { index, alias } }],
  });
  return previous;
}
