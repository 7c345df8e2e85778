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

const SHOTS = process.env.SAVE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test', '.tmp', 'screenshots');
const chromium = browserRequirement();

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
    const docs = (await (await fetch(`${server.url}/api/documents`)).json()) as { documents: Array<{ id: string; council: string | null; type: string }> };
    const doc = docs.documents.find((d) => d.council === 'Havering' && d.type === 'ilacs')!;
    await page.goto(`${server.url}/doc/${encodeURIComponent(doc.id)}`);
    const para = page.locator('reader-page p.para').nth(12);
    await para.waitFor();
    const id = await para.getAttribute('id');
    const text = (await para.textContent())!.trim();
    await para.click();
    const link = page.locator('reader-page [data-testid="similar-link"]');
    await expect.poll(() => link.getAttribute('href')).toBe(`/similar?id=${encodeURIComponent(`${doc.id}#${id}`)}`);
    await link.click();
    await page.waitForURL((u) => u.pathname === '/similar');
    await page.locator('similar-page result-card').first().waitFor();
    const shown = (await page.locator('similar-page .source > p:not(.meta)').textContent())!;
    expect(shown.replace(/\s+/g, ' ')).toContain(text.replace(/^\d+\.?\s*/, '').replace(/\s+/g, ' ').slice(0, 40));
    expect((await cards(page)).every((r) => r.doc.council !== 'Havering')).toBe(true);
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

  it('themes compared: up to four in the URL, one chart per 10 000 words with its table and CSV, a sortable council table', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/mentions?q=${encodeURIComponent('care leavers')}`);
    await page.locator('[data-testid="mentions-total"]').waitFor();
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
