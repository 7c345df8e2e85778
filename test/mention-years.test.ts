/** GET /api/mentions/years: up to four themes counted by year (JSON and CSV), the same counts as /api/mentions. */
import type { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MentionsResponse, MentionYearsResponse } from '../core/api-types.ts';
import { SearchEngine } from '../core/search.ts';
import { createApp } from '../server/app.ts';
import { loadIndex } from '../server/load-index.ts';
import { Service } from '../server/service.ts';
import { CORPUS_DIR, ensureCorpusIndex } from './helpers/corpus-index.ts';

let app: Hono;

beforeAll(async () => {
  const index = await loadIndex(await ensureCorpusIndex());
  app = createApp(new Service(new SearchEngine(index, null), { corpusDir: CORPUS_DIR, webDir: null, log: null }));
});

async function get(path: string, status = 200): Promise<Response> {
  const res = await app.request(path);
  expect(res.status, path).toBe(status);
  return res;
}

const THEMES = ['care leavers', '"private fostering"', 'adoption'];
const qs = (themes: string[]): string => themes.map((t) => `q=${encodeURIComponent(t)}`).join('&');

describe('GET /api/mentions/years', () => {
  it('gives each theme the by-year counts /api/mentions gives it', async () => {
    const r = (await (await get(`/api/mentions/years?${qs(THEMES)}&from=2015`)).json()) as MentionYearsResponse;
    expect(r.themes.map((t) => t.query)).toEqual(THEMES);
    for (const t of r.themes) {
      const one = (await (await get(`/api/mentions?q=${encodeURIComponent(t.query)}&from=2015&limit=1`)).json()) as MentionsResponse;
      expect(t.byYear).toEqual(one.byYear);
      expect(t.total).toBe(one.total);
      expect(t.occurrences).toBe(one.occurrences);
    }
  });

  it('downloads the numbers as CSV: one row per theme and year', async () => {
    const json = (await (await get(`/api/mentions/years?${qs(THEMES)}`)).json()) as MentionYearsResponse;
    const res = await get(`/api/mentions/years?${qs(THEMES)}&format=csv`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('theme,year,paragraphs,mentions,reports mentioning,reports,mentions per 10 000 words');
    expect(lines.length - 1).toBe(json.themes.reduce((n, t) => n + t.byYear.length, 0));
    const y = json.themes[1]!.byYear.find((x) => x.count > 0)!;
    expect(lines).toContain(`"""private fostering""",${y.year},${y.count},${y.occurrences},${y.reports},${y.reportsTotal},${y.per10kWords}`);
  });

  it('takes one to four themes and names q when that is not so', async () => {
    const five = (await (await get(`/api/mentions/years?${qs([...THEMES, 'a', 'b'])}`, 400)).json()) as { error: { message: string } };
    expect(five.error.message).toMatch(/"q".*at most 4/);
    expect(((await (await get('/api/mentions/years', 400)).json()) as { error: { message: string } }).error.message).toMatch(/"q"/);
    expect(((await (await get(`/api/mentions/years?${qs(['care', '-school'])}`, 400)).json()) as { error: { message: string } }).error.message).toMatch(/"q"/);
  });
});
