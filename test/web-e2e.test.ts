/**
 * End-to-end tests of the web UI in a real browser (Debian Chromium via playwright-core) against
 * the REAL server (scripts/start.ts = npm start) on the real index of corpus/. Also a hostile
 * corpus (corpus/ + one text file with HTML/script text) to prove report text is never executed.
 * Saves screenshots (docs/screenshots/ with SAVE_SCREENSHOTS=1) and prints the time from Enter to the first result.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultItem } from '../core/api-types.ts';
import { seriousViolations } from './helpers/axe.ts';
import { CORPUS_DIR, CORPUS_INDEX_DIR, ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';
import { browserRequirement, launchBrowser, startRealServer, type RealServer } from './helpers/browser.ts';

const CORPUS = CORPUS_DIR;
// Screenshots go to docs/screenshots/ when SAVE_SCREENSHOTS=1 (to refresh the docs), else under test/.tmp.
const SHOTS = process.env.SAVE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test', '.tmp', 'screenshots');
/** The hostile corpus and its index (kept between runs: a re-run only updates the index). */
const WORK = join(ROOT, 'test', '.tmp', 'web-e2e');
const QUERY = 'care leavers accommodation';

const chromium = browserRequirement();

/** Rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes and newlines). */
function csvRows(text: string): number {
  let rows = 0;
  let inQuotes = false;
  let rowHasData = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') {
      inQuotes = true;
      rowHasData = true;
    } else if (ch === '\n') {
      if (rowHasData) rows++;
      rowHasData = false;
    } else if (ch !== '\r') {
      rowHasData = true;
    }
  }
  return rows + (rowHasData ? 1 : 0);
}

async function cardResults(page: Page): Promise<ResultItem[]> {
  return page.locator('result-card').evaluateAll((els) => els.map((e) => (e as unknown as { result: ResultItem }).result));
}

/** Runs an action that triggers a search and waits until its results are rendered. */
async function searchSettled(page: Page, action: () => Promise<unknown>, urlPart: string): Promise<void> {
  const response = page.waitForResponse((r) => r.url().includes('/api/search') && r.url().includes(urlPart));
  await action();
  await response;
  await page.waitForFunction(() => {
    const sp = document.querySelector('app-shell')?.shadowRoot?.querySelector('search-page') as (HTMLElement & { loading: boolean }) | null | undefined;
    return !!sp && !sp.loading;
  });
}

async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
  });
}

