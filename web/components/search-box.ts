/**
 * The one search box: Enter (or the button) submits; the query syntax help is one click away.
 * Output: `search-submit` CustomEvent with detail { q }.
 */
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { sharedStyles } from '../styles/shared.ts';
import './query-help.ts';

export interface SearchSubmitDetail {
  q: string;
}

@customElement('search-box')
export class SearchBox extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
      .field { flex: 1 1 18rem; display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
      label { font-weight: 600; }
      input { width: 100%; font-size: 1.1rem; }
      .actions { display: flex; gap: 0.5rem; align-items: center; }
      button.primary { min-height: 2.5rem; padding: 0.4rem 1.2rem; }
      query-help { margin-top: 0.5rem; }
    `,
  ];

  /** The query shown in the box. */
  @property() value = '';
  /** Visible label of the box. */
  @property() label = 'Search inspection reports and committee papers';
  /** Label of the submit button. */
  @property() action = 'Search';

  @state() private helpOpen = false;
  @query('input') private input!: HTMLInputElement;

  override focus(): void {
    this.input?.focus();
  }

  override render(): TemplateResult {
    return html`
      <form role="search" @submit=${this.onSubmit}>
        <div class="field">
          <label for="q">${this.label}</label>
          <input
            id="q"
            name="q"
            type="search"
            autocomplete="off"
            spellcheck="false"
            maxlength="500"
            .value=${live(this.value)}
            placeholder='e.g. care leavers accommodation, "missing from care", council:hackney'
          />
        </div>
        <div class="actions">
          <button class="primary" type="submit">${this.action}</button>
          <button
            type="button"
            class="link no-print"
            aria-expanded=${this.helpOpen ? 'true' : 'false'}
            aria-controls="help"
            @click=${this.toggleHelp}
          >Query syntax</button>
        </div>
      </form>
      ${this.helpOpen ? html`<query-help id="help" @close=${this.toggleHelp}></query-help>` : ''}
    `;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const q = this.input.value.trim();
    this.dispatchEvent(new CustomEvent<SearchSubmitDetail>('search-submit', { detail: { q }, bubbles: true, composed: true }));
  }

  private toggleHelp(): void {
    this.helpOpen = !this.helpOpen;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'search-box': SearchBox;
  }
}
