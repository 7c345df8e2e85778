/** Build (or confirm) the shared corpus index once before the test files run. */
import { ensureCorpusIndex } from './helpers/corpus-index.ts';

export default async function setup(): Promise<void> {
  const t0 = Date.now();
  await ensureCorpusIndex();
  process.stdout.write(`global setup: corpus index ready in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
}
