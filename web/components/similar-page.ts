/**
 * Practice like this elsewhere (`/similar?id=<paragraph>&judgement=&from=&to=&type=`): one
 * paragraph and the most similar paragraphs in other councils' reports, best first, one per
 * report, each cited. Filters: how the other council was judged for the paragraph's area (or
 * overall), years and report type; they live in the URL, so a view can be shared.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SimilarResponse } from '../../core/api-types.ts';
import { ApiError, councilPageUrl, similar } from '../api.ts';
import { formatDate, typeLabel, TYPE_LABELS } from '../citation.ts';
import { navigateEvent } from '../navigate.ts';
import { sharedStyles } from '../styles/shared.ts';
import './result-card.ts';

export interface SimilarState {
  id: string;
  /** A judgement filter value, "<area>:<grade>|<grade>", or ''. */
  judgement: string;
  from: number | null;
  to: number | null;
  type: string;
}

const GRADES: Array<{ value: string; label: string }> = [
  { value: '', label: 'any judgement' },
  { value: 'good|outstanding', label: 'good or outstanding' },
  { value: 'outstanding', label: 'outstanding' },
  { value: 'requires improvement', label: 'requires improvement' },
  { value: 'inadequate', label: 'inadequate' },
];

function year(v: string | null): number | null {
  return v && /^\d{4}$/.test(v) ? Number(v) : null;
}

export function parseSimilarState(search: string): SimilarState {
  const p = new URLSearchParams(search);
  return { id: p.get('id') ?? '', judgement: p.get('judgement') ?? '', from: year(p.get('from')), to: year(p.get('to')), type: p.get('type') ?? '' };
}

export function similarSearch(s: SimilarState): string {
  const p = new URLSearchParams({ id: s.id });
  if (s.judgement) p.set('judgement', s.judgement);
  if (s.from != null) p.set('from', String(s.from));
  if (s.to != null) p.set('to', String(s.to));
  if (s.type) p.set('type', s.type);
  return `?${p}`;
}

