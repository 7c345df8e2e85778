/**
 * Kill the indexer CLI (`node --import tsx indexer/cli.ts`) with SIGKILL at chosen moments of a
 * build and check what it leaves: the previous index must still load and answer the same, and a
 * later run must complete. A moment is a progress line the CLI prints on stderr (read, embed,
 * keyword, write: one line per 10 % of a stage and one when it ends), so a kill lands in the stage
 * named rather than at a time that may fall before the build has started. Shared by
 * test/crash-recovery.test.ts, test/index-build.test.ts and benchmarks/crash.ts (recorded in
 * docs/reliability.md).
 */
import { spawn } from 'node:child_process';
import { cp, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '../../core/embedder.ts';
import { MANIFEST_FILE } from '../../core/index-file.ts';
import { SearchEngine } from '../../core/search.ts';
import { CHECKPOINT_FILE } from '../../indexer/checkpoint.ts';
import { loadIndex } from '../../server/load-index.ts';
import { ROOT } from './corpus-index.ts';

export const STAGES = ['read', 'embed', 'keyword', 'write'] as const;
export type Stage = (typeof STAGES)[number];

/** Kill as soon as the CLI prints its `line`-th progress line (1-based) of `stage`. */
export interface KillMoment {
  stage: Stage;
  line: number;
  /**
   * When the stage prints fewer lines (a resumed build with little left to do), kill at its last
   * line instead; when it prints none (nothing left to do in it), at the first line of a later stage.
   */
  orLast?: boolean;
}

const PROGRESS = /^(read|embed|keyword|write) +\[/;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
  /** The summary (one JSON line) when the run completed. */
  stdout: string;
  /** When the kill was sent (null: the moment never came, the build finished). */
  killedAtMs: number | null;
  /** Progress lines per stage over the whole run (for planning kills). */
  lines: Record<Stage, number>;
  /** The last progress line printed before the kill. */
  lastLine: string | null;
}

/** Run the indexer CLI (--json: summary on stdout, progress on stderr); kill it at the moment given. */
export async function runIndexer(corpus: string, index: string, kill?: KillMoment): Promise<CliRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/cli.ts', '--corpus', corpus, '--index', index, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let partial = '';
  let killedAtMs: number | null = null;
  let lastLine: string | null = null;
  const lines: Record<Stage, number> = { read: 0, embed: 0, keyword: 0, write: 0 };
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    const all = (partial + text).split('\n');
    partial = all.pop() ?? '';
    for (const line of all) {
      const m = PROGRESS.exec(line);
      if (!m || killedAtMs !== null) continue;
      const stage = m[1] as Stage;
      lines[stage]++;
      lastLine = line.trim();
      // The closing line of a stage gives its time, the others an ETA.
      const last = !/ ETA /.test(line);
      const at = kill && ((stage === kill.stage && (lines[stage] === kill.line || (kill.orLast && last))) || (kill.orLast && STAGES.indexOf(stage) > STAGES.indexOf(kill.stage)));
      if (at) {
        child.kill('SIGKILL');
        killedAtMs = performance.now() - t0;
      }
    }
  });
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (c, s) => ok({ code: c, signal: s })));
  return { code, signal, ms: performance.now() - t0, stderr, stdout, killedAtMs, lines, lastLine };
}

export interface Reference {
  docs: number;
  answers: string;
}

const QUERIES: Array<{ q: string; mode: 'keyword' | 'semantic' | 'hybrid' }> = [
  { q: 'school attendance', mode: 'keyword' },
  { q: '"looked after children"', mode: 'keyword' },
  { q: 'young people leaving care find housing', mode: 'semantic' },
  { q: 'youth offending', mode: 'hybrid' },
];

/** What an index answers to a fixed set of queries (ids, scores, totals), as one string. */
export async function answers(indexDir: string, embedder: Embedder): Promise<Reference> {
  const index = await loadIndex(indexDir);
  const engine = new SearchEngine(index, embedder);
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const r = await engine.search({ ...q, limit: 10 });
    out.push([q.q, r.total, r.results.map((x) => [x.id, Math.round(x.score * 1e6)])]);
  }
  return { docs: index.docs.length, answers: JSON.stringify(out) };
}

