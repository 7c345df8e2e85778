/**
 * Mentions per year as a bar chart (hand-drawn SVG), switchable by the page between paragraphs
 * and "per 10 000 words". Each bar is a keyboard-focusable link-like button. Years without mentions
 * between the first and last are drawn as zero so gaps are visible.
 * Output: `year-select` CustomEvent with detail { year } (null when the selected year is clicked again).
 */
import { LitElement, css, html, svg, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { YearCount } from '../../core/api-types.ts';
import { ChartWidth } from '../chart-width.ts';
import { sharedStyles } from '../styles/shared.ts';

export type ChartMetric = 'count' | 'per10k';

const PAD = { top: 18, right: 8, bottom: 28, left: 44 };

function fmt(n: number, metric: ChartMetric): string {
  return metric === 'count' ? n.toLocaleString('en-GB') : n.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

@customElement('year-chart')
export class YearChart extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      svg { width: 100%; height: auto; display: block; overflow: visible; }
      .bar { fill: var(--bar); }
      .bar.selected { fill: var(--bar-selected); }
      g.col { cursor: pointer; }
      g.col:hover .bar { fill: var(--primary-hover); }
      g.col:focus { outline: none; }
      g.col:focus-visible .hit { stroke: var(--focus); stroke-width: 3; fill: transparent; }
      .hit { fill: transparent; }
      text { font-size: 11px; fill: var(--text); font-family: inherit; }
      .axis { stroke: var(--border-strong); }
      .grid { stroke: var(--border); stroke-dasharray: 2 3; }
      .val { font-size: 10px; fill: var(--muted); }
      @media print { .bar, .bar.selected { fill: #333; } }
    `,
  ];

  @property({ attribute: false }) years: YearCount[] = [];
  @property() metric: ChartMetric = 'count';
  @property({ type: Number }) selected: number | null = null;

  private readonly width = new ChartWidth(this);

  override render(): TemplateResult | typeof nothing {
    if (this.years.length === 0) return nothing;
    const byYear = new Map(this.years.map((y) => [y.year, y]));
    const first = Math.min(...byYear.keys());
    const last = Math.max(...byYear.keys());
    const all: number[] = [];
    for (let y = first; y <= last; y++) all.push(y);
    const value = (y: number): number => {
      const c = byYear.get(y);
      if (!c) return 0;
      return this.metric === 'count' ? c.count : c.per10kWords;
    };
    const W = this.width.value;
    const H = W < 500 ? 180 : 220;
    const max = niceMax(Math.max(...all.map(value)));
    const iw = W - PAD.left - PAD.right;
    const ih = H - PAD.top - PAD.bottom;
    const step = iw / all.length;
    const bw = Math.max(2, Math.min(48, step * 0.7));
    const labelEvery = Math.max(1, Math.ceil(34 / step));
    const showValues = step >= (this.metric === 'count' ? 22 : 34);
    const unit = this.metric === 'count' ? 'paragraphs' : 'mentions per 10 000 words';
    const ticks = [0, max / 2, max];
    return html`<svg viewBox="0 0 ${W} ${H}" role="group" aria-label=${`Mentions per year, ${unit}. Select a year to show only that year.`}>
      ${ticks.map((t) => {
        const y = PAD.top + ih - (t / max) * ih;
        return svg`<line class=${t === 0 ? 'axis' : 'grid'} x1=${PAD.left} x2=${W - PAD.right} y1=${y} y2=${y}></line>
          <text x=${PAD.left - 6} y=${y + 4} text-anchor="end">${fmt(t, this.metric)}</text>`;
      })}
      ${all.map((year, i) => {
        const v = value(year);
        const c = byYear.get(year);
        const h = (v / max) * ih;
        const x = PAD.left + i * step + (step - bw) / 2;
        const y = PAD.top + ih - h;
        // The name starts with what the bar shows (its year, then its value), so the visible text is part of it.
        const label = c
          ? `${year}: ${this.metric === 'count'
            ? `${c.count} paragraphs, ${c.occurrences} mentions in ${c.reports} of ${c.reportsTotal} reports; ${fmt(c.per10kWords, 'per10k')} per 10 000 words`
            : `${fmt(c.per10kWords, 'per10k')} per 10 000 words; ${c.count} paragraphs, ${c.occurrences} mentions in ${c.reports} of ${c.reportsTotal} reports`}`
          : `${year}: no mentions`;
        return svg`<g class="col" role="button" tabindex="0" data-year=${year}
            aria-pressed=${this.selected === year ? 'true' : 'false'} aria-label=${label}
            @click=${() => this.select(year)} @keydown=${(e: KeyboardEvent) => this.onKey(e, year)}>
          <rect class="hit" x=${PAD.left + i * step} y=${PAD.top} width=${step} height=${ih}></rect>
          <rect class="bar ${this.selected === year ? 'selected' : ''}" x=${x} y=${y} width=${bw} height=${Math.max(0, h)}></rect>
          ${i % labelEvery === 0 ? svg`<text x=${PAD.left + i * step + step / 2} y=${H - PAD.bottom + 16} text-anchor="middle">${year}</text>` : nothing}
          ${v > 0 && showValues ? svg`<text class="val" x=${x + bw / 2} y=${y - 4} text-anchor="middle">${fmt(v, this.metric)}</text>` : nothing}
        </g>`;
      })}
    </svg>`;
  }

  private onKey(e: KeyboardEvent, year: number): void {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.select(year);
    }
  }

  private select(year: number): void {
    const next = this.selected === year ? null : year;
    this.dispatchEvent(new CustomEvent('year-select', { detail: { year: next }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'year-chart': YearChart;
  }
}
