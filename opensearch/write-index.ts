/**
 * Write a built index (documents, paragraphs, chunks with vectors) into a new OpenSearch index,
 * then switch the alias to it in one `_aliases` request (remove + add), so searches see the old
 * build or the new one, never a half-written index, and delete the index the alias pointed to
 * before. A failed write deletes its own new index and leaves the alias as it was.
 *
 * The new index is written in full (every record, bulk) when there is no current index behind the
 * alias, or it has another layout, embedder or number of primary shards, or records written
 * without fingerprints, or `full` is asked. Otherwise incrementally: the current index is cloned
 * (`_clone` hard-links its segments: records and vectors as they are, in seconds), then only the
 * differences are written into the clone: the records of removed and changed documents deleted,
 * those of added and changed documents written, and chunks of unchanged documents whose
 * near-identical group id must change rewritten whole (opensearch/group-labels.ts). Documents are
 * compared by fingerprint (docFingerprint, opensearch/layout.ts). Chunk records are never updated
 * or copied through their JSON: the vector is not in it. Deleted records still count in Lucene's
 * BM25 statistics until their segments are merged, so the deletions come first, then a merge of
 * every segment holding one, then the writes (which replace nothing), and the field statistics are
 * checked against the live records before the switch: the ranking is exactly that of a full write.
 */
import { storeDoc } from '../core/index-file.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { BulkWriter, SLOW_MS } from './bulk-writer.ts';
import type { OpenSearchClient } from './client.ts';
import { expungeDeletes, checkStatistics } from './expunge-deletes.ts';
import { incrementalPlan, type CurrentIndex, type IncrementalPlan } from './incremental-plan.ts';
import { aliasTargetsPath, CHUNK_ID, DOC_ID, PARAGRAPH_ID, LAYOUT_VERSION, chunkRecord, docFingerprint, docRecord, indexBody, paragraphRecord, type IndexMeta, type IndexShape } from './layout.ts';
import { scan } from './scan.ts';

export interface WriteOptions extends IndexShape {
  alias: string;
  /** Write every record into a new index even when the current one could be cloned and updated. */
  full?: boolean;
  /** Bulk request size in bytes (default 4 MB). */
  batchBytes?: number;
  /** Progress lines (counts, rate, ETA). */
  log?: (line: string) => void;
  /** Called after the new index is complete and before the alias moves (tests check a search still answers from the old one). */
  beforeSwitch?: (index: string) => Promise<void>;
  /** Called after each step of an incremental write (`clone`, `delete`, `merge`, `write`) with the new index (tests: a failure mid-write). */
  afterStep?: (step: IncrementalStep, index: string) => Promise<void>;
}

export type IncrementalStep = 'clone' | 'delete' | 'merge' | 'write';

