/**
 * npm run bench:crash-scale [-- --kills 20 --seed N --keep 12 --reference data/scale --max-minutes M]
 * SIGKILLs of the indexer CLI (`node --import tsx indexer/cli.ts --json`) at its progress lines
 * while it builds ../shared/scale-corpus (435 real Ofsted PDFs) into an index that holds, before,
 * the first `keep` reports of it (taken from the ready-built scale index `reference`: its
 * documents and vectors, keyword index rebuilt). Each killed run's successor resumes from the
 * build checkpoint (indexer/checkpoint.ts), so the kills walk through the whole build: first in
 * the read stage, then embed, keyword and write (lines of each stage drawn at random, seeded;
 * write only before the manifest's line). After each kill: the previous index loads and answers
 * four fixed queries exactly as before (or, had the kill come after the new manifest, the index is
 * the complete new one, and the folder as it was before that run is put back); the corpus folder's
 * fingerprint (paths, sizes, mtimes, bytes) is unchanged. Then a last run completes; its index is
 * compared with the reference (same answers) and the folder holds only the manifest and its parts.
 * With --max-minutes, no new kill is started after that time (the report says how many ran).
 * Prints Markdown for docs/reliability.md.
 */
import { cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { cliArgs } from '../scripts/cli.ts';
import { decodeIndex, encodeIndex, parseManifest, MANIFEST_FILE, type FileRecord } from '../core/index-file.ts';
import { KEYWORD_FORMAT_VERSION } from '../core/keyword-index.ts';
import type { ProcessedDoc } from '../core/types.ts';
import { loadEmbedder, resolveEmbedderId } from '../embed/registry.ts';
import { buildKeywordIndex, PIPELINE_VERSION } from '../indexer/build.ts';
import { CHECKPOINT_FILE } from '../indexer/checkpoint.ts';
import { writeIndex } from '../indexer/write.ts';
import { answers, leftoversOf, runIndexer, seeded, type KillMoment, type Stage } from '../test/helpers/kill-build.ts';
import { treeHash } from '../test/helpers/tree-hash.ts';
import { machineLine } from './machine.ts';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = resolve(ROOT, 'data', 'bench', 'crash-scale');

interface Row {
  n: number;
  moment: string;
  killedAtMs: number | null;
  runMs: number;
  lastLine: string | null;
  killed: boolean;
  resumedFrom: string;
  outcome: string;
  checkpointMb: number;
  leftovers: number;
  corpusSame: boolean;
}

/** The kill plan: `counts` kills per stage, in stage order, at random lines (seeded). */
function plan(counts: Record<Stage, number>, rnd: () => number): KillMoment[] {
  // Plain progress prints a line per 10 % and one at the end: 11 lines for read, embed and
  // keyword at this size; write prints one after each part (3) and one after the manifest.
  // Embed kills in the first half of each run's embedding (lines 1-6), so later kills still find
  // embedding to interrupt.
  const lines: Record<Stage, number> = { read: 10, embed: 6, keyword: 11, write: 3 };
  const out: KillMoment[] = [];
  for (const stage of ['read', 'embed', 'keyword', 'write'] as const) {
    for (let i = 0; i < counts[stage]; i++) out.push({ stage, line: 1 + Math.floor(rnd() * lines[stage]), orLast: true });
  }
  return out;
}

/**
 * An index of some documents of the reference index (its documents and vectors; the keyword
 * index built for them): those `pick` accepts, the first `keep` of them.
 */
async function partialIndex(reference: string, out: string, pick: (source: string) => boolean, keep = Infinity): Promise<number> {
  const manifest = parseManifest(await readFile(join(reference, MANIFEST_FILE), 'utf8'));
  const data = await decodeIndex(manifest, (f) => readFile(join(reference, f)), { keyword: false });
  const dim = manifest.embedder.dim;
  const docs: ProcessedDoc[] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const d of data.docs) {
    const size = d.chunks.length * dim;
    if (pick(d.meta.source) && docs.length < keep) {
      docs.push(d);
      parts.push(data.vectors.subarray(offset, offset + size));
    }
    offset += size;
  }
  const vectors = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (vectors.set(p, at), at + p.length), 0);
  const files: Record<string, FileRecord> = {};
  for (const d of docs) files[d.meta.source] = manifest.files[d.meta.source]!;
  const builtAt = new Date().toISOString();
  const encoded = encodeIndex({ docs, vectors, keyword: buildKeywordIndex(docs) }, {
    buildId: `partial-${keep}-${Date.now().toString(36)}`, builtAt, pipeline: PIPELINE_VERSION, keywordFormat: KEYWORD_FORMAT_VERSION, embedder: manifest.embedder, files, skipped: [],
  });
  await writeIndex(out, encoded);
  return docs.length;
}

