/**
 * Run stepwise work (a generator that yields between small steps, e.g. core/mentions.ts's
 * mentionsInSteps) on the event loop without holding it: after each slice of `sliceMs` it waits
 * for its turn, and turns are handed out one per pass of the event loop (setImmediate runs after
 * pending I/O), shared by every such run in the process. Requests that arrive meanwhile (a
 * keyword search) are read and answered between any two slices, however many counts are under
 * way: ten concurrent exports delay them by one slice, not by ten.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default slice: long enough that the pauses cost little, short next to a keyword search's p95. */
export const SLICE_MS = 8;

/** Runs waiting for a slice, first come first served. */
const waiting: Array<() => void> = [];
let pumping = false;

/** One waiting run gets the next pass of the event loop. */
async function pump(): Promise<void> {
  pumping = true;
  while (waiting.length > 0) {
    await nextTurn();
    waiting.shift()!();
  }
  pumping = false;
}

function turn(): Promise<void> {
  return new Promise<void>((ok) => {
    waiting.push(ok);
    if (!pumping) void pump();
  });
}

export async function cooperatively<T>(steps: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const until = performance.now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() >= until) break;
    }
    await turn();
  }
}
