/**
 * Reading many records: every hit of a query, a page at a time, from one point in time, and the
 * rule that a search answer counts only when every shard answered. Used by the engine (documents,
 * a group's chunks, mention candidates) and by the incremental write (the current index's
 * documents and chunk groups).
 */
import { AppError } from '../core/errors.ts';
import type { OpenSearchClient } from './client.ts';

export interface Hit<S> {
  _id: string;
  _score: number | null;
  _source: S;
  fields?: Record<string, unknown[]>;
  sort?: unknown[];
}

export interface SearchResult<S> {
  timed_out?: boolean;
  _shards?: { total: number; failed: number };
  hits: { total?: { value: number; relation: string }; hits: Array<Hit<S>> };
  aggregations?: { groups?: { value: number } };
}

/** Records fetched per page when streaming (default). */
const PAGE = 1000;
/** How long a point in time is kept between pages. */
const KEEP_ALIVE = '1m';

/**
 * A search answer only when every shard answered in time: a partial answer (a node lost, shards
 * not yet re-routed) would be wrong data, so it is a 503 and the client may try again.
 */
export function whole<S>(r: SearchResult<S>): SearchResult<S> {
  if (r.timed_out || (r._shards && r._shards.failed > 0)) {
    throw new AppError('engine_unavailable', `Engine: OpenSearch answered from ${r._shards ? r._shards.total - r._shards.failed : '?'} of ${r._shards?.total ?? '?'} shards${r.timed_out ? ' (timed out)' : ''}; try again`);
  }
  return r;
}

/**
 * Every hit of a query, a page at a time, from one point in time (a consistent snapshot whatever
 * is written meanwhile), ordered by record id and kind with search_after: no cap on how many.
 */
export async function* scan<S>(client: OpenSearchClient, index: string, body: Record<string, unknown>, page = PAGE): AsyncIterable<Array<Hit<S>>> {
  const pit = await client.request<{ pit_id: string }>('POST', `/${index}/_search/point_in_time?keep_alive=${KEEP_ALIVE}`);
  try {
    let after: unknown[] | undefined;
    for (;;) {
      const res = whole(await client.request<SearchResult<S>>('POST', '/_search', {
        ...body,
        size: page,
        track_total_hits: false,
        pit: { id: pit.pit_id, keep_alive: KEEP_ALIVE },
        // A paragraph and a chunk may share an id (document#anchor): the kind makes the order total.
        sort: [{ id: 'asc' }, { kind: 'asc' }],
        ...(after ? { search_after: after } : {}),
      }));
      const hits = res.hits.hits;
      if (hits.length > 0) yield hits;
      if (hits.length < page) break;
      after = hits[hits.length - 1]!.sort;
    }
  } finally {
    await client.request('DELETE', '/_search/point_in_time', { pit_id: [pit.pit_id] }, { allow404: true }).catch(() => {});
  }
}
