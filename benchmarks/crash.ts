/**
 * npm run bench:crash [-- --kills 20 --seed N]: kill the indexer CLI with SIGKILL at its progress
 * lines (stderr: read, embed, keyword, write; the first line of each stage, then lines drawn at
 * random) while it adds two reports to a small real index, and check each time that the index
 * still loads and answers exactly as before (or, when the kill came after the new manifest, as the
 * uninterrupted build); then that the next run completes and leaves only the new index. Prints a
 * Markdown table for docs/reliability.md. The same check runs in `npm test` with 6 kills
 * (test/crash-recovery.test.ts).
 */
import { copyFile, cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadEmbedder, resolveEmbedderId } from '../embed/registry.ts';
import { buildIndex } from '../indexer/build.ts';
import { STAGES, answers, killTrials, planKills, runIndexer, seeded } from '../test/helpers/kill-build.ts';
import { treeHash } from '../test/helpers/tree-hash.ts';
import { cliArgs } from '../scripts/cli.ts';
import { machineLine } from './machine.ts';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = resolve(ROOT, 'data', 'bench', 'crash');

async function main(): Promise<void> {
  const usage = `usage: npm run bench:crash [-- --kills 20 --seed N]
Kills the indexer at random moments of a build and checks that the previous index still answers;
prints a Markdown table for docs/reliability.md.
  --kills N    builds to kill (default 20)
  --seed N     random seed (default: from the clock)
  -h, --help   show this help`;
  const { values } = cliArgs(usage, { options: { kills: { type: 'string', default: '20' }, seed: { type: 'string' } } });
  const kills = Number(values.kills);
  const seed = Number(values.seed ?? Date.now() % 100_000);
  await rm(WORK, { recursive: true, force: true });
  const corpus = join(WORK, 'corpus');
  const index = join(WORK, 'index');
  await mkdir(corpus, { recursive: true });
  // A previous index of two reports; the killed builds add two more (one a 40-page PDF).
  await copyFile(resolve(ROOT, 'corpus', 'seeds', '000_1086bae144af7f91.txt'), join(corpus, 'a.txt'));
  await copyFile(resolve(ROOT, 'corpus', 'seeds', '004_23e61ca61d325768.txt'), join(corpus, 'b.txt'));
  const embedder = await loadEmbedder(resolveEmbedderId());
  await buildIndex({ corpusDir: corpus, indexDir: index, embedder, progress: { silent: true } });
  const before = await answers(index, embedder);
  const snapshot = join(WORK, 'snapshot');
  await cp(index, snapshot, { recursive: true });
  await copyFile(resolve(ROOT, 'corpus', 'ofsted-ilacs', '80500_havering', "children's services inspection - 16 february 2024.pdf"), join(corpus, 'c.pdf'));
  await copyFile(resolve(ROOT, 'corpus', 'seeds', '003_15de77b5f4537637.txt'), join(corpus, 'd.txt'));
  const corpusPrint = (await treeHash(corpus)).hash;

  const scratch = join(WORK, 'scratch');
  await cp(snapshot, scratch, { recursive: true });
  const full = await runIndexer(corpus, scratch);
  if (full.code !== 0) throw new Error(`the uninterrupted build failed: ${full.stderr}`);
  const after = await answers(scratch, embedder);

  const moments = planKills(full.lines, kills, seeded(seed));
  const failures: string[] = [];
  const trials = await killTrials({ corpus, index, snapshot, before, after, embedder, moments, check: (ok, msg) => void (ok || failures.push(msg)) });
  const done = await runIndexer(corpus, index);
  const final = await answers(index, embedder);
  const leftovers = (await readdir(index)).filter((n) => n.includes('.tmp-')).length;
  const corpusSame = (await treeHash(corpus)).hash === corpusPrint;
  await embedder.dispose();

  const lines = [
    `Crash test, ${machineLine()}, seed ${seed}: ${kills} SIGKILLs of \`node --import tsx indexer/cli.ts --json\` at its progress lines while it adds a 40-page PDF and an 84 KB report to an index of two reports (an uninterrupted run takes ${(full.ms / 1000).toFixed(1)} s, process start and model load included, and prints ${STAGES.map((s) => `${full.lines[s]} ${s}`).join(', ')} progress lines).`,
    '',
    '| # | killed at the progress line | at | last line printed | process | index after the kill | temp files left |',
    '|---|---|---|---|---|---|---|',
    ...trials.map((t, i) => `| ${i + 1} | ${t.moment} | ${t.killedAtMs === null ? 'never printed' : `${t.killedAtMs.toFixed(0)} ms`} | \`${(t.lastLine ?? '').replace(/\s+/g, ' ')}\` | ${t.killed ? 'killed' : 'had finished'} | ${t.outcome}, answers identical | ${t.leftovers} |`),
    '',
    `- by stage: ${STAGES.map((s) => { const ts = trials.filter((t) => t.moment.startsWith(`${s} `)); return `${s} ${ts.length} kills, ${ts.filter((t) => t.outcome === 'previous index intact').length} with the previous index intact`; }).join('; ')}`,
    `- kills after which the index did not load or answered differently: ${failures.length}${failures.length ? ` (${failures.join('; ')})` : ''}`,
    `- next run: exit code ${done.code} in ${(done.ms / 1000).toFixed(1)} s; answers equal to the uninterrupted build: ${final.answers === after.answers && final.docs === after.docs ? 'yes' : 'NO'}; temp files left: ${leftovers}`,
    `- corpus folder unchanged (paths, sizes, times, bytes): ${corpusSame ? 'yes' : 'NO'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (failures.length > 0 || done.code !== 0 || final.answers !== after.answers || leftovers > 0 || !corpusSame) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
