/**
 * A council's reports on a time axis (hand-drawn SVG): one marker per report at its date, its
 * overall grade written under the year (and shown by the marker's shape and colour, so colour is
 * never the only cue), and each boundary change as a dashed line with what changed. The record's
 * table (council-page) is the chart's text alternative: the SVG's label says so.
 */
import { LitElement, css, html, svg, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CouncilResponse } from '../../core/api-types.ts';
import { ChartWidth } from '../chart-width.ts';
import { sharedStyles } from '../styles/shared.ts';

type Report = CouncilResponse['reports'][number];
type Change = CouncilResponse['changes'][number];

const PAD = { left: 16, right: 16 };
/** Height of one row of labels under the axis. */
const ROW = 30;

interface Look {
  label: string;
  color: string;
  shape: 'circle' | 'square' | 'diamond' | 'triangle' | 'ring';
}

/** The overall grade as the marker shows it. */
export function gradeLook(grade: string | undefined): Look {
  if (!grade) return { label: 'no overall grade', color: '#4e5659', shape: 'ring' };
  if (grade.startsWith('outstanding')) return { label: 'outstanding', color: '#0b5c38', shape: 'diamond' };
  if (grade.startsWith('good')) return { label: 'good', color: '#1a4f8f', shape: 'circle' };
  if (grade.startsWith('requires') || grade.startsWith('adequate')) return { label: grade.startsWith('adequate') ? 'adequate' : 'requires improvement', color: '#8a5a00', shape: 'square' };
  if (grade.startsWith('inadequate')) return { label: 'inadequate', color: '#b3261e', shape: 'triangle' };
  return { label: grade, color: '#4e5659', shape: 'ring' };
}

function shapeAt(look: Look, x: number, y: number): TemplateResult {
  const r = 6;
  const c = look.color;
  if (look.shape === 'circle') return svg`<circle cx=${x} cy=${y} r=${r} fill=${c}></circle>`;
  if (look.shape === 'square') return svg`<rect x=${x - r} y=${y - r} width=${2 * r} height=${2 * r} fill=${c}></rect>`;
  if (look.shape === 'diamond') return svg`<polygon points=${`${x},${y - r - 2} ${x + r + 2},${y} ${x},${y + r + 2} ${x - r - 2},${y}`} fill=${c}></polygon>`;
  if (look.shape === 'triangle') return svg`<polygon points=${`${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}`} fill=${c}></polygon>`;
  return svg`<circle cx=${x} cy=${y} r=${r - 1} fill="#fff" stroke=${c} stroke-width="2"></circle>`;
}

/** Fractional year of a YYYY-MM-DD date (or of a year alone, mid-year). */
function when(date: string | null, year: number | null): number | null {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  if (m) return Number(m[1]) + (Number(m[2]) - 1) / 12 + (Number(m[3]) - 1) / 365;
  return year !== null ? year + 0.5 : null;
}

/** "Buckinghamshire County Council became Buckinghamshire", "Northamptonshire was replaced by North Northamptonshire and West Northamptonshire". */
export function changeText(c: Change): string {
  const from = c.predecessors.join(' and ');
  const to = c.successors.join(' and ');
  if (c.predecessors.length === 1) return `${from} ${c.successors.length === 1 ? 'became' : 'was replaced by'} ${to}`;
  return `${from} were replaced by ${to}`;
}

