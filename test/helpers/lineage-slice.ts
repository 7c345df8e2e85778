/**
 * Real reports across boundary changes, from ../shared/scale-corpus: Buckinghamshire's three
 * (county council until April 2020, unitary council after) and North and West Northamptonshire's
 * (which replaced Northamptonshire in April 2021), copied to test/.tmp/lineage-slice and indexed
 * into test/.tmp/lineage-slice-index (reused while unchanged).
 */
import { join, resolve } from 'node:path';
import { buildIndex } from '../../indexer/build.ts';
import { ROOT, SHARED_DIR } from './corpus-index.ts';
import { requireFile, type Requirement } from './requirement.ts';
import { copySlice } from './slice.ts';

const SCALE = join(SHARED_DIR, 'scale-corpus');
const FILES = [
  "80442_buckinghamshire/children's services inspection - 08 august 2014.pdf",
  "80442_buckinghamshire/children's services inspection - 29 january 2018.pdf",
  "80442_buckinghamshire/children's services inspection - 11 february 2022.pdf",
  "2637539_north northamptonshire/children's services inspection - 25 november 2022.pdf",
  "2637548_west northamptonshire/children's services inspection - 25 november 2022.pdf",
];

export const LINEAGE_CORPUS_DIR = resolve(ROOT, 'test', '.tmp', 'lineage-slice');
export const LINEAGE_INDEX_DIR = resolve(ROOT, 'test', '.tmp', 'lineage-slice-index');

export function lineageRequirement(): Requirement {
  return requireFile(join(SCALE, FILES[0]!), 'the scale corpus (../shared/scale-corpus)');
}

export async function ensureLineageSlice(): Promise<{ corpusDir: string; indexDir: string }> {
  await copySlice(LINEAGE_CORPUS_DIR, [{ from: SCALE, files: FILES }]);
  await buildIndex({ corpusDir: LINEAGE_CORPUS_DIR, indexDir: LINEAGE_INDEX_DIR, progress: { silent: true } });
  return { corpusDir: LINEAGE_CORPUS_DIR, indexDir: LINEAGE_INDEX_DIR };
}
