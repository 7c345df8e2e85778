/**
 * One page of the original PDF, rendered in the browser with pdfjs-dist, with the cited passage
 * highlighted: the paragraph is matched against the page's text items (page-match.ts) and a
 * rectangle is drawn over each matched item. pdfjs is loaded on first use (its own chunk), with
 * its worker from the build (Vite `?url`). Output: `page-change` CustomEvent with detail { page }.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { matchParagraph } from '../page-match.ts';
import { sharedStyles } from '../styles/shared.ts';

type PdfJs = typeof import('pdfjs-dist');
type PdfDoc = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let pdfjsPromise: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    },
  );
  return pdfjsPromise;
}

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

@customElement('pdf-page-view')
export class PdfPageView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin-bottom: 0.5rem; }
      .sheet { position: relative; display: inline-block; max-width: 100%; box-shadow: 0 1px 4px rgb(0 0 0 / 30%); background: #fff; }
      canvas { display: block; max-width: 100%; }
      .hl { position: absolute; background: rgb(255 213 0 / 40%); outline: 2px solid rgb(178 124 0 / 80%); pointer-events: none; mix-blend-mode: multiply; }
    `,
  ];

  /** URL of the PDF (/files/<source>). */
  @property() src = '';
  /** 1-based page number. */
  @property({ type: Number }) page = 1;
  /** Text of the passage to highlight on the page. */
  @property() highlight = '';

  @state() private pages = 0;
  @state() private rects: Rect[] = [];
  @state() private status = 'Loading the original page…';
  @state() private shown = 1;

  @query('canvas') private canvas!: HTMLCanvasElement;

  private doc: PdfDoc | null = null;
  private docSrc = '';
  private renderToken = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('page')) this.shown = this.page;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('src') || changed.has('shown') || changed.has('highlight')) void this.draw();
  }

  override disconnectedCallback(): void {
    this.renderToken++;
    void this.doc?.destroy();
    this.doc = null;
    this.docSrc = '';
    super.disconnectedCallback();
  }

  private async draw(): Promise<void> {
    const token = ++this.renderToken;
    try {
      const pdfjs = await loadPdfJs();
      if (!this.doc || this.docSrc !== this.src) {
        void this.doc?.destroy();
        // Range requests only (the server answers them, 206): the pages shown, not the whole file.
        this.doc = await pdfjs.getDocument({ url: this.src, disableStream: true, disableAutoFetch: true }).promise;
        this.docSrc = this.src;
        this.pages = this.doc.numPages;
      }
      if (token !== this.renderToken) return;
      const n = Math.min(Math.max(1, this.shown), this.doc.numPages);
      const page = await this.doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const cssWidth = Math.min(this.clientWidth || 800, 900);
      const viewport = page.getViewport({ scale: cssWidth / base.width });
      const ratio = window.devicePixelRatio || 1;
      const canvas = this.canvas;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${viewport.width}px`;
      canvas.style.height = `${viewport.height}px`;
      await page.render({
        canvas,
        viewport,
        transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined,
      }).promise;
      if (token !== this.renderToken) return;
      const content = await page.getTextContent();
      const items = content.items.filter((it): it is Extract<typeof it, { str: string }> => 'str' in it);
      const spans = n === this.page && this.highlight ? matchParagraph(items.map((i) => i.str), this.highlight) : [];
      this.rects = spans.map((s) => {
        const it = items[s.item]!;
        const tx = pdfjs.Util.transform(viewport.transform, it.transform) as number[];
        const height = Math.hypot(tx[2]!, tx[3]!);
        const width = it.width * viewport.scale;
        return { left: tx[4]! + width * s.from, top: tx[5]! - height, width: width * (s.to - s.from), height: height * 1.15 };
      });
      this.status = this.highlight && n === this.page
        ? spans.length ? 'The cited passage is highlighted.' : 'The passage could not be located on this page; it is on the page shown.'
        : '';
    } catch (e) {
      if (token === this.renderToken) this.status = `The original page could not be shown: ${(e as Error).message}. Use the link to the original file.`;
    }
  }

  override render(): TemplateResult {
    return html`
      <div class="bar">
        <button type="button" ?disabled=${this.shown <= 1} @click=${() => this.turn(-1)}>‹ Previous page</button>
        <span>Page ${this.shown}${this.pages ? ` of ${this.pages}` : ''}</span>
        <button type="button" ?disabled=${this.pages > 0 && this.shown >= this.pages} @click=${() => this.turn(1)}>Next page ›</button>
        <a href=${`${this.src}#page=${this.shown}`} target="_blank" rel="noopener">Open the PDF at this page</a>
        <span class="muted" role="status">${this.status}</span>
      </div>
      <div class="sheet">
        <canvas role="img" aria-label=${`Page ${this.shown} of the original report`}></canvas>
        ${this.rects.map((r) => html`<div class="hl" style="left:${r.left}px;top:${r.top}px;width:${r.width}px;height:${r.height}px"></div>`)}
      </div>
      ${nothing}
    `;
  }

  private turn(dir: number): void {
    this.shown = Math.max(1, this.pages ? Math.min(this.pages, this.shown + dir) : this.shown + dir);
    this.dispatchEvent(new CustomEvent('page-change', { detail: { page: this.shown }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pdf-page-view': PdfPageView;
  }
}
