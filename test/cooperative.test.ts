/**
 * Every-mention counts run in steps (core/mentions.ts findMentionsInSteps) that the server drives a
 * slice at a time as background work (server/cooperative.ts), letting other requests use the
 * event loop between slices: the answer is the same as in one go, the loop does turn while it
 * runs, and a keyword search is answered before background work accepted with or before it.
 */
import type { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine } from '../core/search.ts';
import { createApp } from '../server/app.ts';
import { backgroundTurn, cooperatively, foregroundDone, inTurn } from '../server/cooperative.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR } from './helpers/corpus-index.ts';
import { useApiApp } from './helpers/api-app.ts';

const { index } = useApiApp();

/** Every mention of `q`, counted by the product over the index in memory, its steps run by `steps` (straight through when absent). */
function count(q: string, steps?: <T>(s: Generator<void, T>) => Promise<T>, limit = 100) {
  return new SearchEngine(index(), null).mentions({ q, limit, ...(steps ? { steps } : {}) });
}

/** Counts event-loop turns (setImmediate callbacks) until stopped. */
function loopTurns(): { stop(): number } {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      return turns;
    },
  };
}

describe('every mention, a slice at a time', () => {
  it('gives the same answer as counting in one go', async () => {
    for (const q of ['children', '"private fostering"', 'care leavers -housing']) {
      const whole = await count(q, undefined, 1000);
      const stepped = await count(q, (s) => cooperatively(s, 0), 1000);
      expect(stepped.total, q).toBe(whole.total);
      expect(stepped.occurrences, q).toBe(whole.occurrences);
      expect(stepped.byYear, q).toEqual(whole.byYear);
      expect(stepped.byCouncil, q).toEqual(whole.byCouncil);
      expect(stepped.results.map((r) => r.id), q).toEqual(whole.results.map((r) => r.id));
    }
    expect((await count('children')).total).toBeGreaterThan(100);
  });

  it('lets the event loop turn between documents', async () => {
    const turns = loopTurns();
    const answer = await count('children', (s) => cooperatively(s, 0));
    const n = turns.stop();
    expect(answer.total).toBeGreaterThan(100);
    // One pause per document (a zero slice ends after every step): other work ran in each.
    expect(n).toBeGreaterThanOrEqual(index().docs.length - 1);
  });

  it('waits for one turn before it starts, then does not pause work that fits in one slice', async () => {
    const turns = loopTurns();
    const answer = await count('children', (s) => cooperatively(s, 60_000));
    expect(turns.stop()).toBe(1);
    expect(answer.total).toBeGreaterThan(100);
  });
});

describe('several counts at once', () => {
  it('take one slice per pass of the event loop between them, so other work gets in after every slice', async () => {
    const turns = loopTurns();
    const n = 4;
    const answers = await Promise.all(Array.from({ length: n }, () => count('children', (s) => cooperatively(s, 0))));
    const passes = turns.stop();
    for (const a of answers) expect(a.total).toBe(answers[0]!.total);
    // Each run pauses once per document; pauses are served one per pass, never together.
    expect(passes).toBeGreaterThanOrEqual(n * (index().docs.length - 1));
  });
});

describe('background turns', () => {
  it('are served one per pass of the event loop, first come first served, never inside the caller', async () => {
    const order: string[] = [];
    const turns = loopTurns();
    const work = [1, 2, 3].map((n) => inTurn(() => {
      order.push(`work ${n}`);
      return n;
    }));
    order.push('caller');
    await Promise.resolve();
    order.push('caller, a microtask later');
    expect(await Promise.all(work)).toEqual([1, 2, 3]);
    expect(order).toEqual(['caller', 'caller, a microtask later', 'work 1', 'work 2', 'work 3']);
    // Three turns take three passes of the loop.
    expect(turns.stop()).toBeGreaterThanOrEqual(3);
    await backgroundTurn();
  });

  it('give the stages of meaning searches their turns before counts and exports queued earlier', async () => {
    const order: string[] = [];
    const bulk = [1, 2].map((n) => backgroundTurn('bulk').then(() => order.push(`bulk ${n}`)));
    const search = [1, 2].map((n) => backgroundTurn('search').then(() => order.push(`search ${n}`)));
    await Promise.all([...bulk, ...search]);
    expect(order).toEqual(['search 1', 'search 2', 'bulk 1', 'bulk 2']);
  });

  it('run several to a pass after much foreground work, so a flood of keyword searches cannot stop them', async () => {
    let pass = 0;
    let running = true;
    const tick = () => {
      pass++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const queued = Array.from({ length: 10 }, () => inTurn(() => {
      busy(1);
      return pass;
    }));
    // While they wait, keyword searches take a second of the thread: the next pass may run half a second of background work.
    foregroundDone(1000);
    const passes = await Promise.all(queued);
    // Afterwards (no foreground work reported) it is one turn per pass again.
    const next = await Promise.all([1, 2, 3].map(() => inTurn(() => pass)));
    running = false;
    expect(new Set(passes).size).toBe(1);
    expect(new Set(next).size).toBe(3);
  });
});

describe('a keyword search and counts accepted with it', () => {
  let app: Hono;
  beforeAll(() => {
    app = createApp(new Service(new SearchEngine(index(), null), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
  });

  it('is answered before every count and export accepted in the same pass, though it was read after them', async () => {
    const done: string[] = [];
    const finish = (name: string) => async (res: Response): Promise<void> => {
      const body = await res.text();
      expect(res.status, `${name}: ${body.slice(0, 200)}`).toBe(200);
      done.push(name);
    };
    // Counts over every paragraph (JSON and CSV exports; each fits in one slice, so run in the
    // handler they would be done before it returns) and a keyword search, all read in one go.
    const long = [
      ...['private fostering', 'adoption', 'care leavers', 'missing from home'].map((q) => Promise.resolve(app.request(`/api/mentions?q=${encodeURIComponent(q)}&limit=20`)).then(finish(`count ${q}`))),
      ...['youth offending', 'advocacy'].map((q) => Promise.resolve(app.request(`/api/mentions?q=${encodeURIComponent(q)}&format=csv`)).then(finish(`export ${q}`))),
    ];
    const keyword = Promise.resolve(app.request('/api/search?q=children%20social%20workers&mode=keyword')).then(finish('keyword'));
    await Promise.all([...long, keyword]);
    expect(done).toHaveLength(7);
    expect(done[0]).toBe('keyword');
  });
});
