/**
 * Two priorities on the one main thread. Keyword searches (a few milliseconds each) run as soon
 * as their request is read. Everything long is background work: every-mention counts (a generator
 * that yields between small steps, core/mentions.ts findMentionsInSteps, MentionsRequest.steps), the rows of CSV exports, the
 * main-thread stages of meaning searches (core/search-request.ts SearchRequest.pause). Background work
 * runs only in turns, shared by all background work in the process, each turn a piece of at most
 * about a slice, first come first served within two ranks: the stages of meaning searches (a
 * person waits for that page; at most SEMANTIC_CONCURRENCY of them are under way, so they cannot
 * hold the turns for long) before the slices of counts and exports. Turns are given out one per pass of the event loop
 * (setImmediate: after the loop has read pending I/O and answered the keyword searches read).
 * Background work never starts inside the request handler that accepted
 * it, so requests read in the same pass (a keyword search) go first; and a keyword search that
 * arrives while background work runs waits for at most a slice, however many counts, exports or
 * meaning searches are queued: ten concurrent exports delay it by one slice, not ten.
 *
 * So that a flood of keyword searches cannot stop background work altogether, keyword searches
 * report the time they took (foregroundDone); when that is more than a slice since the previous
 * pass, the pass gives further turns until it has run background work for BACKGROUND_SHARE of it:
 * while both kinds are waiting, background work gets at least a third of the main thread.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Default slice: short next to a keyword search (idle p95 ~4 ms at the scale corpus), so one
 * slice ahead of it stays within its own time; long enough that the pauses cost little.
 */
export const SLICE_MS = 4;

/** Background time a pass may use, as a fraction of the foreground work (keyword searches) done since the previous pass. */
export const BACKGROUND_SHARE = 0.5;

/** Ranks of background work: `search` (stages of meaning searches) goes before `bulk` (counts, exports). */
export type BackgroundRank = 'search' | 'bulk';

/** Background work waiting for a turn, first come first served within its rank. */
const waiting: Record<BackgroundRank, Array<() => void>> = { search: [], bulk: [] };
const anyWaiting = (): boolean => waiting.search.length > 0 || waiting.bulk.length > 0;
let pumping = false;
/** Milliseconds of foreground work (keyword searches) since the previous pass. */
let foreground = 0;

/** A keyword search (foreground work) took `ms` on this thread. */
export function foregroundDone(ms: number): void {
  foreground += ms;
}

/** Passes of the event loop, each giving turns for a slice (or its share) of background time. */
async function pump(): Promise<void> {
  pumping = true;
  foreground = 0;
  while (anyWaiting()) {
    await nextTurn();
    const start = performance.now();
    const budget = foreground > SLICE_MS ? foreground * BACKGROUND_SHARE : 0;
    foreground = 0;
    do {
      (waiting.search.shift() ?? waiting.bulk.shift())!();
      // The piece just given its turn runs (to its next pause) before this continues.
      await null;
    } while (anyWaiting() && performance.now() - start < budget);
  }
  pumping = false;
}

/**
 * Wait for a background turn: resolves in a later pass of the event loop, after the I/O pending
 * then (requests read, keyword searches answered) and after the work of its rank queued before
 * it (and any work of the `search` rank, for `bulk`). What the
 * caller then does synchronously is that turn's work; it should be at most a slice long.
 */
export function backgroundTurn(rank: BackgroundRank = 'bulk'): Promise<void> {
  return new Promise<void>((ok) => {
    waiting[rank].push(ok);
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
