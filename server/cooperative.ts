/**
 * Run stepwise work (a generator that yields between small steps, e.g. core/mentions.ts's
 * mentionsInSteps) on the event loop without holding it: after each slice of `sliceMs` it lets
 * the other requests waiting for the loop go first (setImmediate runs after pending I/O), then
 * goes on. A count over every paragraph of the corpus then delays a keyword search by at most one
 * slice instead of the whole count.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default slice: long enough that the pauses cost little, short next to a keyword search's p95. */
export const SLICE_MS = 8;

export async function cooperatively<T>(steps: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const until = performance.now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() >= until) break;
    }
    await nextTurn();
  }
}