export interface WriteSummary {
  /** `full`: every record written; `incremental`: the current index cloned and only the differences written; `unchanged`: the alias already serves this build. */
  mode: 'full' | 'incremental' | 'unchanged';
  /** Why this mode. */
  reason: string;
  index: string;
  alias: string;
  /** Indexes the alias pointed to before (deleted). */
  previous: string[];
  documents: number;
  paragraphs: number;
  chunks: number;
  /** Records in the new index. */
  records: number;
  /** Documents compared with the current index (a full write counts every one as added). */
  docs: { added: number; changed: number; removed: number; unchanged: number };
  /** Records kept from the current index (cloned, not written). */
  copied: number;
  /** Records written (bulk). */
  written: number;
  /** Records deleted from the clone (those of removed and changed documents). */
  deleted: number;
  /** Chunks of unchanged documents rewritten because their near-identical group id changed. */
  groupsMoved: number;
  seconds: number;
  /** Seconds of each step. */
  steps: Record<string, number>;
}

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
  const steps: Record<string, number> = {};
  const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      steps[label] = round((performance.now() - t) / 1000);
    }
  };
  const base = { alias: options.alias, documents: index.docs.length, paragraphs, chunks, records: total };

  const currents = await step('inspect', () => currentIndexes(client, options.alias));
  const current = currents.length === 1 ? currents[0]! : null;
  if (current && !options.full && current.meta?.buildId === manifest.buildId && current.meta.layout === LAYOUT_VERSION && current.shards === options.shards) {
    if (current.replicas !== options.replicas) await client.request('PUT', `/${current.name}/_settings`, { index: { number_of_replicas: options.replicas } });
    log(`opensearch: ${options.alias} -> ${current.name} already holds build ${manifest.buildId}; nothing to write`);
    return {
      ...base, mode: 'unchanged', reason: `the alias already serves build ${manifest.buildId}`, index: current.name, previous: [],
      docs: { added: 0, changed: 0, removed: 0, unchanged: index.docs.length }, copied: 0, written: 0, deleted: 0, groupsMoved: 0, seconds: round((performance.now() - t0) / 1000), steps,
    };
  }
  const fingerprints = await step('fingerprint', async () => index.docs.map((doc, d) => docFingerprint(storeDoc(doc), index.vectors.subarray(index.docStart[d]! * index.dim, index.docStart[d + 1]! * index.dim))));
  let why = fullWriteReason(currents, meta, options);
  let plan: IncrementalPlan | null = null;
  if (why === null) {
    const compared = await step('compare', () => incrementalPlan(client, current!, index, fingerprints));
    if (typeof compared === 'string') why = compared;
    else plan = compared;
  }

  let summary: Omit<WriteSummary, 'previous' | 'seconds' | 'steps' | keyof typeof base | 'index'>;
  if (plan === null) {
    log(`opensearch: full write (${why}): ${index.docs.length} documents, ${paragraphs} paragraphs, ${chunks} chunks into ${name} at ${client.url} (${options.shards} shard(s), ${options.replicas} replica(s))`);
    await client.request('PUT', `/${name}`, indexBody(meta, options), { timeoutMs: SLOW_MS });
    try {
      const writer = new BulkWriter(client, name, total, log, options.batchBytes);
      await step('write', async () => {
        for (let d = 0; d < index.docs.length; d++) await writeDoc(writer, index, d, fingerprints[d]!, index.keyword.groups);
        await writer.flush();
      });
      await step('finish', () => finish(client, name, total, options));
    } catch (err) {
      await client.request('DELETE', `/${name}`, undefined, { allow404: true }).catch(() => {});
      throw err;
    }
    summary = { mode: 'full', reason: why ?? 'full write', docs: { added: index.docs.length, changed: 0, removed: 0, unchanged: 0 }, copied: 0, written: total, deleted: 0, groupsMoved: 0 };
  } else {
    const { docs, stale, labels, kept, expectDeleted } = plan;
    const rewrite = index.docs.map((d) => docs.get(d.meta.id) !== 'unchanged');
    const toWrite = index.docs.reduce((n, d, i) => n + (rewrite[i] ? 1 + d.paragraphs.length + d.chunks.length : 0), 0) + labels.moved.length;
    const count = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    for (const v of docs.values()) count[v]++;
    log(`opensearch: incremental write from ${current!.name} into ${name} at ${client.url}: documents ${count.added} added, ${count.changed} changed, ${count.removed} removed, ${count.unchanged} unchanged; ${expectDeleted} records to delete, ${toWrite} to write (${labels.moved.length} of them chunks whose group id changes)`);
    const toDelete = expectDeleted + labels.moved.length;
    try {
      await step('clone', () => cloneIndex(client, current!, name, options));
      const { count: cloned } = await client.request<{ count: number }>('GET', `/${name}/_count`);
      if (cloned !== kept + expectDeleted) throw new Error(`Engine: the clone ${name} holds ${cloned} records, not the ${kept + expectDeleted} its document records count in ${current!.name}; write in full (--full)`);
      await options.afterStep?.('clone', name);
      // Deletions first, then their merge, then the writes: the writes then replace no record, so
      // no deleted record can be left in a segment beside the new ones.
      const writer = new BulkWriter(client, name, toDelete + toWrite, log, options.batchBytes);
      await step('delete', async () => {
        // By id, from the ids the records of those documents have in the clone (no _delete_by_query:
        // it is a module, reindex, that a cluster may lack).
        const body = { query: { terms: { docId: stale } }, _source: false };
        if (stale.length > 0) for await (const hits of scan<unknown>(client, name, body, 5000)) for (const h of hits) await writer.remove(h._id);
        for (const row of labels.moved) await writer.remove(CHUNK_ID(index.chunks[row]!.id));
        await writer.flush();
      });
      if (writer.deleted !== toDelete) throw new Error(`Engine: deleted ${writer.deleted} records from ${name}, not ${toDelete}`);
      await options.afterStep?.('delete', name);
      await step('merge', () => expungeDeletes(client, name, log));
      await options.afterStep?.('merge', name);
      await step('write', async () => {
        for (let d = 0; d < index.docs.length; d++) if (rewrite[d]) await writeDoc(writer, index, d, fingerprints[d]!, labels.label);
        for (const row of labels.moved) {
          const d = index.chunkDoc[row]!;
          await writer.add(CHUNK_ID(index.chunks[row]!.id), chunkRecord(index.docs[d]!.meta, index.chunks[row]!, labels.label[row]!, index.vectors.subarray(row * index.dim, (row + 1) * index.dim)));
        }
        await writer.flush();
      });
      await options.afterStep?.('write', name);
      await client.request('PUT', `/${name}/_mapping`, { _meta: meta });
      await step('finish', () => finish(client, name, total, options, () => checkStatistics(client, name)));
    } catch (err) {
      await client.request('DELETE', `/${name}`, undefined, { allow404: true }).catch(() => {});
      throw err;
    }
    summary = { mode: 'incremental', reason: `documents compared by fingerprint with ${current!.name}`, docs: count, copied: kept - labels.moved.length, written: toWrite, deleted: toDelete, groupsMoved: labels.moved.length };
  }
  const previous = await switchAlias(client, options.alias, name);
  for (const old of previous) await client.request('DELETE', `/${old}`, undefined, { allow404: true });
  const seconds = round((performance.now() - t0) / 1000);
  log(`opensearch: alias ${options.alias} -> ${name}${previous.length > 0 ? ` (was ${previous.join(', ')}, deleted)` : ''}; ${summary.mode} write: ${summary.written} records written, ${summary.copied} kept, ${summary.deleted} deleted, ${summary.groupsMoved} group ids moved, ${total} in the index, ${seconds} s`);
  return { ...base, ...summary, index: name, previous, seconds, steps };
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

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** The indexes behind the alias, with their build, layout and shape. */
async function currentIndexes(client: OpenSearchClient, alias: string): Promise<CurrentIndex[]> {
  const aliased = (await client.request<Record<string, unknown> | null>('GET', aliasTargetsPath(alias), undefined, { allow404: true })) ?? {};
  const out: CurrentIndex[] = [];
  for (const name of Object.keys(aliased)) {
    const mapping = await client.request<Record<string, { mappings: { _meta?: Partial<IndexMeta> } }>>('GET', `/${name}/_mapping`);
    const settings = await client.request<Record<string, { settings: Record<string, string> }>>('GET', `/${name}/_settings/index.number_of_shards,index.number_of_replicas?flat_settings=true`);
    const s = settings[name]!.settings;
    out.push({ name, meta: mapping[name]!.mappings._meta, shards: Number(s['index.number_of_shards']), replicas: Number(s['index.number_of_replicas']) });
  }
  return out;
}

