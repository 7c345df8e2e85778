/**
 * Deleted records out of the ranking: Lucene counts a deleted record in its statistics (documents
 * per term, documents with a field, lengths) until its segment is merged, so an incremental write
 * (opensearch/write-index.ts) merges every segment holding one, then checks the statistics count
 * live records only, before its index is switched in.
 */
import { SLOW_MS } from './bulk-writer.ts';
import type { OpenSearchClient } from './client.ts';
import { TERM_FIELDS } from './layout.ts';

/**
 * Merge every segment that holds deleted records, so that BM25 statistics (document counts and
 * lengths, term frequencies) count the live records only, as in a full write. What may stay is the
 * deletes' tombstones (OpenSearch's soft deletes: records with no field of ours, kept a while for
 * recovery, here in a segment with no live record): they hold no term, so they count in no
 * statistic (checkStatistics).
 */
export async function expungeDeletes(client: OpenSearchClient, name: string, log: (line: string) => void): Promise<void> {
  await client.request('POST', `/${name}/_refresh`, undefined, { timeoutMs: SLOW_MS });
  const stats = await client.request<{ _all: { primaries: { docs?: { deleted: number } } } }>('GET', `/${name}/_stats/docs`);
  const deleted = stats._all.primaries.docs?.deleted ?? 0;
  if (deleted === 0) return;
  log(`opensearch: merging the segments that hold the ${deleted} deleted records and tombstones`);
  await client.request('PUT', `/${name}/_settings`, { index: { 'merge.policy.expunge_deletes_allowed': 0 } });
  // As a task, polled: a merge may outlast any one request's time limit (minutes at this size on
  // a busy machine), and a node runs one force merge at a time.
  const t0 = performance.now();
  const started = await client.request<{ task?: string }>('POST', `/${name}/_forcemerge?only_expunge_deletes=true&wait_for_completion=false`, undefined, { timeoutMs: SLOW_MS });
  let lastLog = t0;
  while (started.task) {
    await new Promise((ok) => setTimeout(ok, 1000));
    const task = await client.request<{ completed: boolean; error?: { reason?: string } } | null>('GET', `/_tasks/${started.task}`, undefined, { allow404: true });
    if (task === null || task.completed) {
      if (task?.error) throw new Error(`Engine: merging ${name} failed: ${task.error.reason ?? 'unknown error'}`);
      break;
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`opensearch: merging, ${Math.round((lastLog - t0) / 1000)} s`);
    }
  }
  await client.request('PUT', `/${name}/_settings`, { index: { 'merge.policy.expunge_deletes_allowed': null } });
}

/**
 * Check, shard by shard, that the statistics search ranks by count live records only: for each
 * field of ours, the number of records holding a term of it that Lucene's field statistics give
 * (deleted records included) equals the number of live ones (a `.+` regexp: records whose text
 * gave no term count in neither).
 */
export async function checkStatistics(client: OpenSearchClient, name: string): Promise<void> {
  const settings = await client.request<Record<string, { settings: Record<string, string> }>>('GET', `/${name}/_settings/index.number_of_shards?flat_settings=true`);
  const shards = Number(settings[name]!.settings['index.number_of_shards']);
  for (let shard = 0; shard < shards; shard++) {
    const preference = encodeURIComponent(`_shards:${shard}|_primary`);
    for (const field of [TERM_FIELDS.words, TERM_FIELDS.pairs, TERM_FIELDS.sections, 'text', 'paragraph']) {
      const query = { regexp: { [field]: '.+' } };
      const res = await client.request<{ hits: { total: { value: number }; hits: Array<{ _id: string }> } }>('POST', `/${name}/_search?preference=${preference}`, { size: 1, _source: false, track_total_hits: true, query }, { timeoutMs: SLOW_MS });
      const live = res.hits.total.value;
      if (live === 0) continue;
      const tv = await client.request<{ term_vectors?: Record<string, { field_statistics?: { doc_count: number } }> }>('POST', `/${name}/_termvectors/${encodeURIComponent(res.hits.hits[0]!._id)}?preference=${preference}`, { fields: [field], field_statistics: true, term_statistics: false, positions: false, offsets: false, payloads: false });
      const counted = tv.term_vectors?.[field]?.field_statistics?.doc_count;
      if (counted !== live) throw new Error(`Engine: in ${name} shard ${shard}, ${counted ?? 'no'} records count in the statistics of "${field}", ${live} are live: deleted records were not merged away; write in full (--full)`);
    }
  }
}
