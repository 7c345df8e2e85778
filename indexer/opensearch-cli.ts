/**
 * npm run index:opensearch -- [--index DIR] [--corpus DIR] [--shards N] [--replicas N] [--full] [--json]
 * Writes the saved index (INDEX_DIR; with --corpus, built or updated first as `npm run index`
 * does) into a new OpenSearch index - a clone of the current one with only the changed documents
 * written, when it can (opensearch/write-index.ts) - and switches the alias (OPENSEARCH_INDEX) to
 * it atomically, deleting the index it replaced. Progress (counts, rate, ETA) on stderr; a summary
 * on stdout.
 */
import { config } from '../core/config.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { writeOpenSearchIndex } from '../opensearch/write-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex } from '../server/load-index.ts';
import { buildIndex } from './build.ts';

const USAGE = `usage: npm run index:opensearch -- [--index DIR] [--corpus DIR] [--shards N] [--replicas N] [--full] [--json]
Writes the saved index into OpenSearch (OPENSEARCH_URL) as a new index, then switches the alias
(OPENSEARCH_INDEX) to it in one atomic request and deletes the index it replaced. Incremental when
the alias already serves an index of the same layout, embedder and shards: that index is cloned and
only documents added, changed or removed since (by content fingerprint) are written or deleted.
The same build as the one served: nothing is written.
  --index DIR      folder of the saved index (default INDEX_DIR, else ./data)
  --corpus DIR     build or update the saved index from this folder of reports first
  --shards N       primary shards of the new index (default 1)
  --replicas N     replicas of each shard (default 0; 1 or more on a cluster of several nodes)
  --full           write every record, even when an incremental write is possible
  --json           print the summary as one JSON line
  -h, --help       show this help`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      index: { type: 'string' },
      corpus: { type: 'string' },
      shards: { type: 'string', default: '1' },
      replicas: { type: 'string', default: '0' },
      full: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const count = (name: string, v: string, min: number): number => {
    if (!/^\d{1,3}$/.test(v) || Number(v) < min) {
      process.stderr.write(`error: --${name} must be a whole number, at least ${min} (got "${v}")\n`);
      process.exit(2);
    }
    return Number(v);
  };
  const shards = count('shards', values.shards!, 1);
  const replicas = count('replicas', values.replicas!, 0);
  const cfg = config();
  const indexDir = values.index ?? cfg.indexDir;
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  if (values.corpus) await buildIndex({ corpusDir: values.corpus, indexDir, log });
  const index = await loadIndex(indexDir);
  const client = new OpenSearchClient(cfg.opensearch);
  const summary = await writeOpenSearchIndex(client, index, { alias: cfg.opensearch.index, shards, replicas, full: values.full, log });
  const s = summary;
  process.stdout.write(values.json
    ? `${JSON.stringify(summary)}\n`
    : s.mode === 'unchanged'
      ? `${s.alias} already points to ${s.index}, of this build (${s.documents} documents); nothing written.\n`
      : `${s.mode === 'full' ? 'Full' : 'Incremental'} write (${s.reason}) of ${s.documents} documents, ${s.paragraphs} paragraphs and ${s.chunks} chunks into ${s.index} in ${s.seconds}s: ` +
        `${s.written} records written, ${s.copied} kept from the previous index, ${s.deleted} deleted, ${s.groupsMoved} chunks rewritten for a new group id ` +
        `(documents: ${s.docs.added} added, ${s.docs.changed} changed, ${s.docs.removed} removed, ${s.docs.unchanged} unchanged); alias ${s.alias} now points to it.\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
