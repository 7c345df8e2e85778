/**
 * Two priorities on the one main thread. Keyword searches (a few milliseconds each) run as soon
 * as their request is read. Everything long is background work: every-mention counts (a generator
 * that yields between small steps, core/mentions.ts mentionsInSteps), the rows of CSV exports, the
 * main-thread stages of meaning searches. Background work runs only in turns, and turns are handed
 * out one per pass of the event loop (setImmediate: after the loop has read pending I/O), shared
 * by all background work in the process, first come first served, each turn at most `sliceMs` of
 * work. Background work never starts inside the request handler that accepted it: it waits for
 * its turn, so requests read in the same pass (a keyword search) go first. A keyword search that
 * arrives while background work is under way waits for at most one slice, however many counts,
 * exports or meaning searches are queued: ten concurrent exports delay it by one slice, not ten.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Default slice: short next to a keyword search (idle p95 ~4 ms at the scale corpus), so one
 * slice ahead of it stays within its own time; long enough that the pauses cost little.
 */
export const SLICE_MS = 4;

/** Background work waiting for a turn, first come first served. */
const waiting: Array<() => void> = [];
let pumping = false;

/** One waiting piece of work gets the next pass of the event loop. */
async function pump(): Promise<void> {
  pumping = true;
  while (waiting.length > 0) {
    await nextTurn();
    waiting.shift()!();
  }
  pumping = false;
}

/**
 * Wait for a background turn: resolves in a later pass of the event loop, after the I/O pending
 * then (requests read, keyword searches answered) and after the work queued before it. What the
 * caller then does synchronously is that turn's work; it should be at most a slice long.
 */
export function backgroundTurn(): Promise<void> {
  return new Promise<void>((ok) => {
    waiting.push(ok);
    if (!pumping) void pump();
  });
}

/** Run `work` (synchronous, at most about a slice long) in a background turn. */
export async function inTurn<T>(work: () => T): Promise<T> {
  await backgroundTurn();
  return work();
}

/** Run stepwise work as background work: a turn, then steps for up to `sliceMs`, another turn, and so on. */
export async function cooperatively<T>(steps: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    await backgroundTurn();
    const until = performance.now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() >= until) break;
    }
  }
}
