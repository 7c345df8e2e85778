/**
 * Browser tests of the insight pages against the REAL server (scripts/start.ts) on the index of
 * corpus/, in Debian's Chromium: practice like this elsewhere (/similar, from a result card and
 * from a paragraph of the reader), a council's record (/council/<name>), and themes compared on
 * the every-mention page (/mentions?q=..&q=..). Each page passes axe-core with no serious or
 * critical violation, is used by keyboard, and fits 360 px. Screenshots: SAVE_SCREENSHOTS=1.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouncilResponse, MentionYearsResponse, ResultItem, SimilarResponse } from '../core/api-types.ts';
import { judgementMatches } from '../core/judgements.ts';
import { seriousViolations } from './helpers/axe.ts';
import { browserRequirement, launchBrowser, startRealServer, type RealServer } from './helpers/browser.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { ensureLineageSlice, lineageRequirement } from './helpers/lineage-slice.ts';

const SHOTS = process.env.SAVE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test', '.tmp', 'screenshots');
const chromium = browserRequirement();
const lineage = lineageRequirement();

async function cards(page: Page): Promise<ResultItem[]> {
  return page.locator('result-card').evaluateAll((els) => els.map((e) => (e as unknown as { result: ResultItem }).result));
}

async function noOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe.skipIf(chromium.skip)('insight pages against the real server on corpus/', () => {
  let server: RealServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    chromium.assert();
    mkdirSync(SHOTS, { recursive: true });
    await ensureCorpusIndex();
    server = await startRealServer({ corpusDir: CORPUS_DIR, indexDir: CORPUS_INDEX_DIR });
    browser = await launchBrowser();
    // axe-core is injected as an inline script, which the app's CSP forbids: this context bypasses CSP.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  }, 30 * 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('practice like this elsewhere: from a result card by keyboard, other councils only, filters in the URL', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/?q=${encodeURIComponent('care leavers accommodation')}&council=Hackney`);
    await page.locator('result-card').first().waitFor();
    const source = (await cards(page))[0]!;
    // Keyboard: focus the first card's link and press Enter.
    await page.locator('result-card [data-testid="similar-link"]').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/similar' && u.searchParams.get('id') === source.id);
    await page.locator('similar-page result-card').first().waitFor();
    expect(await page.locator('similar-page .source').textContent()).toContain(source.text.slice(0, 60));
    const results = await cards(page);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.doc.council !== 'Hackney')).toBe(true);
    expect(new Set(results.map((r) => r.doc.id)).size).toBe(results.length);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'similar-desktop.png'), fullPage: false });

    // Filters: other councils judged good or outstanding for care leavers, from 2018; by keyboard.
    await page.locator('similar-page select[name="grade"]').selectOption('good|outstanding');
    await page.locator('similar-page select[name="area"]').selectOption('care-leavers');
    await page.locator('similar-page input[name="from"]').fill('2018');
    await page.locator('similar-page input[name="from"]').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('judgement') === 'care-leavers:good|outstanding' && u.searchParams.get('from') === '2018');
    await expect.poll(async () => (await cards(page)).every((r) => (r.doc.year ?? 0) >= 2018), { timeout: 15_000 }).toBe(true);
    const filtered = await cards(page);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((r) => judgementMatches(r.doc.judgements, 'care-leavers:good|outstanding'))).toBe(true);
    const api = (await (await fetch(`${server.url}/api/similar?id=${encodeURIComponent(source.id)}&judgement=${encodeURIComponent('care-leavers:good|outstanding')}&from=2018`)).json()) as SimilarResponse;
    expect(filtered.map((r) => r.id)).toEqual(api.results.map((r) => r.id));
    // Reload keeps the filters.
    await page.reload();
    await page.locator('similar-page result-card').first().waitFor();
    expect(await page.locator('similar-page select[name="grade"]').inputValue()).toBe('good|outstanding');
    expect((await cards(page)).map((r) => r.id)).toEqual(api.results.map((r) => r.id));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('practice like this elsewhere from any paragraph of the reader', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const docs = (await (await fetch(`${server.url}/api/documents`)).json()) as { documents: Array<{ id: string; council: string | null; type: string }> };
    const doc = docs.documents.find((d) => d.council === 'Havering' && d.type === 'ilacs')!;
    const similarHref = (anchor: string): string => `/similar?id=${encodeURIComponent(`${doc.id}#${anchor}`)}`;
    const sourceText = async (): Promise<string> => {
      await page.locator('similar-page result-card').first().waitFor();
      return (await page.locator('similar-page .source > p:not(.meta)').textContent())!.replace(/\s+/g, ' ');
    };
    const start = (text: string): string => text.replace(/^\d+\.?\s*/, '').replace(/\s+/g, ' ').slice(0, 40);
    await page.goto(`${server.url}/doc/${encodeURIComponent(doc.id)}`);

    // By mouse, any paragraph: its own button shows under the mouse and opens /similar for it.
    const para = page.locator('reader-page p.para').nth(12);
    await para.waitFor();
    const id = (await para.getAttribute('id'))!;
    const text = (await para.evaluate((p) => {
      const copy = p.cloneNode(true) as HTMLElement;
      copy.querySelector('a.para-similar')?.remove();
      return copy.textContent ?? '';
    })).trim();
    const own = para.locator('[data-testid="para-similar"]');
    expect(await own.isVisible()).toBe(false);
    await para.hover();
    expect(await own.isVisible()).toBe(true);
    expect(await own.getAttribute('aria-label')).toMatch(/^Practice like this elsewhere: (para \S+|this paragraph)$/);
    expect(await own.getAttribute('href')).toBe(similarHref(id));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'reader-similar.png') });
    await own.click();
    await page.waitForURL((u) => u.pathname === '/similar' && u.searchParams.get('id') === `${doc.id}#${id}`);
    expect(await sourceText()).toContain(start(text));
    expect((await cards(page)).every((r) => r.doc.council !== 'Havering')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // Another paragraph further down, by mouse too: the link follows the mouse.
    await page.goBack();
    const later = page.locator('reader-page p.para').nth(30);
    await later.waitFor();
    const laterId = (await later.getAttribute('id'))!;
    await later.hover();
    // Shown: the paragraph under the mouse and the highlighted one (the one clicked before), no other.
    const shownFor = await page.locator('reader-page').evaluate((r) => [...r.shadowRoot!.querySelectorAll('a.para-similar')]
      .filter((a) => getComputedStyle(a).visibility === 'visible').map((a) => a.parentElement!.id));
    expect(shownFor.sort()).toEqual([id, laterId].sort());
    await later.locator('[data-testid="para-similar"]').click();
    await page.waitForURL((u) => u.searchParams.get('id') === `${doc.id}#${laterId}`);
    await sourceText();

    // By keyboard: the highlighted paragraph's own link is the next stop after it, and the toolbar has it too.
    await page.goto(`${server.url}/doc/${encodeURIComponent(doc.id)}#${encodeURIComponent(id)}`);
    await page.locator(`reader-page [id="${id}"].highlight`).waitFor();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('href') ?? '';
    });
    expect(focused).toBe(similarHref(id));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/similar' && u.searchParams.get('id') === `${doc.id}#${id}`);
    await sourceText();
    await page.goBack();
    const toolbar = page.locator('reader-page .toolbar [data-testid="similar-link"]');
    await expect.poll(() => toolbar.getAttribute('href')).toBe(similarHref(id));

    // From a result card by mouse.
    await page.goto(`${server.url}/?q=${encodeURIComponent('staying put')}`);
    await page.locator('result-card').first().waitFor();
    const card = (await cards(page))[1]!;
    await page.locator('result-card').nth(1).locator('[data-testid="similar-link"]').click();
    await page.waitForURL((u) => u.pathname === '/similar' && u.searchParams.get('id') === card.id);
    expect(await sourceText()).toContain(card.text.replace(/\s+/g, ' ').slice(0, 40));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a council's record: every report on a timeline with judgements per area and a theme per 10 000 words", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // From a result card's council link.
    await page.goto(`${server.url}/?q=${encodeURIComponent('care leavers')}&council=Hackney`);
    await page.locator('result-card').first().waitFor();
    await page.locator('result-card .meta a', { hasText: 'Hackney' }).first().click();
    await page.waitForURL((u) => u.pathname === '/council/Hackney');
    const table = page.locator('council-page [data-testid="record"]');
    await table.waitFor();
    const api = (await (await fetch(`${server.url}/api/councils/Hackney?q=${encodeURIComponent('care leavers')}`)).json()) as CouncilResponse;
    expect(await table.locator('thead th').count()).toBe(api.reports.length + 1);
    const leavers = await table.locator('tbody tr', { has: page.locator('th', { hasText: 'Care leavers' }) }).locator('td').allTextContents();
    expect(leavers.map((t) => t.trim())).toEqual(api.reports.map((r) => r.grades.find((g) => g.area === 'care-leavers')?.grade ?? '–'));
    // The timeline: one marker per report at its date, oldest left, with its overall grade written; the table is its alternative.
    const timeline = page.locator('council-page council-timeline [data-testid="timeline"]');
    expect(await timeline.getAttribute('role')).toBe('img');
    expect(await timeline.getAttribute('aria-label')).toMatch(new RegExp(`^Timeline of ${api.reports.length} reports.*table “Judgements by report” below`));
    const markers = timeline.locator('[data-testid="report"]');
    expect(await markers.count()).toBe(api.reports.length);
    const xs = await markers.evaluateAll((gs) => gs.map((g) => Number(g.querySelector('line')!.getAttribute('x1'))));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const overall = (await markers.locator('text.grade').allTextContents()).map((t) => t.trim());
    expect(overall).toEqual(api.reports.map((r) => r.grades.find((g) => g.area === 'overall')?.grade ?? 'no overall grade'));
    expect(api.changes).toEqual([]);
    expect(await page.locator('council-page [data-testid="changes"]').count()).toBe(0);
    // A theme, typed and sent with Enter.
    const box = page.locator('council-page search-box input');
    await box.fill('care leavers');
    await box.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'care leavers');
    const per10k = page.locator('council-page [data-testid="per10k"] td');
    await expect.poll(() => per10k.count()).toBe(api.reports.length);
    const shown = (await per10k.allTextContents()).map((t) => Number(t.trim().replace(/,/g, '')));
    expect(shown).toEqual(api.reports.map((r) => r.theme!.per10kWords));
    expect(shown.some((v) => v > 0)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'council-desktop.png'), fullPage: true });
    // Unknown council: its message, not a blank page.
    await page.goto(`${server.url}/council/Atlantis`);
    expect(await page.locator('council-page [role="alert"]').textContent()).toMatch(/Atlantis/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.skipIf(lineage.skip)("a council's record across a boundary change, on real reports of the scale corpus", async () => {
    lineage.assert();
    const slice = await ensureLineageSlice();
    const other = await startRealServer({ corpusDir: slice.corpusDir, indexDir: slice.indexDir });
    const page = await context.newPage();
    try {
      await page.goto(`${other.url}/council/Buckinghamshire?q=${encodeURIComponent('suitable accommodation')}`);
      const changes = page.locator('council-page [data-testid="changes"] li');
      await changes.first().waitFor();
      expect((await changes.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['1 April 2020: Buckinghamshire County Council became Buckinghamshire']);
      // The reports before the change name the county council they inspected.
      expect((await page.locator('council-page [data-testid="authority"]').allTextContents()).map((t) => t.trim())).toEqual(['Buckinghamshire County Council', 'Buckinghamshire County Council']);
      const timeline = page.locator('council-page council-timeline [data-testid="timeline"]');
      expect(await timeline.locator('[data-testid="report"]').count()).toBe(3);
      expect(await timeline.locator('[data-testid="change"] text').textContent()).toMatch(/1 Apr 2020: Buckinghamshire County Council became Buckinghamshire/);
      // The change line sits between the 2018 and the 2021 report.
      const changeX = Number(await timeline.locator('[data-testid="change"] line').getAttribute('x1'));
      const xs = await timeline.locator('[data-testid="report"] > line').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('x1'))));
      expect(xs[1]! < changeX && changeX < xs[2]!).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, 'council-changes.png'), fullPage: true });
      // A successor's record: its predecessor's change, not its sister's reports.
      await page.goto(`${other.url}/council/North%20Northamptonshire`);
      await page.locator('council-page [data-testid="changes"] li').first().waitFor();
      expect(await page.locator('council-page [data-testid="changes"] li').textContent()).toMatch(/Northamptonshire was replaced by North Northamptonshire and West Northamptonshire/);
      expect(await page.locator('council-page [data-testid="record"] thead th').count()).toBe(2);
    } finally {
      await page.close();
      await other.stop();
    }
  });

  it('themes compared: up to four in the URL, one chart per 10 000 words with its table and CSV, a sortable council table', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/mentions?q=${encodeURIComponent('care leavers')}`);
    await page.locator('[data-testid="mentions-total"]').waitFor();
    // One theme: its bar chart's numbers as a table too (opened by keyboard).
    const one = (await (await fetch(`${server.url}/api/mentions?q=${encodeURIComponent('care leavers')}&limit=1`)).json()) as { byYear: Array<{ year: number; count: number; occurrences: number; per10kWords: number }> };
    const yearTable = page.locator('mentions-page [data-testid="year-table"]');
    await yearTable.locator('summary').focus();
    await page.keyboard.press('Enter');
    const yearRows = yearTable.locator('tbody tr');
    expect(await yearRows.count()).toBe(one.byYear.length);
    const first = one.byYear[0]!;
    expect((await yearRows.first().locator('th, td').allTextContents()).map((t) => t.trim()).slice(0, 3)).toEqual([String(first.year), String(first.count), String(first.occurrences)]);
    expect(await seriousViolations(page)).toEqual([]);
    // Add a theme by keyboard.
    const add = page.locator('mentions-page input[name="theme"]');
    await add.fill('"staying put"');
    await add.press('Enter');
    await page.waitForURL((u) => u.searchParams.getAll('q').length === 2);
    expect(new URL(page.url()).searchParams.getAll('q')).toEqual(['care leavers', '"staying put"']);
    const chart = page.locator('themes-chart');
    await expect.poll(() => chart.locator('svg g[data-theme]').count(), { timeout: 15_000 }).toBe(2);
    const years = (await (await fetch(`${server.url}/api/mentions/years?q=${encodeURIComponent('care leavers')}&q=${encodeURIComponent('"staying put"')}`)).json()) as MentionYearsResponse;
    // One row per year with reports.
    expect(await chart.locator('[data-testid="chart-table"] tbody tr').count()).toBe(new Set(years.themes.flatMap((t) => t.byYear.map((y) => y.year))).size);
    expect(await add.inputValue()).toBe('');
    const row = years.themes[1]!.byYear.find((y) => y.per10kWords > 0)!;
    const cells = await chart.locator('[data-testid="chart-table"] tbody tr', { has: page.locator(`th:text-is("${row.year}")`) }).locator('td').allTextContents();
    expect(cells.map(Number)).toEqual(years.themes.map((t) => t.byYear.find((y) => y.year === row.year)?.per10kWords ?? 0));
    // The chart's numbers as CSV: one row per theme and year.
    const csvHref = await page.locator('mentions-page [data-testid="chart-csv"]').getAttribute('href');
    const csv = (await (await fetch(`${server.url}${csvHref}`)).text()).trim().split('\r\n');
    expect(csv.length - 1).toBe(years.themes.reduce((n, t) => n + t.byYear.length, 0));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'mentions-compare.png') });

    // The council table sorts by any column; the caption says how.
    const table = page.locator('mentions-page [data-testid="by-council"]');
    const councils = async (): Promise<string[]> => (await table.locator('tbody tr td:first-child a').allTextContents()).map((t) => t.trim());
    await table.locator('thead button', { hasText: 'Council' }).click();
    await expect.poll(councils).toEqual([...(await councils())].sort((a, b) => a.localeCompare(b)));
    expect(await table.locator('thead th').first().getAttribute('aria-sort')).toBe('ascending');
    expect(await table.locator('caption').textContent()).toMatch(/Sorted by Council, A to Z/);
    const staying = table.locator('thead button', { hasText: 'staying put' });
    await staying.focus();
    await page.keyboard.press('Enter');
    const col = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(col.map(Number)).toEqual([...col.map(Number)].sort((a, b) => b - a));
    expect(await table.locator('caption').textContent()).toMatch(/most first/);

    // Four at most; removing one keeps the others in the URL.
    for (const t of ['adoption', 'fostering']) {
      await add.fill(t);
      await add.press('Enter');
    }
    await page.waitForURL((u) => u.searchParams.getAll('q').length === 4);
    expect(await page.locator('mentions-page input[name="theme"]').count()).toBe(0);
    await page.locator('mentions-page ul.chips button').nth(1).click();
    await page.waitForURL((u) => u.searchParams.getAll('q').join('|') === 'care leavers|adoption|fostering');
    await page.close();
  });

  it('the new pages fit 360 px wide', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    const page = await phone.newPage();
    await page.goto(`${server.url}/council/Havering?q=${encodeURIComponent('care leavers')}`);
    await page.locator('council-page [data-testid="record"]').waitFor();
    expect(await noOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'council-360.png') });
    await page.goto(`${server.url}/mentions?q=${encodeURIComponent('care leavers')}&q=adoption`);
    await page.locator('themes-chart svg').first().waitFor();
    expect(await noOverflow(page)).toBeLessThanOrEqual(0);
    const id = (await (await fetch(`${server.url}/api/search?q=care%20leavers&mode=keyword&limit=1`)).json() as { results: ResultItem[] }).results[0]!.id;
    await page.goto(`${server.url}/similar?id=${encodeURIComponent(id)}`);
    await page.locator('similar-page result-card').first().waitFor();
    expect(await noOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'similar-360.png') });
    await phone.close();
  });

  it('the axe check finds a serious violation where there is one (so a pass means something)', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/council/Hackney`);
    await page.locator('council-page [data-testid="record"]').waitFor();
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/favicon.ico';
      document.body.append(img);
    });
    expect((await seriousViolations(page)).join('\n')).toMatch(/image-alt \(critical\)/);
    await page.close();
  });
});