const USAGE = `usage: npm run bench:crash-scale [-- --kills 20 --seed N --keep 12 --corpus DIR --reference DIR --max-minutes M --subset N]
SIGKILLs of the indexer at its progress lines while it builds the scale corpus; after each, the
previous index must load and answer as before and the corpus stay untouched; each next run resumes
from the build checkpoint. Prints Markdown for docs/reliability.md.
  -h, --help   show this help`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    options: {
      kills: { type: 'string', default: '20' },
      seed: { type: 'string' },
      keep: { type: 'string', default: '12' },
      corpus: { type: 'string', default: resolve(ROOT, '..', 'shared', 'scale-corpus') },
      reference: { type: 'string', default: resolve(ROOT, 'data', 'scale') },
      'max-minutes': { type: 'string' },
      /** Check the harness on a small corpus: the first N report folders of the corpus, copied. */
      subset: { type: 'string' },
    },
  });
  const kills = Number(values.kills);
  const seed = Number(values.seed ?? Date.now() % 100_000);
  let corpus = resolve(values.corpus);
  let reference = resolve(values.reference);
  const deadline = values['max-minutes'] ? Date.now() + Number(values['max-minutes']) * 60_000 : Infinity;
  // Most kills where the work is: 15 % read, 50 % embed, 20 % keyword, 15 % write.
  const counts = { read: Math.round(kills * 0.15), embed: Math.round(kills * 0.5), keyword: Math.round(kills * 0.2), write: 0 };
  counts.write = kills - counts.read - counts.embed - counts.keyword;
  const moments = plan(counts, seeded(seed));
  const load0 = loadavg()[0]!;
  const t0 = Date.now();

  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  if (values.subset) {
    const folders = (await readdir(corpus)).sort().slice(0, Number(values.subset));
    const copy = join(WORK, 'subset-corpus');
    for (const f of folders) await cp(join(corpus, f), join(copy, f), { recursive: true });
    const sub = join(WORK, 'subset-reference');
    await partialIndex(reference, sub, (source) => folders.includes(source.split('/')[0]!));
    corpus = copy;
    reference = sub;
  }
  const index = join(WORK, 'index');
  await partialIndex(reference, index, () => true, Number(values.keep));
  const embedder = await loadEmbedder(resolveEmbedderId());
  const before = await answers(index, embedder);
  const complete = await answers(reference, embedder);
  const corpusPrint = (await treeHash(corpus)).hash;
  process.stderr.write(`crash-scale: previous index of ${before.docs} reports; ${moments.length} kills planned (seed ${seed}): ${moments.map((m) => `${m.stage} ${m.line}`).join(', ')}\n`);

  const rows: Row[] = [];
  const failures: string[] = [];
  for (const [i, moment] of moments.entries()) {
    if (Date.now() > deadline) break;
    // A kill in the write stage may come after the new manifest: keep the folder to put back.
    const saved = join(WORK, 'before-run');
    if (moment.stage === 'write') {
      await rm(saved, { recursive: true, force: true });
      await cp(index, saved, { recursive: true });
    }
    const run = await runIndexer(corpus, index, moment);
    const now = await answers(index, embedder);
    const intact = now.docs === before.docs && now.answers === before.answers;
    const done = now.docs === complete.docs && now.answers === complete.answers;
    const corpusSame = (await treeHash(corpus)).hash === corpusPrint;
    if (!intact && !done) failures.push(`kill ${i + 1} (${moment.stage} line ${moment.line}): the index answers neither as before nor as the complete build`);
    if (!corpusSame) failures.push(`kill ${i + 1}: the corpus folder changed`);
    const { leftovers, checkpointBytes } = await leftoversOf(index);
    const resumed = /resuming an interrupted build: (\d+) documents already read, (\d+) chunks already embedded/.exec(run.stderr);
    rows.push({
      n: i + 1, moment: `${moment.stage} line ${moment.line}`, killedAtMs: run.killedAtMs, runMs: run.ms, lastLine: run.lastLine,
      killed: run.signal === 'SIGKILL', resumedFrom: resumed ? `${resumed[1]} docs, ${resumed[2]} chunks` : 'nothing',
      outcome: intact ? 'previous index intact' : done ? 'new index complete' : 'NEITHER', checkpointMb: checkpointBytes / 2 ** 20, leftovers: leftovers.length, corpusSame,
    });
    const r = rows[rows.length - 1]!;
    process.stderr.write(`crash-scale: ${r.n}. ${r.moment}: ${r.killed ? 'killed' : `exit ${run.code}`} at ${((r.killedAtMs ?? r.runMs) / 1000).toFixed(1)} s (resumed from ${r.resumedFrom}); ${r.outcome}; checkpoint ${r.checkpointMb.toFixed(1)} MB; corpus unchanged ${corpusSame}\n`);
    if (!r.killed && run.code !== 0) failures.push(`run ${i + 1} exited ${run.code}: ${run.stderr.slice(-500)}`);
    if (done && !intact && moment.stage === 'write') {
      await rm(index, { recursive: true, force: true });
      await cp(saved, index, { recursive: true });
    }
  }
  const last = await runIndexer(corpus, index);
  const final = await answers(index, embedder);
  const lastResumed = /resuming an interrupted build: (\d+) documents already read, (\d+) chunks already embedded/.exec(last.stderr);
  const summary = last.code === 0 ? (JSON.parse(last.stdout) as { documents: number; chunks: number; embedded: number; seconds: number }) : null;
  const names = (await readdir(index)).sort();
  const manifest = parseManifest(await readFile(join(index, MANIFEST_FILE), 'utf8'));
  const clean = JSON.stringify(names) === JSON.stringify([MANIFEST_FILE, ...Object.values(manifest.parts).map((p) => p.file)].sort());
  const corpusSame = (await treeHash(corpus)).hash === corpusPrint;
  const sameAsReference = final.docs === complete.docs && final.answers === complete.answers;
  await embedder.dispose();

  const s = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const md = [
    `Scale crash test, ${machineLine()}, seed ${seed}; load average ${load0.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end; ${((Date.now() - t0) / 60_000).toFixed(1)} min in all.`,
    `Corpus \`${corpus.replace(`${resolve(ROOT, '..')}/`, '../')}\` (${complete.docs} reports${values.subset ? `, HARNESS CHECK: the first ${values.subset} folders of ${values.corpus}` : ''}); the index held the first ${before.docs} of them before; ${rows.length} of ${moments.length} planned SIGKILLs of \`node --import tsx indexer/cli.ts --json\` at its progress lines, each run resuming from the checkpoint the killed one left.`,
    '',
    '| # | killed at | after | resumed from checkpoint | last progress line | index after the kill | checkpoint | other files | corpus unchanged |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.n} | ${r.moment} | ${r.killed ? s(r.killedAtMs) : `finished (${s(r.runMs)})`} | ${r.resumedFrom} | \`${(r.lastLine ?? '').replace(/\s+/g, ' ')}\` | ${r.outcome} | ${r.checkpointMb.toFixed(1)} MB | ${r.leftovers} | ${r.corpusSame ? 'yes' : 'NO'} |`),
    '',
    `- kills after which the previous index did not load or answered differently: ${failures.length}${failures.length ? ` (${failures.join('; ')})` : ''}`,
    `- last run: exit code ${last.code} in ${s(last.ms)}, resumed from ${lastResumed ? `${lastResumed[1]} documents, ${lastResumed[2]} chunks` : 'nothing'}${summary ? `, embedded ${summary.embedded} more; ${summary.documents} documents, ${summary.chunks} chunks` : `: ${last.stderr.slice(-300)}`}`,
    `- final index answers exactly as the reference build (${reference.replace(`${ROOT}/`, '')}): ${sameAsReference ? 'yes' : 'NO'}; folder holds only the manifest and its parts: ${clean ? 'yes' : `NO (${names.join(', ')})`}; checkpoint removed: ${names.includes(CHECKPOINT_FILE) ? 'NO' : 'yes'}`,
    `- corpus folder unchanged after every kill and at the end (paths, sizes, mtimes, bytes): ${corpusSame && rows.every((r) => r.corpusSame) ? 'yes' : 'NO'}`,
    rows.length < moments.length ? `- NOT RUN: ${moments.length - rows.length} planned kills (the --max-minutes limit came first)` : null,
  ].filter((l) => l !== null);
  process.stdout.write(`${md.join('\n')}\n`);
  if (failures.length > 0 || last.code !== 0 || !clean || !corpusSame || !sameAsReference) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
