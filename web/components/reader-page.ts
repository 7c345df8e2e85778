/**
 * The reader (`/doc/<id>?q=..#<anchor>`): the whole report as paragraphs with a section outline,
 * page markers, the target paragraph scrolled into view and highlighted, the query's words marked
 * (as text: report text is never parsed as HTML), previous / next mention, copy citation, practice
 * like this elsewhere for the highlighted paragraph (a click on a paragraph highlights it) in the
 * toolbar and at the end of the paragraph itself (shown under the mouse, for any paragraph), and
 * for PDFs the original page rendered with the passage highlighted. The council links to its record.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DocumentResponse, ParagraphItem } from '../../core/api-types.ts';
import { ApiError, councilPageUrl, documentById, similarPageUrl } from '../api.ts';
import { copyText, formatDate, typeLabel } from '../citation.ts';
import { highlightParts } from '../highlight.ts';
import { sharedStyles } from '../styles/shared.ts';
import './pdf-page-view.ts';

/** True when the paragraph text already begins with its printed number ("29. ..."). */
function startsWithNumber(text: string, number: string): boolean {
  const first = number.split('-')[0]!;
  return text.trimStart().startsWith(first);
}

@customElement('reader-page')
export class ReaderPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .head h1 { font-size: 1.45rem; margin: 1rem 0 0.2rem; overflow-wrap: anywhere; }
      .meta { color: var(--muted); margin: 0 0 0.4rem; }
      .judgements { font-size: 0.92rem; margin: 0.2rem 0; }
      .toolbar {
        position: sticky; top: 0; z-index: 2; background: var(--surface);
        display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center;
        border-bottom: 2px solid var(--text); padding: 0.45rem 0; margin-bottom: 0.5rem;
      }
      .toolbar .count { font-size: 0.92rem; }
      .status { color: var(--words); font-size: 0.9rem; }
      .layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); gap: 2rem; }
      nav.outline { position: sticky; top: 3.75rem; max-height: calc(100vh - 4.25rem); overflow: auto; font-size: 0.9rem; }
      nav.outline h2 { font-size: 1rem; margin: 0.25rem 0; }
      nav.outline ul { list-style: none; margin: 0; padding: 0; }
      nav.outline li { margin: 0.2rem 0; overflow-wrap: anywhere; }
      details.outline-box > summary { display: none; }
      article { max-width: 46rem; }
      article .highlight { background: var(--target); }
      article h2, article h3, article h4 { margin: 1.4rem 0 0.4rem; line-height: 1.3; overflow-wrap: anywhere; scroll-margin-top: 4rem; }
      article h2 { font-size: 1.25rem; }
      article h3 { font-size: 1.1rem; }
      article h4 { font-size: 1rem; }
      p.para { margin: 0 0 0.8rem; padding: 0.25rem 0.5rem; border-left: 4px solid transparent; overflow-wrap: anywhere; scroll-margin-top: 4rem; }
      p.para .num { font-weight: 700; margin-right: 0.4rem; color: var(--muted); }
      p.para.highlight { background: var(--target); border-left-color: var(--target-border); }
      p.para:focus { outline: none; }
      /* Each paragraph's own "practice like this elsewhere": shown for the paragraph under the
         mouse and the highlighted one; its space is always kept, so nothing moves when it shows. */
      a.para-similar {
        visibility: hidden; display: inline-block; margin-left: 0.5rem; padding: 0 0.4rem;
        font-size: 0.85rem; line-height: 1.5; white-space: nowrap; user-select: none;
        border: 1px solid var(--border-strong); border-radius: 4px; background: var(--surface);
        text-decoration: none;
      }
      a.para-similar:hover { background: var(--surface-hover); text-decoration: underline; }
      p.para:hover a.para-similar, p.para.highlight a.para-similar { visibility: visible; }
      p.para:focus-visible { outline: 3px solid var(--focus); }
      .page-marker { display: flex; align-items: center; gap: 0.5rem; color: var(--muted); font-size: 0.85rem; margin: 1rem 0 0.6rem; }
      .page-marker::before, .page-marker::after { content: ''; flex: 1; border-top: 1px dashed var(--border-strong); }
      .original { border: 1px solid var(--border); padding: 0.5rem; margin: 0.5rem 0 1rem; background: var(--surface-alt); }
      @media (max-width: 860px) {
        .layout { grid-template-columns: minmax(0, 1fr); gap: 0; }
        nav.outline { position: static; max-height: 50vh; }
        details.outline-box > summary { display: list-item; font-weight: 600; cursor: pointer; padding: 0.3rem 0; }
        .toolbar { position: static; }
      }
      @media print {
        .toolbar, nav.outline, details.outline-box, .original, a.para-similar { display: none !important; }
        .layout { display: block; }
        article { max-width: none; }
        p.para { break-inside: avoid; border-left: none; padding: 0; }
        p.para.highlight { border-left: 3px solid #000; padding-left: 0.4rem; }
        .page-marker { break-after: avoid; }
      }
    `,
  ];

  @property() docId = '';
  /** The query the reader was opened from: its words are highlighted. */
  @property() query = '';
  /** The paragraph anchor from the URL fragment. */
  @property() anchor = '';

  @state() private data: DocumentResponse | null = null;
  @state() private error: ApiError | null = null;
  /** Anchor of the paragraph currently highlighted (the target, or the mention navigated to). */
  @state() private current = '';
  @state() private copied = '';
  @state() private showOriginal = false;
  @state() private wide = window.matchMedia('(min-width: 861px)').matches;

  private scrollPending = false;
  private mq = window.matchMedia('(min-width: 861px)');

  override connectedCallback(): void {
    super.connectedCallback();
    this.mq.addEventListener('change', this.onMedia);
  }

  override disconnectedCallback(): void {
    this.mq.removeEventListener('change', this.onMedia);
    super.disconnectedCallback();
  }

  private onMedia = (e: MediaQueryListEvent): void => {
    this.wide = e.matches;
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('docId') || changed.has('query')) && this.docId) void this.load();
    if (changed.has('anchor')) {
      this.current = this.anchor;
      this.scrollPending = true;
    }
  }

  private async load(): Promise<void> {
    this.data = null;
    this.error = null;
    try {
      this.data = await documentById(this.docId, this.query.trim() || undefined);
      document.title = `${this.data.doc.title} – Children's services reports`;
      this.scrollPending = true;
    } catch (e) {
      this.error = e instanceof ApiError ? e : new ApiError('client', (e as Error).message, 0);
    }
  }

  protected override updated(): void {
    if (!this.scrollPending || !this.data) return;
    this.scrollPending = false;
    const el = this.current ? this.renderRoot.querySelector<HTMLElement>(`[id="${CSS.escape(this.current)}"]`) : null;
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    }
  }

  private get paragraphs(): ParagraphItem[] {
    return this.data?.paragraphs ?? [];
  }

  private get currentParagraph(): ParagraphItem | null {
    return this.paragraphs.find((p) => p.anchor === this.current) ?? null;
  }

  /** Anchors of the paragraphs that mention the query (the server's every-mention rule), in reading order. */
  private mentionAnchors(): string[] {
    return this.data?.mentions?.anchors ?? [];
  }

  private step(dir: 1 | -1): void {
    const anchors = this.mentionAnchors();
    if (anchors.length === 0) return;
    const order = new Map(this.paragraphs.map((p, i) => [p.anchor, i]));
    const at = order.get(this.current) ?? (dir === 1 ? -1 : this.paragraphs.length);
    const next = dir === 1
      ? anchors.find((a) => order.get(a)! > at) ?? anchors[0]!
      : [...anchors].reverse().find((a) => order.get(a)! < at) ?? anchors[anchors.length - 1]!;
    this.current = next;
    this.scrollPending = true;
    history.replaceState(null, '', `${location.pathname}${location.search}#${encodeURIComponent(next)}`);
  }

  /** A click on a paragraph (not on a selection of its text) highlights it, for the toolbar's tools. */
  private onParagraphClick(e: MouseEvent): void {
    if (window.getSelection()?.toString()) return;
    const p = (e.target as HTMLElement).closest?.('p.para');
    if (!p || p.id === this.current) return;
    this.current = p.id;
    history.replaceState(null, '', `${location.pathname}${location.search}#${encodeURIComponent(p.id)}`);
  }

  private async copyCitation(): Promise<void> {
    const d = this.data;
    if (!d) return;
    const p = this.currentParagraph;
    const text = p?.citation ?? d.citation;
    const ok = await copyText(text);
    this.copied = ok ? 'Citation copied' : `Copy this: ${text}`;
  }

  override render(): TemplateResult {
    if (this.error) {
      return html`<div class="message error" role="alert">
        <h1>This report could not be opened</h1>
        <p>${this.error.message}</p>
        <p>${this.error.status === 404 ? 'The link may be out of date: search for the report again.' : 'Try again in a moment.'}
          <a href="/">Go to search</a>.</p>
      </div>`;
    }
    const d = this.data;
    if (!d) return html`<p role="status">Opening the report…</p>`;
    const doc = d.doc;
    const mentions = this.mentionAnchors();
    const pos = mentions.indexOf(this.current);
    const cur = this.currentParagraph;
    const isPdf = doc.pages != null && /\.pdf$/i.test(doc.source);
    const page = cur?.page ?? null;
    return html`
      <div class="head">
        <h1>${doc.title}</h1>
        <p class="meta">${doc.council ? html`<a href=${councilPageUrl(doc.council)} title=${`Every report of ${doc.council}`}>${doc.council}</a> · ` : nothing}${
          [formatDate(doc.date) || doc.year, typeLabel(doc.type), doc.pages ? `${doc.pages} pages` : ''].filter(Boolean).join(' · ')}</p>
        ${doc.judgements.length
          ? html`<p class="judgements">Judgements: ${doc.judgements.map((j, i) => html`${i ? '; ' : ''}${j.area}: <strong>${j.grade}</strong>`)}</p>`
          : nothing}
      </div>
      <div class="toolbar" role="toolbar" aria-label="Report tools">
        ${this.data?.mentions
          ? html`<button type="button" @click=${() => this.step(-1)} ?disabled=${mentions.length === 0}>‹ Previous mention</button>
              <button type="button" @click=${() => this.step(1)} ?disabled=${mentions.length === 0}>Next mention ›</button>
              <span class="count">${mentions.length === 0 ? html`No mentions of “${this.query}”`
                : pos >= 0 ? `Mention ${pos + 1} of ${mentions.length}` : `${mentions.length} paragraphs mention “${this.query}”`}</span>`
          : nothing}
        <button type="button" @click=${this.copyCitation}>Copy citation${cur?.number ? ` (para ${cur.number})` : ''}</button>
        ${cur && !cur.heading
          ? html`<a href=${similarPageUrl(cur.id)} data-testid="similar-link">Practice like this elsewhere${cur.number ? ` (para ${cur.number})` : ''}</a>`
          : html`<span class="count muted">Select a paragraph to find practice like it elsewhere</span>`}
        ${isPdf
          ? html`<button type="button" aria-expanded=${this.showOriginal ? 'true' : 'false'} @click=${() => { this.showOriginal = !this.showOriginal; }}>
              ${this.showOriginal ? 'Hide original page' : 'Original page'}</button>`
          : nothing}
        <a href=${page != null ? `${d.fileUrl}#page=${page}` : d.fileUrl} target="_blank" rel="noopener">Original file${page != null ? ` (p. ${page})` : ''}</a>
        <span class="status" role="status">${this.copied}</span>
      </div>
      ${isPdf && this.showOriginal
        ? html`<section class="original" aria-label="Original page">
            <pdf-page-view .src=${d.fileUrl} .page=${page ?? 1} .highlight=${cur && !cur.heading ? cur.text : ''}></pdf-page-view>
          </section>`
        : nothing}
      <div class="layout">
        ${this.wide
          ? html`<div class="outline-box">${this.outline(d)}</div>`
          : html`<details class="outline-box"><summary>Sections</summary>${this.outline(d)}</details>`}
        <article aria-label="Report text" @click=${this.onParagraphClick}>${this.body()}</article>
      </div>
    `;
  }

  private outline(d: DocumentResponse): TemplateResult {
    return html`<nav class="outline" aria-labelledby="outline-title">
      <h2 id="outline-title">Sections</h2>
      <ul>
        ${d.outline.map((o) => html`<li style="padding-left:${Math.max(0, o.level - 1) * 0.8}rem">
          <a href=${`#${encodeURIComponent(o.anchor)}`}>${o.title}</a></li>`)}
      </ul>
    </nav>`;
  }

  private body(): TemplateResult[] {
    const out: TemplateResult[] = [];
    let lastPage: number | null = null;
    const levels = new Map((this.data?.outline ?? []).map((o) => [o.anchor, o.level]));
    for (const p of this.paragraphs) {
      if (p.page != null && p.page !== lastPage) {
        out.push(html`<div class="page-marker" id=${`page-${p.page}`} role="separator" aria-label=${`Page ${p.page}`}>Page ${p.page}</div>`);
        lastPage = p.page;
      }
      if (p.pageEnd != null) lastPage = p.pageEnd;
      const text = highlightParts(p.text, p.marks);
      const hl = p.anchor === this.current ? 'highlight' : '';
      if (p.heading) {
        const level = Math.min(4, Math.max(2, (levels.get(p.anchor) ?? p.section.length) + 1));
        out.push(level === 2 ? html`<h2 id=${p.anchor} class=${hl} tabindex="-1">${text}</h2>`
          : level === 3 ? html`<h3 id=${p.anchor} class=${hl} tabindex="-1">${text}</h3>`
          : html`<h4 id=${p.anchor} class=${hl} tabindex="-1">${text}</h4>`);
      } else {
        out.push(html`<p id=${p.anchor} class="para ${hl}" tabindex="-1" aria-current=${hl ? 'location' : 'false'}>${
          p.number && !startsWithNumber(p.text, p.number) ? html`<span class="num">${p.number}</span>` : nothing}${text}<a
          class="para-similar" href=${similarPageUrl(p.id)} data-testid="para-similar"
          aria-label=${`Practice like this elsewhere: ${p.number ? `para ${p.number}` : 'this paragraph'}`}>Practice like this elsewhere</a></p>`);
      }
    }
    return out;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reader-page': ReaderPage;
  }
}