describe.skipIf(chromium.skip)('web UI against the real server on corpus/', () => {
  let server: RealServer;
  let browser: Browser;

  beforeAll(async () => {
    chromium.assert();
    mkdirSync(SHOTS, { recursive: true });
    // The corpus index the other tests share (built by test/global-setup.ts); start.ts only confirms it.
    await ensureCorpusIndex();
    server = await startRealServer({ corpusDir: CORPUS, indexDir: CORPUS_INDEX_DIR });
    browser = await launchBrowser();
  }, 30 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('searches with Enter, shows results from several years, and the reader highlights the cited paragraph', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator('site-footer [data-testid="embedder"]').count(), { timeout: 15_000 }).toBe(1);
    // Query syntax help is one click away (from /api/help).
    await page.locator('search-box button', { hasText: 'Query syntax' }).click();
    await expect.poll(() => page.locator('query-help dt').count()).toBeGreaterThan(3);
    await page.locator('query-help button', { hasText: 'Close' }).click();
    const box = page.locator('search-box input');
    await box.fill(QUERY);
    // Warm-up excluded on purpose: this is the first search a user makes on a fresh page.
    const t0 = Date.now();
    await box.press('Enter');
    await page.locator('result-card').first().waitFor({ state: 'visible' });
    const enterToFirstResult = Date.now() - t0;
    const summary = (await page.locator('[data-testid="summary"]').textContent()) ?? '';
    const serverMs = /in (\d+) ms/.exec(summary)?.[1];
    console.log(`web-e2e: Enter to first result visible: ${enterToFirstResult} ms (query "${QUERY}", hybrid, first query of a fresh server; API tookMs ${serverMs})`);

    expect(new URL(page.url()).searchParams.get('q')).toBe(QUERY);
    const results = await cardResults(page);

    // Warm figures: further searches typed into the same page (server caches and the page warm).
    const warm: number[] = [];
    for (const q of ['private fostering', 'missing from home', 'social worker caseloads', QUERY]) {
      await box.fill(q);
      const t = Date.now();
      await box.press('Enter');
      await page.waitForFunction((want) => {
        const sp = document.querySelector('app-shell')?.shadowRoot?.querySelector('search-page') as
          (HTMLElement & { state: { q: string }; loading: boolean }) | null | undefined;
        const card = sp?.shadowRoot?.querySelector('result-card');
        return !!sp && sp.state.q === want && !sp.loading && !!card && card.getBoundingClientRect().height > 0;
      }, q, { polling: 'raf' });
      warm.push(Date.now() - t);
    }
    console.log(`web-e2e: Enter to first result visible, next searches: ${warm.join(', ')} ms`);
    expect(results.length).toBeGreaterThan(1);
    const years = new Set(results.map((r) => r.doc.year).filter((y) => y != null));
    expect(years.size).toBeGreaterThan(1);
    const firstTitle = await page.locator('result-card h3 a').first().textContent();
    expect(firstTitle?.trim()).toBe(results[0]!.doc.title);
    expect(await page.locator('result-card .snippet mark').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="total"]').textContent()).toMatch(/\d/);
    await page.screenshot({ path: join(SHOTS, 'search-desktop.png') });

    // j focuses the first result (keyboard-only use).
    await page.locator('h1').click();
    await page.keyboard.press('j');
    const focused = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.tagName ?? '';
    });
    expect(focused).toBe('A');

    // Open a result that has a paragraph or page, in the reader.
    const pick = Math.max(0, results.findIndex((r) => r.paragraph != null || r.page != null));
    const target = results[pick]!;
    await page.locator('result-card h3 a').nth(pick).click();
    await page.waitForURL((u) => u.pathname.startsWith('/doc/'));
    const url = new URL(page.url());
    expect(decodeURIComponent(url.hash.slice(1))).toBe(target.anchor);
    expect(url.searchParams.get('q')).toBe(QUERY);
    const sel = `reader-page [id="${target.anchor}"]`;
    await page.locator(sel).waitFor({ state: 'visible' });
    expect(await page.locator(sel).getAttribute('class')).toContain('highlight');
    await expect.poll(() => inViewport(page, sel)).toBe(true);
    expect(await page.locator(`${sel} mark`).count()).toBeGreaterThan(0);
    expect(await page.locator('reader-page nav.outline li').count()).toBeGreaterThan(0);
    await expect.poll(() => inViewport(page, 'reader-page nav.outline')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'reader-desktop.png') });

    // Print: tools and outline hidden, the text and the cited paragraph stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('reader-page .toolbar').isVisible()).toBe(false);
    expect(await page.locator('reader-page nav.outline').isVisible()).toBe(false);
    expect(await page.locator(sel).isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'reader-print.png') });
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says which council it read in the words, ranks it first, and makes it a filter or ignores it in one click', async () => {
    // axe-core is injected as an inline script, which the app's CSP forbids: this context bypasses CSP.
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await axeContext.newPage();
    await page.goto(`${server.url}/?q=${encodeURIComponent('Havering care leavers')}`);
    const notice = page.locator('search-page [data-testid="understood"]');
    await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toMatch(/Showing Havering first/);
    expect((await cardResults(page))[0]!.doc.council).toBe('Havering');
    expect(await seriousViolations(page)).toEqual([]);
    // Keyboard: the buttons are reachable and work with Enter.
    await notice.locator('button', { hasText: 'Only Havering' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.getAll('council').includes('Havering'));
    await page.goBack();
    await expect.poll(() => notice.textContent()).toMatch(/Showing Havering first/);
    await notice.locator('button', { hasText: 'Ignore' }).click();
    await page.waitForURL((u) => u.searchParams.get('understand') === 'off');
    await expect.poll(() => notice.textContent()).toMatch(/read as words only/);
    // A year and a kind of report in the words are said, not ranked first, and each is one click from a filter.
    await page.goto(`${server.url}/?q=${encodeURIComponent('care leavers 2019 ILACS')}`);
    await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toMatch(/Your words name 2019 and ILACS inspection\./);
    expect(await notice.textContent()).not.toMatch(/first/);
    await notice.locator('button', { hasText: 'Only ILACS inspection' }).click();
    await page.waitForURL((u) => u.searchParams.getAll('type').join() === 'ilacs');
    await expect.poll(async () => (await cardResults(page)).every((r) => r.doc.type === 'ilacs')).toBe(true);
    expect((await cardResults(page)).length).toBeGreaterThan(0);
    // With the type a filter, the words no longer name a kind of report to offer.
    await expect.poll(() => notice.textContent()).not.toMatch(/ILACS/);
    expect(await seriousViolations(page)).toEqual([]);
    await axeContext.close();
  });

  it('filters and mode change the results and the URL; reload keeps the state; back goes back', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/?q=${encodeURIComponent(QUERY)}`);
    await page.locator('result-card').first().waitFor();
    const before = await cardResults(page);

    // Council filter: pick a council that is not the only one in the results.
    const councils = await page.locator('filter-panel input[name="council"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(councils.length).toBeGreaterThan(1);
    const council = councils[councils.length - 1]!;
    await searchSettled(page, () => page.locator(`filter-panel input[name="council"][value="${council}"]`).check(), `council=${encodeURIComponent(council)}`);
    expect(new URL(page.url()).searchParams.getAll('council')).toEqual([council]);
    expect((await cardResults(page)).every((r) => r.doc.council === council)).toBe(true);
    const filtered = await cardResults(page);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.map((r) => r.id)).not.toEqual(before.map((r) => r.id));

    // Year range.
    const fromYear = Math.min(...filtered.map((r) => r.doc.year ?? 9999));
    await searchSettled(page, () => page.locator('filter-panel select[name="from"]').selectOption(String(fromYear)), `from=${fromYear}`);
    expect(new URL(page.url()).searchParams.get('from')).toBe(String(fromYear));
    expect((await cardResults(page)).every((r) => (r.doc.year ?? 0) >= fromYear)).toBe(true);

    // Mode.
    await searchSettled(page, () => page.locator('search-page input[name="mode"][value="keyword"]').check(), 'mode=keyword');
    expect(new URL(page.url()).searchParams.get('mode')).toBe('keyword');
    expect((await cardResults(page)).every((r) => r.match.keyword && !r.match.semantic)).toBe(true);
    const keywordIds = (await cardResults(page)).map((r) => r.id);

    // Reload keeps everything.
    await searchSettled(page, () => page.reload(), 'mode=keyword');
    await page.locator('result-card').first().waitFor();
    expect(await page.locator('search-box input').inputValue()).toBe(QUERY);
    expect(await page.locator(`filter-panel input[name="council"][value="${council}"]`).isChecked()).toBe(true);
    expect(await page.locator('filter-panel select[name="from"]').inputValue()).toBe(String(fromYear));
    expect(await page.locator('search-page input[name="mode"][value="keyword"]').isChecked()).toBe(true);
    expect((await cardResults(page)).map((r) => r.id)).toEqual(keywordIds);

    // Back / forward through the history of searches.
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('mode') === null);
    await expect.poll(() => page.locator('search-page input[name="mode"][value="hybrid"]').isChecked()).toBe(true);
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('from') === null);
    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get('from') === String(fromYear));

    // A query the API rejects (over 500 characters): its message is shown, not a blank page.
    await page.goto(`${server.url}/?q=${'x'.repeat(501)}`);
    const alert = page.locator('search-page [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/500/);
    await page.close();
  });

  it('mentions page: per-year chart, year filter, CSV rows equal the total', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const q = 'care leavers';
    await page.goto(`${server.url}/mentions?q=${encodeURIComponent(q)}`);
    const totalEl = page.locator('[data-testid="mentions-total"]');
    await totalEl.waitFor();
    const total = Number((await totalEl.textContent())!.replace(/\D/g, ''));
    expect(total).toBeGreaterThan(0);
    const bars = page.locator('year-chart g.col');
    expect(await bars.count()).toBeGreaterThan(1);
    const nonEmpty = await page.locator('year-chart rect.bar').evaluateAll((els) => els.filter((e) => Number(e.getAttribute('height')) > 0).length);
    expect(nonEmpty).toBeGreaterThan(1);

    const csvHref = await page.locator('[data-testid="csv"]').getAttribute('href');
    const csv = await (await fetch(`${server.url}${csvHref}`)).text();
    expect(csvRows(csv) - 1).toBe(total);
    const feedHref = await page.locator('[data-testid="feed"]').getAttribute('href');
    const feed = await fetch(`${server.url}${feedHref}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('<feed');

    await page.locator('mentions-page input[value="per10k"]').check();
    await page.screenshot({ path: join(SHOTS, 'mentions-desktop.png') });

    // Clicking a year filters to that year.
    const year = await page.locator('year-chart g.col').evaluateAll((els) =>
      els.find((e) => Number(e.querySelector('rect.bar')?.getAttribute('height')) > 0)?.getAttribute('data-year'));
    await page.locator(`year-chart g.col[data-year="${year}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('from') === year && u.searchParams.get('to') === year);
    await expect.poll(async () => Number((await totalEl.textContent())!.replace(/\D/g, ''))).toBeLessThan(total);
    const years = await page.locator('mentions-page .report').count();
    expect(years).toBeGreaterThan(0);
    await page.close();
  });

  it('shows the original PDF page with the cited passage highlighted', async () => {
    const res = await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(QUERY)}&type=ilacs&limit=20`)).json() as { results: ResultItem[] };
    const hit = res.results.find((r) => r.page != null && /\.pdf$/i.test(r.doc.source));
    expect(hit, 'an ILACS PDF result with a page').toBeTruthy();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const fileStatuses: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/files/')) fileStatuses.push(r.status());
    });
    await page.goto(`${server.url}${hit!.url.replace('#', `?q=${encodeURIComponent(QUERY)}#`)}`);
    await page.locator(`reader-page [id="${hit!.anchor}"]`).waitFor();
    await page.locator('reader-page button', { hasText: 'Original page' }).click();
    await expect.poll(() => page.locator('pdf-page-view .hl').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const link = await page.locator('reader-page .toolbar a[target="_blank"]').getAttribute('href');
    expect(link).toMatch(new RegExp(`^/files/.+#page=${hit!.page}$`));
    // The PDF comes in byte ranges (test/files-range.test.ts), not as one whole download.
    expect(fileStatuses).toContain(206);
    await page.locator('pdf-page-view').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'reader-original-page.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works at 360 px wide (screenshots)', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
    await page.goto(`${server.url}/?q=${encodeURIComponent(QUERY)}`);
    await page.locator('result-card').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'search-360.png') });
    await page.goto(`${server.url}/mentions?q=${encodeURIComponent('care leavers')}`);
    await page.locator('year-chart g.col').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'mentions-360.png') });
    const first = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent(QUERY)}`)).json() as { results: ResultItem[] }).results[0]!;
    await page.goto(`${server.url}${first.url.replace('#', `?q=${encodeURIComponent(QUERY)}#`)}`);
    await page.locator(`reader-page [id="${first.anchor}"]`).waitFor();
    await expect.poll(() => inViewport(page, `reader-page [id="${first.anchor}"]`)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'reader-360.png') });
    await page.close();
  });
});

describe.skipIf(chromium.skip)('hostile report text is shown as text, never run', () => {
  const hostileCorpus = join(WORK, 'corpus-hostile');
  const hostileIndex = join(WORK, 'index-hostile');
  const WORD = 'quokkazanzibar';
  const IMG = '<img src=x onerror="window.__xss=1">';
  const SCRIPT = '<script>window.__xss=2</script>';
  let server: RealServer;
  let browser: Browser;

  beforeAll(async () => {
    chromium.assert();
    rmSync(hostileCorpus, { recursive: true, force: true });
    cpSync(CORPUS, hostileCorpus, { recursive: true });
    // Start from the shared corpus index, so only the hostile file is embedded.
    await ensureCorpusIndex();
    if (!existsSync(hostileIndex)) cpSync(CORPUS_INDEX_DIR, hostileIndex, { recursive: true });
    mkdirSync(join(hostileCorpus, 'hostile'), { recursive: true });
    writeFileSync(
      join(hostileCorpus, 'hostile', 'hostile-test-report.txt'),
      [
        'Scrutiny commission notes on hostile markup',
        '',
        'Introduction',
        '',
        `1. The ${WORD} service pasted ${IMG} into the minutes about care leavers accommodation.`,
        '',
        `2. A later ${WORD} note contained ${SCRIPT} and the panel asked for plain text only.`,
        '',
      ].join('\n'),
    );
    server = await startRealServer({ corpusDir: hostileCorpus, indexDir: hostileIndex });
    browser = await launchBrowser();
  }, 30 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('does not execute <img onerror> or <script> text from a report, in results or the reader', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`${server.url}/?q=${WORD}&mode=keyword`);
    await page.locator('result-card').first().waitFor();
    const results = await cardResults(page);
    expect(results.some((r) => r.doc.source.startsWith('hostile/'))).toBe(true);
    const snippets = (await page.locator('result-card .snippet').allTextContents()).join('\n');
    expect(snippets).toMatch(/<img src=x onerror=|<script>window\.__xss=2<\/script>/);
    expect(await page.locator('result-card .snippet img, result-card .snippet script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const hit = results.find((r) => r.doc.source.startsWith('hostile/'))!;
    await page.locator('result-card h3 a').nth(results.indexOf(hit)).click();
    await page.locator(`reader-page [id="${hit.anchor}"]`).waitFor();
    const text = (await page.locator('reader-page article').textContent()) ?? '';
    expect(text).toContain(IMG);
    expect(text).toContain(SCRIPT);
    expect(await page.locator('reader-page article img, reader-page article script').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