/** Why the build cannot be written incrementally from the current index (null: it can). */
function fullWriteReason(currents: CurrentIndex[], meta: IndexMeta, options: WriteOptions): string | null {
  if (options.full) return 'asked for (--full)';
  if (currents.length === 0) return `no index behind ${options.alias}`;
  if (currents.length > 1) return `${options.alias} points to ${currents.length} indexes`;
  const c = currents[0]!;
  if (c.meta?.layout !== LAYOUT_VERSION) return `${c.name} has layout ${c.meta?.layout ?? 'unknown'}, this version writes ${LAYOUT_VERSION}`;
  if (c.meta.embedder?.id !== meta.embedder.id || c.meta.embedder?.dim !== meta.embedder.dim) return `${c.name} holds vectors of ${c.meta.embedder?.id ?? 'unknown'}, this build ${meta.embedder.id}`;
  if (c.shards !== options.shards) return `${c.name} has ${c.shards} primary shard(s), ${options.shards} asked`;
  return null;
}

/** The records of document `d`: the document, its paragraphs, its chunks with group ids `groupOf[row]`. */
async function writeDoc(writer: BulkWriter, index: SearchIndex, d: number, fingerprint: string, groupOf: Int32Array): Promise<void> {
  const doc = index.docs[d]!;
  const { dim } = index;
  await writer.add(DOC_ID(doc.meta.id), docRecord(storeDoc(doc), fingerprint));
  for (const p of doc.paragraphs) await writer.add(PARAGRAPH_ID(doc.meta.id, p.anchor), paragraphRecord(doc.meta, p));
  for (let row = index.docStart[d]!; row < index.docStart[d + 1]!; row++) {
    await writer.add(CHUNK_ID(index.chunks[row]!.id), chunkRecord(doc.meta, index.chunks[row]!, groupOf[row]!, index.vectors.subarray(row * dim, (row + 1) * dim)));
  }
}

