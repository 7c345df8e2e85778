/**
 * Every mention (`/mentions?q=`): every matching paragraph grouped by report (newest first), a
 * per-year chart (paragraphs or per 10 000 words; click a year to filter), mentions by council
 * (a table sortable by any column), and links to the CSV download and the Atom feed. Loads 100
 * paragraphs at a time.
 * Themes compared (`/mentions?q=a&q=b`, up to four): one per-10 000-words chart of every theme by
 * year with its numbers as a table and as CSV, the by-council table with a column per theme; the
 * paragraphs listed are those of the first theme.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { MentionsResponse } from '../../core/api-types.ts';
import { ApiError, councilPageUrl, feedUrl, mentions, mentionsCsvUrl, themesCsvUrl } from '../api.ts';
import { formatDate, typeLabel } from '../citation.ts';
import { safeSnippet } from '../highlight.ts';
import { navigateEvent } from '../navigate.ts';
import { emptyState, readerUrl, stateToSearch, type SearchState } from '../url-state.ts';
import { sharedStyles } from '../styles/shared.ts';
import type { ChartMetric } from './year-chart.ts';
import type { SearchSubmitDetail } from './search-box.ts';
import './search-box.ts';
import './year-chart.ts';
import { themeName } from './themes-chart.ts';

/** At most this many themes are compared. */
export const MAX_THEMES = 4;

/** The page's address for a state and its themes (the first theme is the state's q). */
export function mentionsUrl(s: SearchState, themes: string[]): string {
  const search = stateToSearch({ ...s, q: themes[0] ?? '', mode: 'hybrid', page: 1 });
  const p = new URLSearchParams(search);
  for (const t of themes.slice(1, MAX_THEMES)) p.append('q', t);
  const str = p.toString();
  return `/mentions${str ? `?${str}` : ''}`;
}

interface Column {
  label: string;
  value: (row: CouncilRow) => number | string;
}

interface CouncilRow {
  council: string;
  /** Per theme: paragraphs, mentions, reports. */
  counts: Array<{ count: number; occurrences: number; reports: number }>;
}

/** The by-council rows of every theme, one per council. */
export function councilRows(byTheme: Array<MentionsResponse['byCouncil']>): CouncilRow[] {
  const rows = new Map<string, CouncilRow>();
  byTheme.forEach((list, t) => {
    for (const c of list) {
      let row = rows.get(c.council);
      if (!row) rows.set(c.council, (row = { council: c.council, counts: byTheme.map(() => ({ count: 0, occurrences: 0, reports: 0 })) }));
      row.counts[t] = { count: c.count, occurrences: c.occurrences, reports: c.reports };
    }
  });
  return [...rows.values()];
}

/** Rows sorted by one column: numbers most first, names A to Z (or the other way); ties by council. */
export function sortRows(rows: CouncilRow[], column: Column, descending: boolean): CouncilRow[] {
  return [...rows].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (descending ? -c : c) || a.council.localeCompare(b.council);
  });
}

type Mention = MentionsResponse['results'][number];

interface ReportGroup {
  doc: Mention['doc'];
  items: Mention[];
}