function shortDate(date: string | null, year: number | null): string {
  if (!date) return year !== null ? String(year) : 'undated';
  return new Date(`${date.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

@customElement('council-timeline')
export class CouncilTimeline extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; margin: 0.5rem 0 0.75rem; }
      svg { width: 100%; height: auto; display: block; overflow: visible; }
      text { font-size: 11px; fill: var(--text); font-family: inherit; }
      text.grade { fill: var(--muted); }
      .axis { stroke: var(--border-strong); }
      .tick { stroke: var(--border-strong); }
      .change { stroke: var(--text); stroke-dasharray: 4 3; }
      ul.legend { list-style: none; padding: 0; margin: 0.3rem 0; display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.88rem; }
      ul.legend li { display: inline-flex; align-items: center; gap: 0.3rem; }
    `,
  ];

  @property({ attribute: false }) reports: Report[] = [];
  @property({ attribute: false }) changes: Change[] = [];
  /** Id of the table that gives the same facts (named in the chart's label). */
  @property() tableName = 'the table below';

  private readonly width = new ChartWidth(this);

  override render(): TemplateResult | typeof nothing {
    const points = this.reports.map((r) => ({ r, t: when(r.doc.date, r.doc.year) })).filter((p): p is { r: Report; t: number } => p.t !== null);
    if (points.length === 0) return nothing;
    const changes = this.changes.map((c) => ({ c, t: when(c.date, null)! }));
    const ts = [...points.map((p) => p.t), ...changes.map((c) => c.t)];
    const start = Math.floor(Math.min(...ts));
    const end = Math.floor(Math.max(...ts)) + 1;
    const W = this.width.value;
    const iw = W - PAD.left - PAD.right;
    const x = (t: number): number => PAD.left + ((t - start) / Math.max(1, end - start)) * iw;
    // Labels (year, grade) go on the first row under the axis where they do not overlap.
    const rowsEnd: number[] = [];
    const placed = points.map((p) => {
      const px = x(p.t);
      const look = gradeLook(p.r.grades.find((g) => g.area === 'overall')?.grade);
      const half = Math.max(26, look.label.length * 3.1);
      // The label stays inside the chart; the marker stays at its date.
      const at = Math.min(W - PAD.right - half + 8, Math.max(PAD.left + half - 8, px));
      let row = rowsEnd.findIndex((e) => e < at - half);
      if (row < 0) row = rowsEnd.length;
      rowsEnd[row] = at + half;
      return { ...p, px, lx: at, look, row };
    });
    const changeRowTop = 14;
    const axisY = changes.length > 0 ? 44 : 16;
    const H = axisY + 20 + rowsEnd.length * ROW;
    const yearEvery = Math.max(1, Math.ceil(40 / (iw / Math.max(1, end - start))));
    const label = `Timeline of ${points.length} report${points.length === 1 ? '' : 's'}, ${start} to ${end - 1}, with the overall grade of each${
      changes.length ? ` and ${changes.length} boundary change${changes.length === 1 ? '' : 's'}` : ''}. ${this.tableName} gives the judgements of every area.`;
    const looks = [...new Map(placed.map((p) => [p.look.label, p.look])).values()];
    return html`
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${label} data-testid="timeline">
        ${changes.map(({ c, t }) => {
          const cx = x(t);
          const right = cx > W / 2;
          const day = new Date(`${c.date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
          // The whole change where it fits (about 6 px a character), else its date: the list above names it.
          const full = `${day}: ${changeText(c)}`;
          const text = full.length * 6 < (right ? cx - 4 : W - cx - 4) ? full : `${day}: boundary change`;
          return svg`<g data-testid="change">
            <line class="change" x1=${cx} x2=${cx} y1=${changeRowTop + 4} y2=${H - 4}></line>
            <text x=${cx + (right ? -4 : 4)} y=${changeRowTop} text-anchor=${right ? 'end' : 'start'}>${text}</text>
          </g>`;
        })}
        <line class="axis" x1=${PAD.left} x2=${W - PAD.right} y1=${axisY} y2=${axisY}></line>
        ${Array.from({ length: end - start + 1 }, (_, i) => start + i).map((yr, i) => svg`
          <line class="tick" x1=${x(yr)} x2=${x(yr)} y1=${axisY - 3} y2=${axisY + 3}></line>
          ${i % yearEvery === 0 && yr < end ? svg`<text class="grade" x=${x(yr + 0.5)} y=${axisY - 6} text-anchor="middle">${yr}</text>` : nothing}`)}
        ${placed.map((p) => svg`<g data-testid="report">
          <line class="tick" x1=${p.px} x2=${p.px} y1=${axisY} y2=${axisY + 12 + p.row * ROW}></line>
          ${shapeAt(p.look, p.px, axisY)}
          <text x=${p.lx} y=${axisY + 20 + p.row * ROW} text-anchor="middle">${shortDate(p.r.doc.date, p.r.doc.year)}</text>
          <text class="grade" x=${p.lx} y=${axisY + 32 + p.row * ROW} text-anchor="middle">${p.look.label}</text>
        </g>`)}
      </svg>
      <ul class="legend" aria-label="Overall grade markers">
        ${looks.map((l) => html`<li><svg width="18" height="18" aria-hidden="true" style="width:18px;display:inline">${shapeAt(l, 9, 9)}</svg>${l.label}</li>`)}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'council-timeline': CouncilTimeline;
  }
}
