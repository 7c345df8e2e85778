/**
 * Filters for a search: council (searchable multi-select), year range, report type and judgement,
 * each value with its count from the API's facets. Output: `filters-change` CustomEvent with the
 * changed fields of the search state.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { FacetValue, Facets } from '../../core/api-types.ts';
import { typeLabel } from '../citation.ts';
import type { SearchState } from '../url-state.ts';
import { sharedStyles } from '../styles/shared.ts';

export type FiltersChange = Partial<Pick<SearchState, 'council' | 'type' | 'from' | 'to' | 'judgement'>>;

/** Facet values plus any selected value the facets do not list (so a selection never vanishes). */
function withSelected(values: FacetValue[], selected: string[]): Array<{ value: string; count: number | null }> {
  const out: Array<{ value: string; count: number | null }> = [...values];
  const seen = new Set(values.map((v) => v.value.toLowerCase()));
  for (const s of selected) if (!seen.has(s.toLowerCase())) out.push({ value: s, count: null });
  return out;
}

function count(n: number | null): string {
  return n == null ? '' : ` (${n.toLocaleString('en-GB')})`;
}

@customElement('filter-panel')
export class FilterPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      fieldset { border: none; padding: 0; margin: 0 0 1rem; min-width: 0; }
      legend, .label { font-weight: 600; padding: 0; margin-bottom: 0.3rem; }
      .options { max-height: 13rem; overflow: auto; border: 1px solid var(--border); border-radius: 4px; padding: 0.25rem 0.4rem; }
      .option { display: flex; align-items: center; gap: 0.4rem; padding: 0.15rem 0; }
      .option input { width: 1.1rem; height: 1.1rem; margin: 0; flex: none; }
      .find { width: 100%; margin-bottom: 0.35rem; min-height: 2.25rem; }
      .years { display: flex; gap: 0.5rem; flex-wrap: wrap; }
      .years label { display: flex; flex-direction: column; font-size: 0.9rem; }
      select { min-width: 7rem; max-width: 100%; }
      .judgement select { width: 100%; }
      .count { color: var(--muted); }
      .none { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0; }
    `,
  ];

  @property({ attribute: false }) facets: Facets | null = null;
  @property({ attribute: false }) state: SearchState | null = null;

  @state() private councilFilter = '';

  override render(): TemplateResult | typeof nothing {
    const s = this.state;
    if (!s) return nothing;
    const f = this.facets ?? { council: [], year: [], type: [], judgement: [] };
    const councils = withSelected(f.council, s.council)
      .filter((c) => c.value.toLowerCase().includes(this.councilFilter.toLowerCase()))
      .sort((a, b) => a.value.localeCompare(b.value));
    const years = [...new Set([...f.year.map((y) => Number(y.value)), ...(s.from ? [s.from] : []), ...(s.to ? [s.to] : [])])]
      .filter((y) => Number.isFinite(y))
      .sort((a, b) => a - b);
    const yearCount = new Map(f.year.map((y) => [Number(y.value), y.count]));
    const types = withSelected(f.type, s.type);
    const judgements = withSelected(f.judgement, s.judgement ? [s.judgement] : []);
    return html`
      <fieldset>
        <legend>Council</legend>
        <label class="visually-hidden" for="council-find">Find a council</label>
        <input
          id="council-find"
          class="find"
          type="text"
          placeholder="Find a council"
          .value=${this.councilFilter}
          @input=${(e: Event) => { this.councilFilter = (e.target as HTMLInputElement).value; }}
        />
        <div class="options" role="group" aria-label="Councils">
          ${councils.length === 0 ? html`<p class="none">No council matches.</p>` : nothing}
          ${repeat(
            councils,
            (c) => c.value,
            (c, i) => html`<div class="option">
              <input
                type="checkbox"
                id=${`council-${i}`}
                name="council"
                value=${c.value}
                .checked=${live(s.council.includes(c.value))}
                @change=${this.onCouncil}
              />
              <label for=${`council-${i}`}>${c.value}<span class="count">${count(c.count)}</span></label>
            </div>`,
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>Year</legend>
        <div class="years">
          <label>From
            <select name="from" .value=${live(String(s.from ?? ''))} @change=${this.onYear}>
              <option value="" ?selected=${s.from == null}>Any</option>
              ${years.map((y) => html`<option value=${y} ?selected=${s.from === y}>${y}${count(yearCount.get(y) ?? null)}</option>`)}
            </select>
          </label>
          <label>To
            <select name="to" .value=${live(String(s.to ?? ''))} @change=${this.onYear}>
              <option value="" ?selected=${s.to == null}>Any</option>
              ${years.map((y) => html`<option value=${y} ?selected=${s.to === y}>${y}${count(yearCount.get(y) ?? null)}</option>`)}
            </select>
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>Report type</legend>
        ${types.length === 0 ? html`<p class="none">No values for this search.</p>` : nothing}
        ${repeat(
          types,
          (t) => t.value,
          (t, i) => html`<div class="option">
            <input type="checkbox" id=${`type-${i}`} name="type" value=${t.value} .checked=${live(s.type.includes(t.value))} @change=${this.onType} />
            <label for=${`type-${i}`}>${typeLabel(t.value)}<span class="count">${count(t.count)}</span></label>
          </div>`,
        )}
      </fieldset>

      <fieldset class="judgement">
        <legend>Judgement</legend>
        ${judgements.length === 0
          ? html`<p class="none">No judgements known for these results.</p>`
          : html`<label class="visually-hidden" for="judgement">Judgement</label>
              <select id="judgement" name="judgement" .value=${live(s.judgement)} @change=${this.onJudgement}>
                <option value="" ?selected=${!s.judgement}>Any judgement</option>
                ${judgements.map((j) => html`<option value=${j.value} ?selected=${s.judgement === j.value}>${j.value}${count(j.count)}</option>`)}
              </select>`}
      </fieldset>
    `;
  }

  private emit(change: FiltersChange): void {
    this.dispatchEvent(new CustomEvent<FiltersChange>('filters-change', { detail: change, bubbles: true, composed: true }));
  }

  private onCouncil(e: Event): void {
    const box = e.target as HTMLInputElement;
    const current = this.state?.council ?? [];
    this.emit({ council: box.checked ? [...current, box.value] : current.filter((c) => c !== box.value) });
  }

  private onType(e: Event): void {
    const box = e.target as HTMLInputElement;
    const current = this.state?.type ?? [];
    this.emit({ type: box.checked ? [...current, box.value] : current.filter((t) => t !== box.value) });
  }

  private onYear(e: Event): void {
    const sel = e.target as HTMLSelectElement;
    const value = sel.value ? Number(sel.value) : null;
    this.emit(sel.name === 'from' ? { from: value } : { to: value });
  }

  private onJudgement(e: Event): void {
    this.emit({ judgement: (e.target as HTMLSelectElement).value });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'filter-panel': FilterPanel;
  }
}