/** Groups paragraphs by report, newest report first, keeping paragraph order inside a report. */
export function groupByReport(items: Mention[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup>();
  for (const m of items) {
    let g = groups.get(m.doc.id);
    if (!g) groups.set(m.doc.id, (g = { doc: m.doc, items: [] }));
    g.items.push(m);
  }
  return [...groups.values()].sort(
    (a, b) => (b.doc.date ?? String(b.doc.year ?? '')).localeCompare(a.doc.date ?? String(a.doc.year ?? '')) || a.doc.title.localeCompare(b.doc.title),
  );
}

@customElement('mentions-page')
export class MentionsPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      h1 { font-size: 1.5rem; margin: 1rem 0 0.75rem; overflow-wrap: anywhere; }
      h2 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }
      .summary { font-size: 1.05rem; margin: 0.75rem 0; }
      .links { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; margin: 0.5rem 0 1rem; }
      .links a { font-weight: 600; }
      .chart-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5rem 1rem; }
      .metric { border: none; padding: 0; margin: 0; display: flex; gap: 1rem; flex-wrap: wrap; }
      .metric legend { float: left; margin-right: 0.5rem; font-weight: 600; padding: 0; }
      .metric label { display: inline-flex; gap: 0.3rem; align-items: center; }
      .grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 2rem; }
      .grid.compare { grid-template-columns: minmax(0, 1fr); gap: 0.5rem; }
      .scroll { overflow-x: auto; }
      .scroll:focus-visible { outline: 3px solid var(--focus); }
      table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
      th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid var(--border); }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      th.num { text-align: right; }
      caption { text-align: left; font-size: 0.88rem; color: var(--muted); caption-side: top; padding-bottom: 0.25rem; }
      button.sort { border: none; background: none; padding: 0; font: inherit; font-weight: 700; color: var(--link); cursor: pointer; text-align: inherit; }
      button.sort:hover { text-decoration: underline; }
      .themes { margin: 0.5rem 0; }
      ul.chips { list-style: none; padding: 0; margin: 0.25rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }
      ul.chips li { border: 1px solid var(--border-strong); border-radius: 999px; padding: 0.05rem 0.6rem; overflow-wrap: anywhere; }
      form.add { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; font-size: 0.95rem; }
      form.add label { font-weight: 600; }
      form.add input { min-width: 12rem; flex: 1 1 12rem; max-width: 24rem; }
      .cbar { display: inline-block; height: 0.7rem; background: var(--bar); vertical-align: middle; }
      .report { border-top: 2px solid var(--text); margin-top: 1.25rem; }
      .report h3 { font-size: 1.1rem; margin: 0.5rem 0 0.1rem; overflow-wrap: anywhere; }
      .report .meta { color: var(--muted); font-size: 0.92rem; margin: 0 0 0.3rem; }
      ol { list-style: none; padding: 0; margin: 0; }
      li.m { padding: 0.5rem 0; border-bottom: 1px solid var(--border); }
      .where { font-size: 0.9rem; color: var(--muted); overflow-wrap: anywhere; }
      .where a { font-weight: 600; }
      .snippet { margin: 0.2rem 0 0; overflow-wrap: anywhere; }
      details.numbers { margin: 0.25rem 0 0.5rem; }
      details.numbers summary { cursor: pointer; }
      .filtered { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
      @media (max-width: 760px) {
        h1 { font-size: 1.25rem; }
        .grid { grid-template-columns: minmax(0, 1fr); gap: 0.5rem; }
      }
      @media print {
        search-box, .metric, .links, .more, form.add, ul.chips button { display: none; }
        .report { break-inside: avoid-page; }
      }
    `,
  ];

  @property({ attribute: false }) state: SearchState = emptyState();
  /** Every theme of the address (q repeated); the first is state.q. */
  @property({ attribute: false }) themes: string[] = [];

  @state() private data: MentionsResponse | null = null;
  /** The other themes' counts (their paragraphs are not listed). */
  @state() private others: MentionsResponse[] = [];
  /** The by-council table's sort: a column index, and most first (numbers) / Z to A (names). */
  @state() private sort: { column: number; descending: boolean } = { column: 1, descending: true };
  @state() private items: Mention[] = [];
  @state() private error: ApiError | null = null;
  @state() private loading = false;
  @state() private metric: ChartMetric = 'count';

  private abort: AbortController | null = null;

  /** The themes compared: the address's, or the state's one query. */
  private get themeList(): string[] {
    const list = this.themes.length > 0 ? this.themes : this.state.q ? [this.state.q] : [];
    return list.slice(0, MAX_THEMES);
  }

  private loadedKey = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state') || changed.has('themes')) {
      const key = mentionsUrl(this.state, this.themeList);
      if (key !== this.loadedKey) {
        this.loadedKey = key;
        void this.load(0);
      }
    }
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async load(offset: number): Promise<void> {
    this.abort?.abort();
    const themes = this.themeList;
    document.title = themes.length ? `Every mention of ${themes.join(', ')} – Children's services reports` : "Every mention – Children's services reports";
    if (!this.state.q) {
      this.data = null;
      this.others = [];
      this.items = [];
      this.error = null;
      return;
    }
    const ctrl = new AbortController();
    this.abort = ctrl;
    this.loading = true;
    this.error = null;
    try {
      const [res, ...others] = await Promise.all([
        mentions(this.state, offset, ctrl.signal),
        ...(offset === 0 ? themes.slice(1).map((t) => mentions({ ...this.state, q: t }, 0, ctrl.signal, 1)) : []),
      ]);
      if (offset === 0) this.others = others;
      this.data = res!;
      this.items = offset === 0 ? res!.results : [...this.items, ...res!.results];
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      this.error = e instanceof ApiError ? e : new ApiError('client', (e as Error).message, 0);
    }
    if (this.abort === ctrl) this.loading = false;
  }

  private go(next: SearchState, themes = [next.q, ...this.themeList.slice(1)]): void {
    this.dispatchEvent(navigateEvent(mentionsUrl(next, themes.filter((t) => t.trim()))));
  }

  private onSubmit(e: CustomEvent<SearchSubmitDetail>): void {
    this.go({ ...this.state, q: e.detail.q });
  }

  private onAddTheme(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('theme') as HTMLInputElement;
    const t = input.value.trim();
    if (!t) {
      input.focus();
      return;
    }
    this.go(this.state, [...this.themeList, t]);
    (e.target as HTMLFormElement).reset();
  }

  private removeTheme(i: number): void {
    const themes = this.themeList.filter((_, k) => k !== i);
    this.go({ ...this.state, q: themes[0] ?? '' }, themes);
  }

  private onYear(e: CustomEvent<{ year: number | null }>): void {
    const y = e.detail.year;
    this.go({ ...this.state, from: y, to: y });
  }

  private onMetric(e: Event): void {
    this.metric = (e.target as HTMLInputElement).value as ChartMetric;
  }

  override render(): TemplateResult {
    const s = this.state;
    return html`
      <h1>${s.q ? html`Every mention of ${this.themeList.map((t, i) => html`${i ? (i === this.themeList.length - 1 ? ' and ' : ', ') : ''}${themeName(t)}`)}` : 'Every mention'}</h1>
      <search-box .value=${s.q} label="Find every paragraph that mentions" action="Find mentions" @search-submit=${this.onSubmit}></search-box>
      ${s.q ? this.themeTools() : nothing}
      ${this.body()}
    `;
  }

  private themeTools(): TemplateResult {
    const themes = this.themeList;
    return html`<div class="themes">
      ${themes.length > 1
        ? html`<ul class="chips" aria-label="Themes compared">${themes.map((t, i) => html`<li>${themeName(t)}${i === 0 ? html` <span class="muted">(paragraphs listed)</span>` : nothing}
            <button type="button" class="link" @click=${() => this.removeTheme(i)} aria-label=${`Remove ${themeName(t)} from the comparison`}>Remove</button></li>`)}</ul>`
        : nothing}
      ${themes.length < MAX_THEMES
        ? html`<form class="add" @submit=${this.onAddTheme}>
            <label for="theme">Compare with another theme</label>
            <input id="theme" name="theme" type="search" maxlength="500" autocomplete="off" />
            <button type="submit">Add theme</button>
            <span class="muted">up to ${MAX_THEMES} themes</span>
          </form>`
        : nothing}
    </div>`;
  }

  private body(): TemplateResult {
    const s = this.state;
    if (this.error) {
      return html`<div class="message error" role="alert">
        <h2>The mentions could not be listed</h2><p>${this.error.message}</p>
        <p>${this.error.status === 400 ? 'Change the words and try again.' : 'Try again in a moment.'}</p></div>`;
    }
    if (!s.q) {
      return html`<div class="message"><h2>Count every mention of a phrase</h2>
        <p>Type a word or an "exact phrase" and press Enter: every paragraph that mentions it is listed, with a chart by year
        and a CSV download. Example: <a href="/mentions?q=%22private%20fostering%22">"private fostering"</a>.</p></div>`;
    }
    const d = this.data;
    if (!d) return html`<p role="status">Counting mentions…</p>`;
    const singleYear = s.from != null && s.from === s.to ? s.from : null;
    const reports = d.byYear.reduce((n, y) => n + y.reports, 0);
    return html`
      <p class="summary" role="status">
        <strong data-testid="mentions-total">${d.total.toLocaleString('en-GB')}</strong> paragraphs
        (${d.occurrences.toLocaleString('en-GB')} mentions) in ${reports.toLocaleString('en-GB')} reports
        ${singleYear != null ? html`in ${singleYear}` : nothing}${this.loading ? ' · loading…' : ''}
      </p>
      <div class="links">
        <a href=${mentionsCsvUrl(s)} download data-testid="csv">Download the paragraphs (CSV)</a>
        <a href=${feedUrl(s)} data-testid="feed" type="application/atom+xml">Subscribe (Atom feed)</a>
        <a href=${`/${stateToSearch({ ...s, page: 1 })}`}>Ranked search for this</a>
      </div>
      ${d.total === 0 ? html`<div class="message"><h2>No paragraph mentions “${s.q}”</h2>
          <p>Check the spelling, use fewer words, or try the <a href=${`/?q=${encodeURIComponent(s.q)}&mode=semantic`}>Meaning search</a>
          for passages about the same idea.</p></div>` : this.charts(d, singleYear)}
      ${this.list(d)}
    `;
  }

  private charts(d: MentionsResponse, singleYear: number | null): TemplateResult {
    const compared = this.themeList.length > 1 && this.others.length === this.themeList.length - 1;
    const all = compared ? [d, ...this.others] : [d];
    return html`<div class="grid ${compared ? 'compare' : ''}">
      <section aria-labelledby="by-year">
        ${compared
          ? html`<h2 id="by-year">By year, per 10 000 words</h2>
              <themes-chart .series=${all.map((r, i) => ({ query: this.themeList[i]!, byYear: r.byYear }))}></themes-chart>`
          : html`<div class="chart-head">
                <h2 id="by-year">By year</h2>
                <fieldset class="metric" @change=${this.onMetric}>
                  <legend class="visually-hidden">Show</legend>
                  <label><input type="radio" name="metric" value="count" .checked=${this.metric === 'count'} /> Paragraphs</label>
                  <label><input type="radio" name="metric" value="per10k" .checked=${this.metric === 'per10k'} /> Per 10 000 words</label>
                </fieldset>
              </div>
              <year-chart .years=${d.byYear} metric=${this.metric} .selected=${singleYear} @year-select=${this.onYear}></year-chart>
              ${singleYear != null
                ? html`<p class="filtered">Showing ${singleYear} only.
                    <button type="button" class="link" @click=${() => this.go({ ...this.state, from: null, to: null })}>Show all years</button></p>`
                : html`<p class="muted">Select a year to list only its mentions.</p>`}
              <details class="numbers" data-testid="year-table">
                <summary>The chart's numbers as a table</summary>
                <div class="scroll" tabindex="0" role="region" aria-labelledby="year-numbers">
                  <table>
                    <caption id="year-numbers">Mentions of ${themeName(this.state.q)} by year</caption>
                    <thead><tr><th scope="col">Year</th><th scope="col" class="num">Paragraphs</th><th scope="col" class="num">Mentions</th>
                      <th scope="col" class="num">Reports mentioning</th><th scope="col" class="num">Per 10 000 words</th></tr></thead>
                    <tbody>${d.byYear.map((y) => html`<tr><th scope="row">${y.year}</th><td class="num">${y.count}</td><td class="num">${y.occurrences}</td>
                      <td class="num">${y.reports} of ${y.reportsTotal}</td><td class="num">${y.per10kWords.toLocaleString('en-GB', { maximumFractionDigits: 2 })}</td></tr>`)}</tbody>
                  </table>
                </div>
              </details>`}
        <p><a href=${themesCsvUrl(this.themeList, this.state)} download data-testid="chart-csv">Download the chart's numbers (CSV)</a></p>
      </section>
      ${this.councilTable(all)}
    </div>`;
  }

  /** The columns of the by-council table: council, then per theme paragraphs (one theme: also mentions and reports). */
  private columns(): Column[] {
    const themes = this.themeList;
    const cols: Column[] = [{ label: 'Council', value: (r) => r.council }];
    if (themes.length <= 1) {
      cols.push({ label: 'Paragraphs', value: (r) => r.counts[0]!.count }, { label: 'Mentions', value: (r) => r.counts[0]!.occurrences }, { label: 'Reports', value: (r) => r.counts[0]!.reports });
    } else {
      themes.forEach((t, i) => cols.push({ label: `${themeName(t)} paragraphs`, value: (r) => r.counts[i]?.count ?? 0 }));
    }
    return cols;
  }

  private councilTable(all: MentionsResponse[]): TemplateResult {
    const cols = this.columns();
    const sort = this.sort.column < cols.length ? this.sort : { column: 1, descending: true };
    const col = cols[sort.column]!;
    const rows = sortRows(councilRows(all.map((r) => r.byCouncil)), col, sort.descending);
    const numeric = sort.column > 0;
    const order = numeric ? (sort.descending ? 'most first' : 'fewest first') : sort.descending ? 'Z to A' : 'A to Z';
    const max = Math.max(1, ...rows.map((r) => r.counts[0]!.count));
    return html`<section aria-labelledby="by-council">
      <h2 id="by-council">By council</h2>
      <div class="scroll" tabindex="0" role="region" aria-label="Mentions by council"><table data-testid="by-council">
        <caption>Sorted by ${col.label}, ${order}. Select a column heading to sort by it.</caption>
        <thead><tr>${cols.map((c, i) => html`<th scope="col" class=${i ? 'num' : ''} aria-sort=${i === sort.column ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
          <button type="button" class="sort" @click=${() => this.sortBy(i)}>${c.label}<span aria-hidden="true">${i === sort.column ? (sort.descending ? ' ▼' : ' ▲') : ''}</span></button></th>`)}</tr></thead>
        <tbody>
          ${rows.map((r) => html`<tr>
            <td><a href=${councilPageUrl(r.council, this.state.q)}>${r.council}</a><br /><span class="cbar" style="width:${(r.counts[0]!.count / max) * 100}%" aria-hidden="true"></span></td>
            ${cols.slice(1).map((c) => html`<td class="num">${(c.value(r) as number).toLocaleString('en-GB')}</td>`)}
          </tr>`)}
        </tbody>
      </table></div>
    </section>`;
  }

  /** A click on the sorted column turns its order round; another column sorts most first (names A to Z). */
  private sortBy(column: number): void {
    this.sort = this.sort.column === column ? { column, descending: !this.sort.descending } : { column, descending: column > 0 };
  }

  private list(d: MentionsResponse): TemplateResult {
    const q = this.state.q;
    return html`
      <h2>Paragraphs, newest report first</h2>
      ${groupByReport(this.items).map((g) => html`<section class="report" aria-label=${g.doc.title}>
        <h3>${g.doc.title}</h3>
        <p class="meta">${[g.doc.council, formatDate(g.doc.date) || g.doc.year, typeLabel(g.doc.type)].filter(Boolean).join(' · ')}
          · ${g.items.length} paragraph${g.items.length === 1 ? '' : 's'}</p>
        <ol>
          ${g.items.map((m) => html`<li class="m">
            <div class="where">
              <a href=${readerUrl(m.url, q)}>${[m.paragraph ? `para ${m.paragraph}` : '', m.page != null ? `p. ${m.page}` : ''].filter(Boolean).join(', ') || 'Open'}</a>
              ${m.section.length ? html` · ${m.section.join(' › ')}` : nothing}
              · ${m.occurrences} mention${m.occurrences === 1 ? '' : 's'}
            </div>
            <p class="snippet">${unsafeHTML(safeSnippet(m.snippet))}</p>
          </li>`)}
        </ol>
      </section>`)}
      ${this.items.length < d.total
        ? html`<p class="more">Showing ${this.items.length.toLocaleString('en-GB')} of ${d.total.toLocaleString('en-GB')} paragraphs.
            <button type="button" ?disabled=${this.loading} @click=${() => this.load(this.items.length)}>Show more</button></p>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mentions-page': MentionsPage;
  }
}
