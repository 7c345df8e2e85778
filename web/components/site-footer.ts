/** Footer: what is indexed and which embedder "Meaning" uses (from /api/health). */
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { HealthResponse } from '../../core/api-types.ts';
import { health } from '../api.ts';
import { sharedStyles } from '../styles/shared.ts';

@customElement('site-footer')
export class SiteFooter extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; border-top: 1px solid var(--border); background: var(--surface-alt); }
      footer { max-width: 80rem; margin: 0 auto; padding: 0.75rem 1rem; font-size: 0.9rem; }
      p { margin: 0.2rem 0; }
      code { font-size: 0.85rem; word-break: break-all; }
      @media print { :host { border: none; background: none; } }
    `,
  ];

  @state() private info: HealthResponse | null = null;
  @state() private failed = false;

  override connectedCallback(): void {
    super.connectedCallback();
    health().then(
      (h) => { this.info = h; },
      () => { this.failed = true; },
    );
  }

  override render(): TemplateResult {
    const h = this.info;
    return html`<footer>
      ${h
        ? html`<p data-testid="embedder">
              Meaning search uses the embedding model <code>${h.embedder.id}</code> (${h.embedder.dim} dimensions).
            </p>
            <p class="muted">
              ${h.documents.toLocaleString('en-GB')} reports, ${h.chunks.toLocaleString('en-GB')} passages indexed
              ${h.builtAt ? html`· index built ${new Date(h.builtAt).toLocaleString('en-GB')}` : ''}.
            </p>`
        : this.failed
          ? html`<p role="status">The search server is not answering: start it with <code>npm start</code> and reload.</p>`
          : html`<p class="muted">Checking the search server…</p>`}
    </footer>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'site-footer': SiteFooter;
  }
}
