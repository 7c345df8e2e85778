/**
 * Themes compared: mentions per 10 000 words by year (the years that have reports), one line per theme (hand-drawn SVG), each
 * theme with its own colour, marker shape and dash so colour is never the only cue, a legend, and
 * the same numbers as a table under the chart (the chart's text alternative).
 */
import { LitElement, css, html, svg, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { YearCount } from '../../core/api-types.ts';
import { ChartWidth } from '../chart-width.ts';
import { sharedStyles } from '../styles/shared.ts';

export interface ThemeSeries {
  query: string;
  byYear: YearCount[];
}

const STYLES = [
  { color: '#1a4f8f', dash: '', marker: 'circle' },
  { color: '#b35c00', dash: '6 3', marker: 'square' },
  { color: '#0b5c38', dash: '2 3', marker: 'triangle' },
  { color: '#5a2a82', dash: '8 3 2 3', marker: 'diamond' },
] as const;

const PAD = { top: 14, right: 12, bottom: 28, left: 44 };

/** A theme as the page names it: in curly quotes, unless it is a quoted phrase already. */
export function themeName(q: string): string {
  return /^(exact:)?".*"$/.test(q.trim()) ? q.trim() : `“${q.trim()}”`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function marker(kind: (typeof STYLES)[number]['marker'], x: number, y: number, color: string): TemplateResult {
  const r = 4;
  if (kind === 'circle') return svg`<circle cx=${x} cy=${y} r=${r} fill=${color}></circle>`;
  if (kind === 'square') return svg`<rect x=${x - r} y=${y - r} width=${2 * r} height=${2 * r} fill=${color}></rect>`;
  if (kind === 'triangle') return svg`<polygon points=${`${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}`} fill=${color}></polygon>`;
  return svg`<polygon points=${`${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}`} fill=${color}></polygon>`;
}

@customElement('themes-chart')
export class ThemesChart extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      svg { width: 100%; height: auto; display: block; overflow: visible; }
      text { font-size: 11px; fill: var(--text); font-family: inherit; }
      .axis { stroke: var(--border-strong); }
      .grid { stroke: var(--border); stroke-dasharray: 2 3; }
      ul.legend { list-style: none; padding: 0; margin: 0.4rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
      ul.legend li { display: inline-flex; align-items: center; gap: 0.35rem; overflow-wrap: anywhere; }
      table { border-collapse: collapse; font-size: 0.9rem; margin-top: 0.5rem; }
      caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
      th, td { border-bottom: 1px solid var(--border); padding: 0.15rem 0.5rem; text-align: right; font-variant-numeric: tabular-nums; }
      th:first-child, td:first-child { text-align: left; }
      .scroll { overflow-x: auto; }
      .scroll:focus-visible { outline: 3px solid var(--focus); }
    `,
  ];

  @property({ attribute: false }) series: ThemeSeries[] = [];

  private readonly width = new ChartWidth(this);

  /** The years with reports (in any theme's counts: years without reports have no rate), and each theme's value per year. */
  private grid(): { years: number[]; values: number[][] } {
    const years = [...new Set(this.series.flatMap((s) => s.byYear.map((y) => y.year)))].sort((a, b) => a - b);
    const values = this.series.map((s) => {
      const by = new Map(s.byYear.map((y) => [y.year, y.per10kWords]));
      return years.map((y) => by.get(y) ?? 0);
    });
    return { years, values };
  }

  override render(): TemplateResult | typeof nothing {
    const { years, values } = this.grid();
    if (years.length === 0) return nothing;
    const W = this.width.value;
    const H = W < 500 ? 190 : 240;
    const max = niceMax(Math.max(...values.flat()));
    const iw = W - PAD.left - PAD.right;
    const ih = H - PAD.top - PAD.bottom;
    const x = (i: number): number => PAD.left + (years.length === 1 ? iw / 2 : (i / (years.length - 1)) * iw);
    const y = (v: number): number => PAD.top + ih - (v / max) * ih;
    const labelEvery = Math.max(1, Math.ceil(34 / (iw / years.length)));
    const names = this.series.map((s) => themeName(s.query)).join(', ');
    return html`
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${`Mentions per 10 000 words by year of ${names}. The table below the chart gives the numbers.`}>
        ${[0, max / 2, max].map((t) => svg`<line class=${t === 0 ? 'axis' : 'grid'} x1=${PAD.left} x2=${W - PAD.right} y1=${y(t)} y2=${y(t)}></line>
          <text x=${PAD.left - 6} y=${y(t) + 4} text-anchor="end">${fmt(t)}</text>`)}
        ${years.map((yr, i) => (i % labelEvery === 0 ? svg`<text x=${x(i)} y=${H - PAD.bottom + 16} text-anchor="middle">${yr}</text>` : nothing))}
        ${values.map((vs, s) => {
          const st = STYLES[s % STYLES.length]!;
          return svg`<g data-theme=${s}>
            <polyline fill="none" stroke=${st.color} stroke-width="2" stroke-dasharray=${st.dash} points=${vs.map((v, i) => `${x(i)},${y(v)}`).join(' ')}></polyline>
            ${vs.map((v, i) => marker(st.marker, x(i), y(v), st.color))}
          </g>`;
        })}
      </svg>
      <ul class="legend" aria-label="Themes">
        ${this.series.map((s, i) => {
          const st = STYLES[i % STYLES.length]!;
          return html`<li><svg width="34" height="12" aria-hidden="true" style="width:34px;display:inline"><line x1="0" x2="34" y1="6" y2="6" stroke=${st.color} stroke-width="2" stroke-dasharray=${st.dash}></line>${marker(st.marker, 17, 6, st.color)}</svg>${themeName(s.query)}</li>`;
        })}
      </ul>
      <div class="scroll" tabindex="0" role="region" aria-labelledby="numbers-caption">
        <table data-testid="chart-table">
          <caption id="numbers-caption">The chart's numbers: mentions per 10 000 words</caption>
          <thead><tr><th scope="col">Year</th>${this.series.map((s) => html`<th scope="col">${themeName(s.query)}</th>`)}</tr></thead>
          <tbody>${years.map((yr, i) => html`<tr><th scope="row">${yr}</th>${values.map((vs) => html`<td>${fmt(vs[i]!)}</td>`)}</tr>`)}</tbody>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'themes-chart': ThemesChart;
  }
}
