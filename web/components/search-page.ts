/**
 * The search page (`/`): search box, mode switch, filters with facet counts, result cards,
 * total / time / paging, empty and error states. The state is the URL's (see url-state.ts); every
 * change is a `navigate` CustomEvent to the app shell, which pushes the URL and sets `state`.
 * Keyboard: Enter searches; j / k move through the results.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { SearchMode, SearchResponse } from '../../core/api-types.ts';
import { ApiError, PAGE_SIZE, search } from '../api.ts';
import { typeLabel } from '../citation.ts';
import { navigateEvent } from '../navigate.ts';
import { emptyState, hasFilters, stateToSearch, type SearchState } from '../url-state.ts';
import { sharedStyles } from '../styles/shared.ts';
import type { FiltersChange } from './filter-panel.ts';
import type { SearchSubmitDetail } from './search-box.ts';
import type { ResultCard } from './result-card.ts';
import './filter-panel.ts';
import './page-nav.ts';
import './result-card.ts';
import './search-box.ts';

const MODE_LABELS: Record<SearchMode, { label: string; hint: string }> = {
  hybrid: { label: 'Hybrid', hint: 'words and meaning' },
  keyword: { label: 'Keyword', hint: 'exact words' },
  semantic: { label: 'Meaning', hint: 'similar ideas' },
};

const EXAMPLES = ['care leavers accommodation', '"missing from care"', 'private fostering', 'council:hackney year:2019..2024 neglect'];

@customElement('search-page')
export class SearchPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      h1 { font-size: 1.5rem; margin: 1rem 0 0.75rem; }
      .modes { border: none; margin: 0.75rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: center; }
      .modes legend { float: left; font-weight: 600; margin-right: 0.5rem; padding: 0; }
      .modes label { display: inline-flex; gap: 0.3rem; align-items: center; }
      .modes input { width: 1.1rem; height: 1.1rem; margin: 0; }
      .modes .hint { color: var(--muted); font-size: 0.9rem; }
      .layout { display: grid; grid-template-columns: 16rem minmax(0, 1fr); gap: 2rem; margin-top: 1rem; }
      details.filters > summary { display: none; }
      .summary { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; border-bottom: 2px solid var(--text); padding-bottom: 0.4rem; }
      .summary p { margin: 0; }
      ol { list-style: none; margin: 0; padding: 0; }
      .keys { font-size: 0.85rem; }
      kbd { border: 1px solid var(--border-strong); border-radius: 3px; padding: 0 0.25rem; font-size: 0.8rem; }
      .examples { padding-left: 1.2rem; }
      @media (max-width: 760px) {
        h1 { font-size: 1.25rem; }
        .layout { grid-template-columns: minmax(0, 1fr); gap: 0.5rem; }
        details.filters > summary { display: list-item; font-weight: 600; cursor: pointer; padding: 0.4rem 0; }
        .keys { display: none; }
      }
      @media print {
        .layout { display: block; }
        filter-panel, .modes, search-box, .keys, details.filters { display: none; }
      }
    `,
  ];

  /** The search state from the URL. */
  @property({ attribute: false }) state: SearchState = emptyState();

  @state() private response: SearchResponse | null = null;
  @state() private error: ApiError | null = null;
  @state() private loading = false;
  @state() private wide = window.matchMedia('(min-width: 761px)').matches;

  private abort: AbortController | null = null;
  private cursor = -1;
  private mq = window.matchMedia('(min-width: 761px)');

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    this.mq.addEventListener('change', this.onMedia);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('keydown', this.onKey);
    this.mq.removeEventListener('change', this.onMedia);
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state')) {
      const prev = changed.get('state') as SearchState | undefined;
      if (!prev || stateToSearch(prev) !== stateToSearch(this.state)) void this.load();
    }
  }

  protected override firstUpdated(): void {
    if (!this.state.q) this.renderRoot.querySelector('search-box')?.focus();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    this.cursor = -1;
    document.title = this.state.q ? `${this.state.q} – Children's services reports` : "Search – Children's services reports";
    if (!this.state.q) {
      this.response = null;
      this.error = null;
      this.loading = false;
      return;
    }
    const ctrl = new AbortController();
    this.abort = ctrl;
    this.loading = true;
    this.error = null;
    try {
      this.response = await search(this.state, ctrl.signal);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      this.response = null;
      this.error = e instanceof ApiError ? e : new ApiError('client', (e as Error).message, 0);
    }
    if (this.abort === ctrl) this.loading = false;
  }

  private go(next: SearchState): void {
    this.dispatchEvent(navigateEvent(`/${stateToSearch(next)}`));
  }

  private onSubmit(e: CustomEvent<SearchSubmitDetail>): void {
    this.go({ ...this.state, q: e.detail.q, page: 1 });
  }

  private onMode(e: Event): void {
    this.go({ ...this.state, mode: (e.target as HTMLInputElement).value as SearchMode, page: 1 });
  }

  private onFilters(e: CustomEvent<FiltersChange>): void {
    this.go({ ...this.state, ...e.detail, page: 1 });
  }

  private clearFilters(): void {
    this.go({ ...this.state, council: [], type: [], from: null, to: null, judgement: '', page: 1 });
  }

  private onMedia = (e: MediaQueryListEvent): void => {
    this.wide = e.matches;
  };

  /** j / k (or J / K) move focus through the result titles, unless the user is typing. */
  private onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key !== 'j' && e.key !== 'k') return;
    const typing = e.composedPath().some(
      (n) => n instanceof HTMLElement && (n.tagName === 'INPUT' || n.tagName === 'SELECT' || n.tagName === 'TEXTAREA' || n.isContentEditable),
    );
    if (typing) return;
    const cards = [...this.renderRoot.querySelectorAll<ResultCard>('result-card')];
    if (cards.length === 0) return;
    e.preventDefault();
    this.cursor = Math.max(0, Math.min(cards.length - 1, this.cursor + (e.key === 'j' ? 1 : -1)));
    cards[this.cursor]!.focus();
    cards[this.cursor]!.scrollIntoView({ block: 'nearest' });
  };

  override render(): TemplateResult {
    const s = this.state;
    return html`
      <h1>Search children's services reports</h1>
      <search-box .value=${s.q} @search-submit=${this.onSubmit}></search-box>
      <fieldset class="modes" @change=${this.onMode}>
        <legend>Match by</legend>
        ${(Object.keys(MODE_LABELS) as SearchMode[]).map(
          (m) => html`<label>
            <input type="radio" name="mode" value=${m} .checked=${live(s.mode === m)} />
            ${MODE_LABELS[m].label} <span class="hint">(${MODE_LABELS[m].hint})</span>
          </label>`,
        )}
      </fieldset>
      <div class="layout">
        <details class="filters" ?open=${this.wide || hasFilters(s)}>
          <summary>Filters${hasFilters(s) ? ' (active)' : ''}</summary>
          <filter-panel .facets=${this.response?.facets ?? null} .state=${s} @filters-change=${this.onFilters}></filter-panel>
          ${hasFilters(s) ? html`<button type="button" @click=${this.clearFilters}>Clear filters</button>` : nothing}
        </details>
        <section aria-label="Results" aria-busy=${this.loading ? 'true' : 'false'}>${this.results()}</section>
      </div>
    `;
  }

  private results(): TemplateResult {
    const s = this.state;
    if (this.error) {
      return html`<div class="message error" role="alert">
        <h2>The search did not work</h2>
        <p>${this.error.message}</p>
        <p>${this.error.status === 400 ? 'Change the query or the filters and search again.' : 'Try again in a moment.'}</p>
      </div>`;
    }
    if (!s.q) {
      return html`<div class="message">
        <h2>Search every paragraph of Ofsted inspections and committee papers</h2>
        <p>Type words and press Enter. Results cite the report, paragraph and page. Try:</p>
        <ul class="examples">
          ${EXAMPLES.map((q) => html`<li><a href=${`/?q=${encodeURIComponent(q)}`}>${q}</a></li>`)}
        </ul>
      </div>`;
    }
    const r = this.response;
    if (!r) return html`<p role="status">Searching…</p>`;
    const pages = Math.max(1, Math.ceil(r.total / PAGE_SIZE));
    return html`
      <div class="summary">
        <p role="status" data-testid="summary">
          <strong data-testid="total">${r.total.toLocaleString('en-GB')}</strong> ${r.total === 1 ? 'result' : 'results'}
          in ${Math.round(r.tookMs)} ms${pages > 1 ? ` · page ${s.page} of ${pages}` : ''}${this.loading ? ' · updating…' : ''}
        </p>
        <a href=${`/mentions${stateToSearch({ ...s, mode: 'hybrid', page: 1 })}`}>Every mention of this</a>
        <span class="keys muted">Press <kbd>j</kbd> / <kbd>k</kbd> to move through results</span>
      </div>
      ${this.understood(r)}
      ${r.results.length === 0 ? this.empty(r.total) : html`
        <ol start=${(s.page - 1) * PAGE_SIZE + 1}>
          ${r.results.map((item) => html`<li><result-card .result=${item} .query=${r.query || s.q}></result-card></li>`)}
        </ol>
        <page-nav .page=${s.page} .pages=${pages} .href=${(p: number) => `/${stateToSearch({ ...s, page: p })}`}></page-nav>
      `}
    `;
  }

  /**
   * What the search read in the free text, with one click to make each a filter or to ignore
   * them: councils it ranks first (a soft boost), years and kinds of report it only reports.
   */
  private understood(r: SearchResponse): TemplateResult | typeof nothing {
    const s = this.state;
    const { councils, years, types } = r.understood;
    if (!s.understand) {
      return html`<p class="understood" data-testid="understood">Councils, years and kinds of report in your words are read as words only.
        <button type="button" class="link" @click=${() => this.go({ ...s, understand: true, page: 1 })}>Use them again</button></p>`;
    }
    if (councils.length === 0 && years.length === 0 && types.length === 0) return nothing;
    const list = (xs: string[]): string => (xs.length === 1 ? xs[0]! : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
    const read = [...years.map(String), ...types.map((t) => typeLabel(t))];
    const yearsText = years.length === 1 ? String(years[0]) : `${Math.min(...years)}-${Math.max(...years)}`;
    return html`<p class="understood" data-testid="understood">${councils.length > 0
        ? html`Showing ${list(councils)} first, as your words name ${councils.length === 1 ? 'it' : 'them'}.`
        : nothing}
      ${read.length > 0 ? html`Your words ${councils.length > 0 ? 'also ' : ''}name ${list(read)}.` : nothing}
      ${councils.length > 0 ? html`<button type="button" class="link" @click=${() => this.go({ ...s, council: [...s.council, ...councils], page: 1 })}>Only ${councils.join(', ')}</button>` : nothing}
      ${years.length > 0 ? html`<button type="button" class="link" @click=${() => this.go({ ...s, from: Math.min(...years), to: Math.max(...years), page: 1 })}>Only ${yearsText}</button>` : nothing}
      ${types.map((t) => html`<button type="button" class="link" @click=${() => this.go({ ...s, type: [...s.type, t], page: 1 })}>Only ${typeLabel(t)}</button>`)}
      <button type="button" class="link" @click=${() => this.go({ ...s, understand: false, page: 1 })}>Ignore</button></p>`;
  }

  private empty(total: number): TemplateResult {
    const s = this.state;
    if (total > 0) {
      return html`<div class="message"><h2>No results on this page</h2>
        <p><a href=${`/${stateToSearch({ ...s, page: 1 })}`}>Go to the first page</a>.</p></div>`;
    }
    return html`<div class="message">
      <h2>No results for “${s.q}”</h2>
      <p>Try:</p>
      <ul>
        ${s.mode !== 'semantic'
          ? html`<li><a href=${`/${stateToSearch({ ...s, mode: 'semantic', page: 1 })}`}>Meaning mode</a>, which finds passages about the same idea in other words</li>`
          : nothing}
        ${hasFilters(s)
          ? html`<li><a href=${`/${stateToSearch({ ...s, council: [], type: [], from: null, to: null, judgement: '', page: 1 })}`}>removing the filters</a></li>`
          : nothing}
        <li>fewer or different words, or check the spelling</li>
      </ul>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'search-page': SearchPage;
  }
}
