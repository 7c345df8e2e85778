/**
 * npm run index -- [--corpus DIR] [--index DIR] [--embedder ID] [--force] [--json]
 * Env: CORPUS_DIR, INDEX_DIR, EMBEDDER. Builds or updates the index, shows progress (counts and
 * ETA of each stage: read, embed, keyword, write) on stderr, also with --json, then prints a
 * summary on stdout (one JSON line with --json). Exits non-zero only for fatal errors (e.g. disk
 * full: the old index is kept). A killed or failed run's work is resumed from the build
 * checkpoint in the index folder (indexer/checkpoint.ts).
 */
import { config } from '../core/config.ts';
import { cliArgs } from '../scripts/cli.ts';
import { buildIndex, type BuildSummary } from './build.ts';

const USAGE = `usage: npm run index -- [--corpus DIR] [--index DIR] [--embedder ID] [--force] [--json]
Builds or updates the index of the corpus folder: new, changed and removed files only.
  --corpus DIR     folder of the reports (default CORPUS_DIR, else ./corpus)
  --index DIR      folder of the index (default INDEX_DIR, else ./data)
  --embedder ID    embedder for a new index (default EMBEDDER, else minilm-l6-v2-int8)
  --force          rebuild everything
  --json           print the summary as one JSON line
  -h, --help       show this help`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      corpus: { type: 'string' },
      index: { type: 'string' },
      embedder: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const json = values.json === true;
  // Progress goes to stderr whatever the output format, so stdout holds only the summary.
  const summary = await buildIndex({
    corpusDir: values.corpus ?? config().corpusDir,
    indexDir: values.index ?? config().indexDir,
    embedderId: values.embedder,
    force: values.force === true,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : describe(summary));
}

function describe(s: BuildSummary): string {
  const lines = [
    s.noop
      ? `Index up to date: ${s.documents} documents, ${s.chunks} chunks (${s.seconds}s).`
      : `Indexed ${s.documents} documents, ${s.pages} pages, ${s.chunks} chunks in ${s.seconds}s ` +
        `(${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged; ` +
        `${s.embedded} chunks embedded with ${s.embedder.id}${s.chunksPerSecond ? ` at ${s.chunksPerSecond}/s` : ''}).`,
  ];
  if (s.skipped.length > 0) {
    lines.push(`Skipped ${s.skipped.length} file(s):`);
    for (const k of s.skipped) lines.push(`  ${k.file}: ${k.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
