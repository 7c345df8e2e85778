/**
 * The query syntax help, fetched from /api/help and shown as plain text.
 * Output: `close` CustomEvent when the user closes it.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { help, type HelpContent } from '../api.ts';
import { sharedStyles } from '../styles/shared.ts';

let cached: Promise<HelpContent> | null = null;

@customElement('query-help')
export class QueryHelp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      section { border: 1px solid var(--border); background: var(--surface-alt); padding: 0.75rem 1rem; border-radius: 4px; }
      h2 { font-size: 1rem; margin: 0 0 0.5rem; }
      pre { white-space: pre-wrap; font: inherit; font-size: 0.95rem; margin: 0; overflow-wrap: anywhere; }
      dl { margin: 0; display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 0.3rem 1rem; }
      .row { display: contents; }
      dt code { background: var(--surface); border: 1px solid var(--border); border-radius: 3px; padding: 0 0.3rem; overflow-wrap: anywhere; }
      dd { margin: 0; }
      ul { margin: 0.6rem 0 0; padding-left: 1.2rem; }
      p { margin: 0.5rem 0 0; }
      @media (max-width: 600px) { dl { grid-template-columns: minmax(0, 1fr); } dd { margin-bottom: 0.4rem; } }
      .head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
    `,
  ];

  @state() private content: HelpContent | null = null;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    cached ??= help();
    cached.then(
      (t) => { this.content = t; },
      (e: Error) => { cached = null; this.error = e.message; },
    );
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="help-title" role="region">
      <div class="head">
        <h2 id="help-title">Query syntax</h2>
        <button type="button" class="link" @click=${this.close}>Close</button>
      </div>
      ${this.error
        ? html`<p role="alert">${this.error}</p>`
        : this.content == null
          ? html`<p class="muted">Loading…</p>`
          : this.body(this.content)}
    </section>`;
  }

  private body(c: HelpContent): TemplateResult {
    return html`
      ${c.syntax.length
        ? html`<dl>${c.syntax.map((r) => html`<div class="row"><dt><code>${r.example}</code></dt><dd>${r.meaning}</dd></div>`)}</dl>`
        : nothing}
      ${c.notes.length ? html`<ul>${c.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
      ${c.modes.length
        ? html`<p><strong>Modes:</strong> ${c.modes.map((m, i) => html`${i ? ' ' : ''}<strong>${m.mode === 'semantic' ? 'Meaning' : m.mode[0]!.toUpperCase() + m.mode.slice(1)}</strong>: ${m.meaning}`)}</p>`
        : nothing}
    `;
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('close'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'query-help': QueryHelp;
  }
}
