/**
 * Paging links for a result list (Previous, numbered pages, Next). Real links with the page in the
 * URL, so they work without script and can be opened in a new tab. Output: none (links route).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared.ts';

@customElement('page-nav')
export class PageNav extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; margin: 1rem 0; }
      ul { display: flex; flex-wrap: wrap; gap: 0.35rem; list-style: none; margin: 0; padding: 0; align-items: center; }
      a, span.cur { display: inline-block; min-width: 2.25rem; padding: 0.3rem 0.55rem; text-align: center; border-radius: 4px; }
      a { border: 1px solid var(--border-strong); text-decoration: none; }
      a:hover { background: var(--surface-hover); }
      span.cur { background: var(--primary); color: var(--on-primary); font-weight: 700; }
      @media print { :host { display: none; } }
    `,
  ];

  @property({ type: Number }) page = 1;
  @property({ type: Number }) pages = 1;
  /** Builds the URL of a page. */
  @property({ attribute: false }) href: (page: number) => string = (p) => `?page=${p}`;

  override render(): TemplateResult | typeof nothing {
    if (this.pages <= 1) return nothing;
    const nums = this.window();
    return html`<nav aria-label="Result pages">
      <ul>
        ${this.page > 1 ? html`<li><a href=${this.href(this.page - 1)} rel="prev">‹ Previous</a></li>` : nothing}
        ${nums.map((n, i) =>
          html`${i > 0 && n - nums[i - 1]! > 1 ? html`<li aria-hidden="true">…</li>` : nothing}
            <li>${n === this.page
              ? html`<span class="cur" aria-current="page">${n}</span>`
              : html`<a href=${this.href(n)} aria-label=${`Page ${n}`}>${n}</a>`}</li>`)}
        ${this.page < this.pages ? html`<li><a href=${this.href(this.page + 1)} rel="next">Next ›</a></li>` : nothing}
      </ul>
    </nav>`;
  }

  /** First, last and the pages around the current one. */
  private window(): number[] {
    const set = new Set([1, this.pages]);
    for (let p = this.page - 2; p <= this.page + 2; p++) if (p >= 1 && p <= this.pages) set.add(p);
    return [...set].sort((a, b) => a - b);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'page-nav': PageNav;
  }
}