/**
 * Clone the current index into `name`: writes to the current one are blocked for the moment of the
 * clone (it stays searchable; the block is lifted again whatever happens), the clone gets the
 * asked replicas, no write block, and no refreshes until the end of the write.
 */
async function cloneIndex(client: OpenSearchClient, current: CurrentIndex, name: string, shape: IndexShape): Promise<void> {
  const blocked = await client.request<Record<string, { settings: Record<string, string> }>>('GET', `/${current.name}/_settings/index.blocks.write?flat_settings=true`);
  const wasBlocked = blocked[current.name]?.settings['index.blocks.write'] === 'true';
  if (!wasBlocked) await client.request('PUT', `/${current.name}/_settings`, { index: { 'blocks.write': true } });
  try {
    await client.request('POST', `/${current.name}/_clone/${name}?wait_for_active_shards=1`, { settings: { index: { number_of_replicas: shape.replicas } } }, { timeoutMs: SLOW_MS });
    await client.request('GET', `/_cluster/health/${name}?wait_for_status=yellow&timeout=120s`, undefined, { timeoutMs: SLOW_MS });
  } finally {
    if (!wasBlocked) await client.request('PUT', `/${current.name}/_settings`, { index: { 'blocks.write': null } });
  }
  await client.request('PUT', `/${name}/_settings`, { index: { 'blocks.write': null, refresh_interval: '-1' } });
}

/** Refresh on, refreshed, shards allocated, every record there, `check`; then the caller's last look. */
async function finish(client: OpenSearchClient, name: string, total: number, options: WriteOptions, check?: () => Promise<void>): Promise<void> {
  await client.request('PUT', `/${name}/_settings`, { index: { refresh_interval: '1s' } });
  await client.request('POST', `/${name}/_refresh`, undefined, { timeoutMs: SLOW_MS });
  await client.request('GET', `/_cluster/health/${name}?wait_for_status=yellow&timeout=120s`, undefined, { timeoutMs: SLOW_MS });
  const { count } = await client.request<{ count: number }>('GET', `/${name}/_count`);
  if (count !== total) throw new Error(`Engine: ${name} holds ${count} records after the write, not ${total}`);
  await check?.();
  await options.beforeSwitch?.(name);
}
