/**
 * One search result: report title (link to the reader at the paragraph), council, date, type,
 * section path, "para 29" / "p. 7", a words / meaning label, the highlighted snippet, a
 * "copy citation" button and a link to practice like this elsewhere; the council links to its record. Output: `citation-copied` CustomEvent with detail { text, ok }.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { MatchInfo, ResultItem } from '../../core/api-types.ts';
import { councilPageUrl, similarPageUrl } from '../api.ts';
import { copyText, formatDate, typeLabel } from '../citation.ts';
import { safeSnippet } from '../highlight.ts';
import { readerUrl } from '../url-state.ts';
import { sharedStyles } from '../styles/shared.ts';

export function matchLabel(m: MatchInfo): { text: string; kind: 'words' | 'meaning' | 'both' } {
  if (m.keyword && m.semantic) return { text: 'words + meaning', kind: 'both' };
  if (m.semantic) return { text: 'meaning', kind: 'meaning' };
  return { text: 'words', kind: 'words' };
}

@customElement('result-card')
export class ResultCard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      article { border-bottom: 1px solid var(--border); padding: 0.9rem 0; }
      h3 { font-size: 1.1rem; margin: 0 0 0.2rem; line-height: 1.3; }
      h3 a { overflow-wrap: anywhere; }
      .meta { font-size: 0.92rem; color: var(--muted); display: flex; flex-wrap: wrap; gap: 0.1rem 0.9rem; margin: 0.1rem 0; }
      .where { font-size: 0.92rem; margin: 0.15rem 0; overflow-wrap: anywhere; }
      .where .loc { font-weight: 600; white-space: nowrap; }
      .label { display: inline-block; font-size: 0.8rem; font-weight: 600; padding: 0 0.45rem; border-radius: 999px; border: 1px solid; white-space: nowrap; }
      .label.words { color: var(--words); background: var(--words-bg); }
      .label.meaning { color: var(--meaning); background: var(--meaning-bg); }
      .label.both { color: var(--text); background: linear-gradient(90deg, var(--words-bg), var(--meaning-bg)); }
      .snippet { margin: 0.4rem 0; overflow-wrap: anywhere; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: center; font-size: 0.92rem; }
      .dups { color: var(--muted); font-size: 0.9rem; }
      .status { color: var(--words); font-size: 0.9rem; }
      @media print {
        article { break-inside: avoid; }
        .actions button { display: none; }
      }
    `,
  ];

  @property({ attribute: false }) result: ResultItem | null = null;
  /** The query, passed to the reader so it can highlight the words. */
  @property() query = '';
  /** Show the passage's whole text instead of its best sentences (no words to mark). */
  @property({ type: Boolean }) full = false;

  @state() private copied = '';
  @query('h3 a') private titleLink!: HTMLAnchorElement | null;

  override focus(): void {
    this.titleLink?.focus();
  }

  override render(): TemplateResult | typeof nothing {
    const r = this.result;
    if (!r) return nothing;
    const d = r.doc;
    const label = matchLabel(r.match);
    const others = r.duplicateDocs?.length ?? r.duplicates - 1;
    const loc = [r.paragraph ? `para ${r.paragraph}` : '', r.page != null ? `p. ${r.page}` : ''].filter(Boolean).join(', ');
    return html`<article aria-labelledby="t">
      <h3 id="t"><a href=${readerUrl(r.url, this.query)}>${d.title}</a></h3>
      <p class="meta">
        ${d.council ? html`<span><a href=${councilPageUrl(d.council)} title=${`Every report of ${d.council}`}>${d.council}</a></span>` : nothing}
        ${d.date ? html`<span>${formatDate(d.date)}</span>` : d.year ? html`<span>${d.year}</span>` : nothing}
        <span>${typeLabel(d.type)}</span>
      </p>
      <p class="where">
        ${loc ? html`<span class="loc">${loc}</span>` : nothing}
        ${r.section.length ? html`<span>${loc ? ' · ' : ''}${r.section.join(' › ')}</span>` : nothing}
      </p>
      <p class="snippet">${this.full ? r.text : unsafeHTML(safeSnippet(r.snippet))}</p>
      <div class="actions">
        <span class="label ${label.kind}" title="How this passage matched your search">
          <span class="visually-hidden">Matched by </span>${label.text}
        </span>
        ${r.duplicates > 1 && others > 0
          ? html`<span class="dups">also in ${others} other report${others === 1 ? '' : 's'}</span>`
          : nothing}
        <button type="button" class="link" @click=${this.onCopy}>Copy citation</button>
        <a href=${similarPageUrl(r.id)} data-testid="similar-link">Practice like this elsewhere</a>
        <span class="status" role="status">${this.copied}</span>
      </div>
    </article>`;
  }

  private async onCopy(): Promise<void> {
    const r = this.result;
    if (!r) return;
    const text = r.citation;
    const ok = await copyText(text);
    this.copied = ok ? 'Citation copied' : `Copy this: ${text}`;
    this.dispatchEvent(new CustomEvent('citation-copied', { detail: { text, ok }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'result-card': ResultCard;
  }
}
