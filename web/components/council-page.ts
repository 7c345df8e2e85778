/**
 * A council's record (`/council/<name>?q=<theme>`): every report of the council (and of its
 * predecessors or successors, with the boundary changes named) oldest first, on a timeline
 * (council-timeline: each report at its date with its overall grade, each boundary change) and
 * as a table, the timeline's alternative: the grade of each judgement area per report, the
 * authority each report inspected and, for a theme, how often each report mentions it (per
 * 10 000 words, with a bar; the numbers are in the table, so the bars need no other alternative).
 * "Did Doncaster's care leaver housing get better after 2019?" is one page:
 * /council/Doncaster?q=suitable accommodation.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CouncilResponse } from '../../core/api-types.ts';
import { ApiError, council, councilPageUrl } from '../api.ts';
import { formatDate, typeLabel } from '../citation.ts';
import { navigateEvent } from '../navigate.ts';
import { sharedStyles } from '../styles/shared.ts';
import type { SearchSubmitDetail } from './search-box.ts';
import './search-box.ts';
import { changeText } from './council-timeline.ts';
import './council-timeline.ts';

type Report = CouncilResponse['reports'][number];

/** Grade -> CSS class (colour is never the only cue: the grade is written in the cell). */
function gradeClass(grade: string): string {
  if (grade.startsWith('outstanding')) return 'g-outstanding';
  if (grade.startsWith('good')) return 'g-good';
  if (grade.startsWith('requires') || grade.startsWith('adequate')) return 'g-ri';
  if (grade.startsWith('inadequate')) return 'g-inadequate';
  return '';
}

