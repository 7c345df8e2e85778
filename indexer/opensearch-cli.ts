/**
 * npm run index:opensearch -- [--index DIR] [--corpus DIR] [--shards N] [--replicas N] [--json]
 * Writes the saved index (INDEX_DIR; with --corpus, built or updated first as `npm run index`
 * does) into a new OpenSearch index and switches the alias (OPENSEARCH_INDEX) to it atomically,
 * deleting the index it replaced. Progress (counts, rate, ETA) on stderr; a summary on stdout.
 */
import { config } from '../core/config.ts';
import { OpenSearchClient } from '../opensearch/client.ts';
import { writeOpenSearchIndex } from '../opensearch/write-index.ts';
import { cliArgs } from '../scripts/cli.ts';
import { loadIndex } from '../server/load-index.ts';
import { buildIndex } from './build.ts';

const USAGE = `usage: npm run index:opensearch -- [--index DIR] [--corpus DIR] [--shards N] [--replicas N] [--json]
Writes the saved index into OpenSearch (OPENSEARCH_URL) as a new index, then switches the alias
(OPENSEARCH_INDEX) to it in one atomic request and deletes the index it replaced.
  --index DIR      folder of the saved index (default INDEX_DIR, else ./data)
  --corpus DIR     build or update the saved index from this folder of reports first
  --shards N       primary shards of the new index (default 1)
  --replicas N     replicas of each shard (default 0; 1 or more on a cluster of several nodes)
  --json           print the summary as one JSON line
  -h, --help       show this help`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      index: { type: 'string' },
      corpus: { type: 'string' },
      shards: { type: 'string', default: '1' },
      replicas: { type: 'string', default: '0' },
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
  const summary = await writeOpenSearchIndex(client, index, { alias: cfg.opensearch.index, shards, replicas, log });
  process.stdout.write(values.json
    ? `${JSON.stringify(summary)}\n`
    : `Wrote ${summary.documents} documents, ${summary.paragraphs} paragraphs and ${summary.chunks} chunks into ${summary.index} in ${summary.seconds}s; alias ${summary.alias} now points to it.\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