@customElement('similar-page')
export class SimilarPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      h1 { font-size: 1.5rem; margin: 1rem 0 0.5rem; }
      h2 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }
      .source { border-left: 5px solid var(--primary); background: var(--surface-alt); padding: 0.6rem 0.9rem; margin: 0.5rem 0 1rem; }
      .source p { margin: 0.3rem 0; overflow-wrap: anywhere; }
      .source .meta { color: var(--muted); font-size: 0.92rem; }
      form { display: flex; flex-wrap: wrap; gap: 0.6rem 1.25rem; align-items: flex-end; margin: 0.5rem 0 0.75rem; }
      form label { display: flex; flex-direction: column; gap: 0.15rem; font-size: 0.92rem; font-weight: 600; }
      form input[type='number'] { width: 6.5rem; }
      form label, form select { max-width: 100%; }
      .note { font-size: 0.95rem; }
      ol { list-style: none; padding: 0; margin: 0; }
      @media print { form { display: none; } }
    `,
  ];

  @property({ attribute: false }) state: SimilarState = parseSimilarState('');

  @state() private data: SimilarResponse | null = null;
  @state() private error: ApiError | null = null;
  @state() private loading = false;
  /** The area the judgement filter is about (a key the API gave, or "overall"). */
  @state() private area = '';

  private abort: AbortController | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state')) {
      const prev = changed.get('state') as SimilarState | undefined;
      if (!prev || similarSearch(prev) !== similarSearch(this.state)) void this.load();
    }
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    document.title = "Practice like this elsewhere – Children's services reports";
    if (!this.state.id) return;
    const ctrl = new AbortController();
    this.abort = ctrl;
    this.loading = true;
    this.error = null;
    const s = this.state;
    try {
      this.data = await similar(
        { id: s.id, ...(s.judgement ? { judgement: [s.judgement] } : {}), ...(s.from != null ? { from: s.from } : {}), ...(s.to != null ? { to: s.to } : {}), ...(s.type ? { type: [s.type] as SimilarResponse['source']['doc']['type'][] } : {}) },
        ctrl.signal,
      );
      const [area] = s.judgement.includes(':') ? s.judgement.split(':') : [''];
      this.area = area || this.data.areas[0]?.key || 'overall';
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      this.error = e instanceof ApiError ? e : new ApiError('client', (e as Error).message, 0);
    }
    if (this.abort === ctrl) this.loading = false;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const grade = String(f.get('grade') ?? '');
    const next: SimilarState = {
      id: this.state.id,
      judgement: grade ? `${String(f.get('area') ?? 'overall')}:${grade}` : '',
      from: year(String(f.get('from') ?? '')),
      to: year(String(f.get('to') ?? '')),
      type: String(f.get('type') ?? ''),
    };
    this.dispatchEvent(navigateEvent(`/similar${similarSearch(next)}`));
  }

  override render(): TemplateResult {
    return html`<h1>Practice like this elsewhere</h1>${this.body()}`;
  }

  private body(): TemplateResult {
    if (!this.state.id) {
      return html`<div class="message"><h2>Pick a paragraph first</h2>
        <p>Open <strong>Practice like this elsewhere</strong> from a search result or a paragraph of a report: this page then lists the most
        similar paragraphs in other councils' reports. <a href="/">Go to search</a>.</p></div>`;
    }
    if (this.error) {
      return html`<div class="message error" role="alert"><h2>The similar paragraphs could not be found</h2><p>${this.error.message}</p>
        <p>${this.error.status === 404 ? 'The link may be out of date: search for the paragraph again.' : 'Try again in a moment.'} <a href="/">Go to search</a>.</p></div>`;
    }
    const d = this.data;
    if (!d) return html`<p role="status">Finding similar paragraphs…</p>`;
    const src = d.source;
    return html`
      <section class="source" aria-labelledby="source-title">
        <h2 id="source-title">The paragraph</h2>
        <p class="meta">
          <a href=${src.url}>${src.doc.title}</a>${src.paragraph ? `, para ${src.paragraph}` : ''}${src.page != null ? `, p. ${src.page}` : ''}
          · ${src.doc.council ? html`<a href=${councilPageUrl(src.doc.council)}>${src.doc.council}</a>` : 'Unknown council'}
          · ${formatDate(src.doc.date) || src.doc.year} · ${typeLabel(src.doc.type)}
        </p>
        <p>${src.text}</p>
        ${d.areas.length ? html`<p class="meta">Its section heading names: ${d.areas.map((a) => a.label).join(', ')}</p>` : nothing}
      </section>
      ${this.filters(d)}
      <p class="note" role="status" data-testid="similar-summary">
        ${d.results.length} paragraph${d.results.length === 1 ? '' : 's'} from other councils' reports, most similar first, one per report${this.loading ? ' · loading…' : ''}.
        ${d.nearIdentical > 0 ? html`<br />${d.nearIdentical} other report${d.nearIdentical === 1 ? ' has' : 's have'} a near-identical copy of this paragraph (standard wording); ${d.nearIdentical === 1 ? 'it is' : 'they are'} left out.` : nothing}
      </p>
      ${d.results.length === 0
        ? html`<div class="message"><h2>No similar paragraph with these filters</h2><p>Widen the years or choose “any judgement”.</p></div>`
        : html`<ol aria-label="Similar paragraphs">${d.results.map((r) => html`<li><result-card .result=${r} full></result-card></li>`)}</ol>`}
    `;
  }

  private filters(d: SimilarResponse): TemplateResult {
    const s = this.state;
    const [area, grade] = s.judgement.includes(':') ? s.judgement.split(':', 2) as [string, string] : ['', s.judgement];
    const areas = d.judgementAreas;
    const chosenArea = area || this.area;
    return html`<form @submit=${this.onSubmit} aria-label="Filter the similar paragraphs">
      <label>Other council judged
        <select name="grade">${GRADES.map((g) => html`<option value=${g.value} ?selected=${g.value === grade}>${g.label}</option>`)}</select>
      </label>
      <label>for
        <select name="area">${areas.map((a) => html`<option value=${a.key} ?selected=${a.key === chosenArea}>${a.label}</option>`)}</select>
      </label>
      <label>From year <input type="number" name="from" min="1990" max="2100" inputmode="numeric" .value=${s.from != null ? String(s.from) : ''} /></label>
      <label>To year <input type="number" name="to" min="1990" max="2100" inputmode="numeric" .value=${s.to != null ? String(s.to) : ''} /></label>
      <label>Report type
        <select name="type">
          <option value="" ?selected=${!s.type}>Any type</option>
          ${Object.entries(TYPE_LABELS).map(([v, label]) => html`<option value=${v} ?selected=${v === s.type}>${label}</option>`)}
        </select>
      </label>
      <button type="submit" class="primary">Apply</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'similar-page': SimilarPage;
  }
}