@customElement('council-page')
export class CouncilPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      h1 { font-size: 1.5rem; margin: 1rem 0 0.25rem; }
      h2 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }
      .names { color: var(--muted); margin: 0 0 0.75rem; }
      .scroll { overflow-x: auto; margin: 0.5rem 0 1rem; }
      .scroll:focus-visible { outline: 3px solid var(--focus); }
      table { border-collapse: collapse; font-size: 0.92rem; min-width: 100%; }
      caption { text-align: left; font-weight: 600; padding: 0.25rem 0; caption-side: top; }
      th, td { border: 1px solid var(--border); padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }
      thead th { background: var(--surface-alt); min-width: 8.5rem; }
      thead th .when { display: block; font-weight: 700; }
      thead th .what { display: block; font-weight: 400; color: var(--muted); font-size: 0.85rem; }
      tbody th { background: var(--surface-alt); white-space: nowrap; }
      td.none { color: var(--muted); }
      .grade { display: inline-block; padding: 0 0.4rem; border-radius: 4px; border: 1px solid; font-weight: 600; }
      .g-outstanding { background: #d9efe3; border-color: #0b5c38; color: #0b4a2e; }
      .g-good { background: #e4eefb; border-color: #1a4f8f; color: #123a6b; }
      .g-ri { background: #fff1d6; border-color: #8a5a00; color: #5c3c00; }
      .g-inadequate { background: #fbe3e1; border-color: #b3261e; color: #8c1d17; }
      .bar { display: block; height: 0.6rem; background: var(--bar); margin-top: 0.25rem; }
      td.num { font-variant-numeric: tabular-nums; }
      ul.reports { padding-left: 1.2rem; }
      ul.reports li { margin: 0.3rem 0; overflow-wrap: anywhere; }
      ul.changes { margin: 0 0 0.75rem; padding-left: 1.2rem; }
      @media print { search-box { display: none; } }
    `,
  ];

  /** The council as in the URL. */
  @property() name = '';
  /** The theme counted in each report (q in the URL). */
  @property() query = '';

  @state() private data: CouncilResponse | null = null;
  @state() private error: ApiError | null = null;

  private abort: AbortController | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('name') || changed.has('query')) void this.load();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const ctrl = new AbortController();
    this.abort = ctrl;
    this.error = null;
    try {
      this.data = await council(this.name, this.query.trim(), ctrl.signal);
      document.title = `${this.data.council}: the record – Children's services reports`;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      this.data = null;
      this.error = e instanceof ApiError ? e : new ApiError('client', (e as Error).message, 0);
    }
  }

  private onSubmit(e: CustomEvent<SearchSubmitDetail>): void {
    this.dispatchEvent(navigateEvent(councilPageUrl(this.data?.council ?? this.name, e.detail.q)));
  }

  override render(): TemplateResult {
    if (this.error) {
      return html`<h1>${this.name}</h1><div class="message error" role="alert"><h2>This council's record could not be shown</h2>
        <p>${this.error.message}</p><p>${this.error.status === 404 ? 'Check the name, or find the council from a search result.' : 'Try again in a moment.'}
        <a href="/">Go to search</a>.</p></div>`;
    }
    const d = this.data;
    if (!d) return html`<p role="status">Loading the council's reports…</p>`;
    const others = d.names.filter((n) => n !== d.council);
    return html`
      <h1>${d.council}: the record</h1>
      <p class="names">${d.reports.length} report${d.reports.length === 1 ? '' : 's'}${others.length
        ? html`, including those of ${others.join(', ')} (boundary changes)` : nothing}.</p>
      ${d.changes.length
        ? html`<h2 id="changes-title">Boundary changes</h2><ul class="changes" aria-labelledby="changes-title" data-testid="changes">${d.changes.map((c) => html`<li>
            ${new Date(`${c.date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}: ${changeText(c)}</li>`)}</ul>`
        : nothing}
      <h2>Timeline</h2>
      <council-timeline .reports=${d.reports} .changes=${d.changes} tableName="The table “Judgements by report” below"></council-timeline>
      <search-box .value=${this.query} label=${`Count a theme in each report of ${d.council}`} action="Count" @search-submit=${this.onSubmit}></search-box>
      ${this.table(d)}
      <h2>The reports</h2>
      <ul class="reports">
        ${d.reports.map((r) => html`<li><a href=${r.url}>${r.doc.title}</a> · ${formatDate(r.doc.date) || r.doc.year} · ${typeLabel(r.doc.type)}
          ${r.theme ? html` · ${r.theme.paragraphs} ${r.theme.paragraphs === 1 ? 'paragraph mentions' : 'paragraphs mention'} “${d.query}”` : nothing}</li>`)}
      </ul>
    `;
  }

  private table(d: CouncilResponse): TemplateResult {
    const max = Math.max(0, ...d.reports.map((r) => r.theme?.per10kWords ?? 0));
    const grade = (r: Report, area: string): TemplateResult => {
      const g = r.grades.find((x) => x.area === area)?.grade;
      return g ? html`<td><span class="grade ${gradeClass(g)}">${g}</span></td>` : html`<td class="none">–</td>`;
    };
    return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="record-caption">
      <table data-testid="record">
        <caption id="record-caption">Judgements${d.query ? html` and mentions of “${d.query}”` : nothing} by report, oldest first</caption>
        <thead><tr><th scope="col">Area</th>${d.reports.map((r) => html`<th scope="col">
          <span class="when">${formatDate(r.doc.date) || r.doc.year || 'Undated'}</span><span class="what">${typeLabel(r.doc.type)}</span>${
            r.authority !== d.council ? html`<span class="what" data-testid="authority">${r.authority}</span>` : nothing}</th>`)}</tr></thead>
        <tbody>
          ${d.areas.map((a) => html`<tr><th scope="row">${a.label}</th>${d.reports.map((r) => grade(r, a.key))}</tr>`)}
          ${d.areas.length === 0 ? html`<tr><th scope="row">Judgements</th>${d.reports.map(() => html`<td class="none">none stated</td>`)}</tr>` : nothing}
          ${d.query
            ? html`<tr data-testid="per10k"><th scope="row">Mentions per 10 000 words</th>${d.reports.map((r) => html`<td class="num">
                  ${r.theme!.per10kWords.toLocaleString('en-GB', { maximumFractionDigits: 2 })}
                  <span class="bar" style="width:${max > 0 ? (r.theme!.per10kWords / max) * 100 : 0}%" aria-hidden="true"></span></td>`)}</tr>
                <tr><th scope="row">Mentions (paragraphs)</th>${d.reports.map((r) => html`<td class="num">${r.theme!.occurrences} (${r.theme!.paragraphs})</td>`)}</tr>
                <tr><th scope="row">Read them</th>${d.reports.map((r) => html`<td>${r.theme!.paragraphs > 0
                  ? html`<a href=${r.url}>Read the ${r.doc.year ?? ''} mentions</a>` : html`<span class="muted">no mention</span>`}</td>`)}</tr>`
            : nothing}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'council-page': CouncilPage;
  }
}
