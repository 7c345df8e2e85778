/**
 * Every-mention counts run in steps (core/mentions.ts mentionsInSteps) that the server drives a
 * slice at a time (server/cooperative.ts), letting other requests use the event loop between
 * slices: the answer is the same as in one go, and the loop does turn while it runs.
 */
import { describe, expect, it } from 'vitest';
import { mentions, mentionsInSteps, runSteps } from '../core/mentions.ts';
import { cooperatively } from '../server/cooperative.ts';
import { useApiApp } from './helpers/api-app.ts';

const { index } = useApiApp();

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
      const whole = mentions(index(), { q, limit: 1000 });
      const stepped = await cooperatively(mentionsInSteps(index(), { q, limit: 1000 }), 0);
      expect(stepped.total, q).toBe(whole.total);
      expect(stepped.occurrences, q).toBe(whole.occurrences);
      expect(stepped.byYear, q).toEqual(whole.byYear);
      expect(stepped.byCouncil, q).toEqual(whole.byCouncil);
      expect(stepped.results.map((r) => r.id), q).toEqual(whole.results.map((r) => r.id));
      expect(runSteps(mentionsInSteps(index(), { q, limit: 1000 })).total, q).toBe(whole.total);
    }
    expect(mentions(index(), { q: 'children' }).total).toBeGreaterThan(100);
  });

  it('lets the event loop turn between documents', async () => {
    const turns = loopTurns();
    const answer = await cooperatively(mentionsInSteps(index(), { q: 'children' }), 0);
    const n = turns.stop();
    expect(answer.total).toBeGreaterThan(100);
    // One pause per document (a zero slice ends after every step): other work ran in each.
    expect(n).toBeGreaterThanOrEqual(index().docs.length - 1);
  });

  it('does not pause work that fits in one slice', async () => {
    const turns = loopTurns();
    const answer = await cooperatively(mentionsInSteps(index(), { q: 'children' }), 60_000);
    expect(turns.stop()).toBe(0);
    expect(answer.total).toBeGreaterThan(100);
  });
});

describe('several counts at once', () => {
  it('take one slice per pass of the event loop between them, so other work gets in after every slice', async () => {
    const turns = loopTurns();
    const n = 4;
    const answers = await Promise.all(Array.from({ length: n }, () => cooperatively(mentionsInSteps(index(), { q: 'children' }), 0)));
    const passes = turns.stop();
    for (const a of answers) expect(a.total).toBe(answers[0]!.total);
    // Each run pauses once per document; pauses are served one per pass, never together.
    expect(passes).toBeGreaterThanOrEqual(n * (index().docs.length - 1));
  });
});
