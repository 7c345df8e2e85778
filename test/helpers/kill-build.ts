/**
 * Kill the indexer CLI (`node --import tsx indexer/cli.ts`) with SIGKILL at chosen moments of a
 * build and check what it leaves: the previous index must still load and answer the same, and a
 * later run must complete. Shared by test/crash-recovery.test.ts (a few kills) and
 * benchmarks/crash.ts (20 kills, recorded in docs/reliability.md).
 */
import { spawn } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import type { Embedder } from '../../core/embedder.ts';
import { SearchEngine } from '../../core/search.ts';
import { loadIndex } from '../../server/load-index.ts';
import { ROOT } from './corpus-index.ts';

/** A kill after `ms` milliseconds, or as soon as the build starts writing its new index. */
export type KillMoment = { ms: number } | { firstNewPart: true };

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
  killedAtMs: number | null;
}

/** Run the indexer CLI; kill it at the moment given (or let it finish when none is). */
export async function runIndexer(corpus: string, index: string, kill?: KillMoment): Promise<CliRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'indexer/cli.ts', '--corpus', corpus, '--index', index, '--json'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  let killedAtMs: number | null = null;
  let finished = false;
  void exited.then(() => (finished = true));
  if (kill && 'ms' in kill) {
    const timer = setTimeout(() => {
      if (!finished) {
        killedAtMs = performance.now() - t0;
        child.kill('SIGKILL');
      }
    }, kill.ms);
    void exited.then(() => clearTimeout(timer));
  } else if (kill) {
    const before = new Set(await readdir(index).catch(() => [] as string[]));
    void (async () => {
      while (!finished) {
        const names = await readdir(index).catch(() => [] as string[]);
        if (names.some((n) => !before.has(n) && n !== 'manifest.json')) {
          killedAtMs = performance.now() - t0;
          child.kill('SIGKILL');
          return;
        }
        await new Promise((ok) => setTimeout(ok, 1));
      }
    })();
  }
  const { code, signal } = await exited;
  return { code, signal, ms: performance.now() - t0, stderr, killedAtMs };
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
  /** What the index folder held after the kill. */
  outcome: 'previous index intact' | 'new index complete';
  leftovers: number;
}

/**
 * Kill a build at each moment in turn. After each kill the index must load and give exactly
 * the previous answers, or (when the kill came after the build finished) the new ones; in that
 * case the previous index is put back so the next kill has a build to interrupt.
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
    const run = await runIndexer(options.corpus, options.index, moment);
    const now = await answers(options.index, options.embedder);
    const intact = now.docs === options.before.docs && now.answers === options.before.answers;
    const complete = now.docs === options.after.docs && now.answers === options.after.answers;
    options.check(intact || complete, `after a kill at ${JSON.stringify(moment)} (${run.killedAtMs?.toFixed(0)} ms) the index answers neither as before nor as after`);
    const leftovers = (await readdir(options.index)).filter((n) => n.includes('.tmp-') || !n.endsWith('.json') && !n.endsWith('.f32')).length;
    trials.push({ moment: 'ms' in moment ? `${moment.ms} ms` : 'first new part written', killedAtMs: run.killedAtMs, outcome: intact ? 'previous index intact' : 'new index complete', leftovers });
    if (complete && !intact) {
      await rm(options.index, { recursive: true, force: true });
      await cp(options.snapshot, options.index, { recursive: true });
    }
  }
  return trials;
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
