/**
 * Every mention (`/mentions?q=`): every matching paragraph grouped by report (newest first), a
 * per-year chart (paragraphs or per 10 000 words; click a year to filter), mentions by council,
 * and links to the CSV download and the Atom feed. Loads 100 paragraphs at a time.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { MentionsResponse } from '../../core/api-types.ts';
import { ApiError, feedUrl, mentions, mentionsCsvUrl } from '../api.ts';
import { formatDate, typeLabel } from '../citation.ts';
import { safeSnippet } from '../highlight.ts';
import { navigateEvent } from '../navigate.ts';
import { emptyState, readerUrl, stateToSearch, type SearchState } from '../url-state.ts';
import { sharedStyles } from '../styles/shared.ts';
import type { ChartMetric } from './year-chart.ts';
import type { SearchSubmitDetail } from './search-box.ts';
import './search-box.ts';
import './year-chart.ts';

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
      table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
      th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid var(--border); }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      .cbar { display: inline-block; height: 0.7rem; background: var(--bar); vertical-align: middle; }
      .report { border-top: 2px solid var(--text); margin-top: 1.25rem; }
      .report h3 { font-size: 1.1rem; margin: 0.5rem 0 0.1rem; overflow-wrap: anywhere; }
      .report .meta { color: var(--muted); font-size: 0.92rem; margin: 0 0 0.3rem; }
      ol { list-style: none; padding: 0; margin: 0; }
      li.m { padding: 0.5rem 0; border-bottom: 1px solid var(--border); }
      .where { font-size: 0.9rem; color: var(--muted); overflow-wrap: anywhere; }
      .where a { font-weight: 600; }
      .snippet { margin: 0.2rem 0 0; overflow-wrap: anywhere; }
      .filtered { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
      @media (max-width: 760px) {
        h1 { font-size: 1.25rem; }
        .grid { grid-template-columns: minmax(0, 1fr); gap: 0.5rem; }
      }
      @media print {
        search-box, .metric, .links, .more { display: none; }
        .report { break-inside: avoid-page; }
      }
    `,
  ];

  @property({ attribute: false }) state: SearchState = emptyState();

  @state() private data: MentionsResponse | null = null;
  @state() private items: Mention[] = [];
  @state() private error: ApiError | null = null;
  @state() private loading = false;
  @state() private metric: ChartMetric = 'count';

  private abort: AbortController | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state')) {
      const prev = changed.get('state') as SearchState | undefined;
      if (!prev || stateToSearch({ ...prev, page: 1 }) !== stateToSearch({ ...this.state, page: 1 })) void this.load(0);
    }
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async load(offset: number): Promise<void> {
    this.abort?.abort();
    document.title = this.state.q ? `Every mention of ${this.state.q} – Children's services reports` : "Every mention – Children's services reports";
    if (!this.state.q) {
      this.data = null;
      this.items = [];
      this.error = null;
      return;
    }
    const ctrl = new AbortController();
    this.abort = ctrl;
    this.loading = true;
    this.error = null;
    try {
      const res = await mentions(this.state, offset, ctrl.signal);
      this.data = res;
      this.items = offset === 0 ? res.results : [...this.items, ...res.results];
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      this.error = e instanceof ApiError ? e : new ApiError('client', (e as Error).message, 0);
    }
    if (this.abort === ctrl) this.loading = false;
  }

  private go(next: SearchState): void {
    this.dispatchEvent(navigateEvent(`/mentions${stateToSearch({ ...next, mode: 'hybrid', page: 1 })}`));
  }

  private onSubmit(e: CustomEvent<SearchSubmitDetail>): void {
    this.go({ ...this.state, q: e.detail.q });
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
      <h1>${s.q ? html`Every mention of “${s.q}”` : 'Every mention'}</h1>
      <search-box .value=${s.q} label="Find every paragraph that mentions" action="Find mentions" @search-submit=${this.onSubmit}></search-box>
      ${this.body()}
    `;
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
        <a href=${mentionsCsvUrl(s)} download data-testid="csv">Download CSV</a>
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
    const maxCouncil = Math.max(1, ...d.byCouncil.map((c) => c.count));
    return html`<div class="grid">
      <section aria-labelledby="by-year">
        <div class="chart-head">
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
      </section>
      <section aria-labelledby="by-council">
        <h2 id="by-council">By council</h2>
        <table>
          <thead><tr><th scope="col">Council</th><th scope="col" class="num">Paragraphs</th><th scope="col" class="num">Reports</th></tr></thead>
          <tbody>
            ${d.byCouncil.map((c) => html`<tr>
              <td>${c.council}<br /><span class="cbar" style="width:${(c.count / maxCouncil) * 100}%" aria-hidden="true"></span></td>
              <td class="num">${c.count.toLocaleString('en-GB')}</td>
              <td class="num">${c.reports.toLocaleString('en-GB')}</td>
            </tr>`)}
          </tbody>
        </table>
      </section>
    </div>`;
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
