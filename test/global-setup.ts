/**
 * Before the test files run: copy the shipped reports into test/.tmp/corpus (never the user's
 * corpus/) and build (or confirm) their shared index.
 */
import { ensureCorpusIndex } from './helpers/corpus-index.ts';

export default async function setup(): Promise<void> {
  const t0 = Date.now();
  await ensureCorpusIndex();
  process.stdout.write(`global setup: corpus index ready in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
}
