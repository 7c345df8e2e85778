/**
 * What an incremental write must do (opensearch/write-index.ts): the build compared with the
 * index the alias serves. Documents by fingerprint (docFingerprint, opensearch/layout.ts): added,
 * changed, removed, unchanged; the records to delete and keep; and the group id of every chunk
 * (opensearch/group-labels.ts) from the current index's chunk records (doc values, point in time).
 */
import type { SearchIndex } from '../core/search-index.ts';
import type { OpenSearchClient } from './client.ts';
import { groupLabels } from './group-labels.ts';
import { scan } from './scan.ts';
import type { IndexMeta } from './layout.ts';

/** The index behind the alias: its name, build, layout and shape. */
export interface CurrentIndex {
  name: string;
  meta: Partial<IndexMeta> | undefined;
  shards: number;
  replicas: number;
}

/** What the current index holds of one document. */
interface CurrentDoc {
  fingerprint: string | undefined;
  records: number;
}

export interface IncrementalPlan {
  /** Each document of the build or of the current index, by id: what changed. */
  docs: Map<string, 'added' | 'changed' | 'removed' | 'unchanged'>;
  /** Ids of the documents whose records are deleted from the clone (removed and changed). */
  stale: string[];
  /** Records of the current index that stay (unchanged documents'). */
  kept: number;
  expectDeleted: number;
  labels: ReturnType<typeof groupLabels>;
}

/** Compare the build with the current index: documents by fingerprint, then chunk group ids. A string: why a full write instead. */
export async function incrementalPlan(client: OpenSearchClient, current: CurrentIndex, index: SearchIndex, fingerprints: string[]): Promise<IncrementalPlan | string> {
  const old = new Map<string, CurrentDoc>();
  for await (const hits of scan<{ id: string; fingerprint?: string; chunks: number; paragraphs: number }>(client, current.name, { query: { term: { kind: 'doc' } }, _source: ['id', 'fingerprint', 'chunks', 'paragraphs'] }, 5000)) {
    for (const h of hits) old.set(h._source.id, { fingerprint: h._source.fingerprint, records: 1 + h._source.chunks + h._source.paragraphs });
  }
  if ([...old.values()].some((d) => d.fingerprint === undefined)) return `${current.name} was written without document fingerprints`;
  const docs: IncrementalPlan['docs'] = new Map();
  index.docs.forEach((d, i) => {
    const was = old.get(d.meta.id);
    docs.set(d.meta.id, !was ? 'added' : was.fingerprint === fingerprints[i] ? 'unchanged' : 'changed');
  });
  for (const id of old.keys()) if (!docs.has(id)) docs.set(id, 'removed');
  const stale = [...docs].filter(([, v]) => v === 'removed' || v === 'changed').map(([id]) => id);
  const expectDeleted = stale.reduce((n, id) => n + old.get(id)!.records, 0);
  let kept = 0;
  for (const [id, v] of docs) if (v === 'unchanged') kept += old.get(id)!.records;

  // The group id of every chunk kept from the current index.
  const currentGroup = new Int32Array(index.chunks.length).fill(-1);
  let maxCurrent = -1;
  let labelled = 0;
  const body = { query: { bool: { filter: [{ term: { kind: 'chunk' } }], must_not: stale.length > 0 ? [{ terms: { docId: stale } }] : [] } }, _source: false, docvalue_fields: ['id', 'group'] };
  for await (const hits of scan<unknown>(client, current.name, body, 5000)) {
    for (const h of hits) {
      const row = index.chunkById.get(h.fields!.id![0] as string);
      const group = h.fields!.group![0] as number;
      maxCurrent = Math.max(maxCurrent, group);
      if (row === undefined || docs.get(index.chunks[row]!.docId) !== 'unchanged') continue;
      currentGroup[row] = group;
      labelled++;
    }
  }
  const keptChunks = index.docs.reduce((n, d) => n + (docs.get(d.meta.id) === 'unchanged' ? d.chunks.length : 0), 0);
  if (labelled !== keptChunks) return `${current.name} holds ${labelled} chunk records of the unchanged documents, not ${keptChunks}`;
  return { docs, stale, kept, expectDeleted, labels: groupLabels(index.keyword.groups, currentGroup, maxCurrent) };
}