export interface Trial {
  moment: string;
  killedAtMs: number | null;
  /** The last progress line the CLI printed before the kill. */
  lastLine: string | null;
  /** Whether the process died of the kill (false: it had finished first). */
  killed: boolean;
  /** What the index folder held after the kill. */
  outcome: 'previous index intact' | 'new index complete';
  /** Files in the index folder other than the manifest, the parts it names and the build checkpoint. */
  leftovers: number;
  /** Size of the build checkpoint after the kill (0: none). */
  checkpointBytes: number;
}

/** Files of an index folder that the manifest does not name (the build checkpoint aside), and the checkpoint's size. */
export async function leftoversOf(index: string): Promise<{ leftovers: string[]; checkpointBytes: number }> {
  const manifest = JSON.parse(await readFile(join(index, MANIFEST_FILE), 'utf8')) as { parts: Record<string, { file: string }> };
  const named = new Set([MANIFEST_FILE, CHECKPOINT_FILE, ...Object.values(manifest.parts).map((p) => p.file)]);
  const names = await readdir(index);
  const checkpointBytes = names.includes(CHECKPOINT_FILE) ? (await readFile(join(index, CHECKPOINT_FILE))).length : 0;
  return { leftovers: names.filter((n) => !named.has(n)), checkpointBytes };
}

/**
 * Kill a build at each moment in turn. After each kill the index must load and give exactly
 * the previous answers, or (when the kill came after the build had written its new manifest)
 * the new ones; in that case the previous index is put back so the next kill has a build to
 * interrupt.
 */
export async function killTrials(options: {
  corpus: string;
  index: string;
  /** A copy of the previous index, to put back after a build that finished. */
  snapshot: string;
  before: Reference;
  after: Reference;
  embedder: Embedder;
  moments: KillMoment[];
  check: (ok: boolean, message: string) => void;
}): Promise<Trial[]> {
  const trials: Trial[] = [];
  for (const moment of options.moments) {
    // Each trial kills a build from the start: a checkpoint left by the trial before would let
    // this build skip the stage it is to be killed in (resuming is tested in checkpoint.test.ts).
    await rm(join(options.index, CHECKPOINT_FILE), { force: true });
    const run = await runIndexer(options.corpus, options.index, moment);
    const now = await answers(options.index, options.embedder);
    const intact = now.docs === options.before.docs && now.answers === options.before.answers;
    const complete = now.docs === options.after.docs && now.answers === options.after.answers;
    options.check(intact || complete, `after a kill at ${moment.stage} line ${moment.line} (${run.killedAtMs?.toFixed(0)} ms, last line "${run.lastLine}") the index answers neither as before nor as after`);
    const { leftovers, checkpointBytes } = await leftoversOf(options.index);
    trials.push({
      moment: `${moment.stage} line ${moment.line}`,
      killedAtMs: run.killedAtMs,
      lastLine: run.lastLine,
      killed: run.signal === 'SIGKILL',
      outcome: intact ? 'previous index intact' : 'new index complete',
      leftovers: leftovers.length,
      checkpointBytes,
    });
    if (complete && !intact) {
      await rm(options.index, { recursive: true, force: true });
      await cp(options.snapshot, options.index, { recursive: true });
    }
  }
  return trials;
}

/**
 * `count` kill moments over the progress lines an uninterrupted run printed (`lines`): the first
 * line of each stage first, then lines drawn at random from every stage.
 */
export function planKills(lines: Record<Stage, number>, count: number, rnd: () => number): KillMoment[] {
  const all: KillMoment[] = STAGES.flatMap((stage) => Array.from({ length: lines[stage] }, (_, i) => ({ stage, line: i + 1 })));
  if (all.length === 0) throw new Error('planKills: the uninterrupted run printed no progress lines');
  const firsts = STAGES.filter((stage) => lines[stage] > 0).map((stage) => ({ stage, line: 1 }));
  const out = firsts.slice(0, count);
  while (out.length < count) out.push(all[Math.floor(rnd() * all.length)]!);
  return out;
}

/** A small seeded generator, so a run's kill moments can be repeated. */
export function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
