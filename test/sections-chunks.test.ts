/** Paragraphs, sections and chunks of real reports (no embedding needed). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, ProcessedDoc } from '../core/types.ts';
import { processFile } from '../indexer/document.ts';
import { toParagraphs } from '../indexer/sections.ts';
import { CORPUS_DIR } from './helpers/corpus-index.ts';

async function load(source: string): Promise<ProcessedDoc> {
  return processFile(source, await readFile(join(CORPUS_DIR, source)), 'test');
}

const SLAC = 'seeds/001_014eb678741a591c.txt';
const ILACS = "ofsted-ilacs/80496_hackney/children's services inspection - 20 august 2024.pdf";
const SIF = "ofsted-ilacs/80500_havering/children's services inspection - 09 december 2016.pdf";

const docs: Record<string, ProcessedDoc> = {};
beforeAll(async () => {
  for (const s of [SLAC, ILACS, SIF, 'seeds/000_1086bae144af7f91.txt', 'seeds/002_d691791e27a777c7.txt']) docs[s] = await load(s);
});

describe('paragraphs and sections', () => {
  it('re-joins the Hackney 2012 paragraph 13 split by a stray break, and keeps numbers', () => {
    const d = docs[SLAC]!;
    const p13 = d.paragraphs.find((p) => p.number === '13')!;
    expect(p13.text).toContain('East London NHS Foundation Trust (ELFT) provides Hackney with specialist CAMHS');
    for (const n of ['14', '15', '16']) expect(d.paragraphs.filter((p) => p.number === n)).toHaveLength(1);
    const p14 = d.paragraphs.find((p) => p.number === '14')!;
    expect(p14.section).toContain('Safeguarding services');
    expect(p14.section[p14.section.length - 1]).toBe('Overall effectiveness');
  });

  it('detects outcome headings in the APA letter and drops OCR garbage', () => {
    const d = docs['seeds/000_1086bae144af7f91.txt']!;
    const headings = d.paragraphs.filter((p) => p.heading).map((p) => p.text);
    for (const h of ['Being healthy', 'Staying safe', 'Enjoying and achieving', 'Making a positive contribution']) expect(headings).toContain(h);
    expect(d.text).not.toMatch(/[а-яё]/i);
  });

  it('detects ILACS judgement headings and keeps PDF pages on every paragraph', () => {
    const d = docs[ILACS]!;
    const headings = d.paragraphs.filter((p) => p.heading).map((p) => p.text);
    expect(headings.some((h) => /^The experiences and progress of care leavers/i.test(h))).toBe(true);
    for (const p of d.paragraphs) {
      expect(p.pageStart).toBeGreaterThanOrEqual(1);
      expect(p.pageEnd!).toBeGreaterThanOrEqual(p.pageStart!);
    }
    const numbered = d.paragraphs.filter((p) => p.number !== null).map((p) => Number(p.number));
    expect(numbered.length).toBeGreaterThan(20);
    // Printed numbers run in order.
    expect([...numbered].sort((a, b) => a - b)).toEqual(numbered);
  });

  it('lays paragraphs out as the cleaned text: offsets point at their text', () => {
    for (const d of Object.values(docs)) {
      for (const p of d.paragraphs) expect(d.text.slice(p.start, p.end)).toBe(p.text);
    }
  });
});

describe('chunks', () => {
  it('never cross sections or documents, carry citations and point into the text', () => {
    for (const d of Object.values(docs)) {
      const bySection = new Map(d.paragraphs.map((p) => [p.start, p.section.join('>')]));
      for (const c of d.chunks) {
        expect(d.text.slice(c.start, c.end)).toBe(c.text);
        expect(c.docId).toBe(d.meta.id);
        expect(c.id.startsWith(`${d.meta.id}#${c.anchor}`)).toBe(true);
        const paras = d.paragraphs.filter((p) => p.end > c.start && p.start < c.end);
        expect(new Set(paras.map((p) => bySection.get(p.start))).size).toBe(1);
        expect(paras.every((p) => !p.heading)).toBe(true);
        expect(d.paragraphs.some((p) => p.anchor === c.anchor)).toBe(true);
      }
      expect(new Set(d.chunks.map((c) => c.id)).size).toBe(d.chunks.length);
    }
  });

  it('are mostly 40-300 words: short paragraphs merge and long ones split at sentences', () => {
    const all = Object.values(docs).flatMap((d) => d.chunks);
    const inRange = all.filter((c) => c.words >= 25 && c.words <= 320).length;
    expect(inRange / all.length).toBeGreaterThan(0.8);
    const committee = docs['seeds/002_d691791e27a777c7.txt']!;
    // Every part of a split paragraph but the last ends at a sentence boundary.
    const parts = committee.chunks.filter((c, i) => committee.chunks[i + 1]?.anchor === c.anchor);
    expect(parts.length).toBeGreaterThan(0);
    for (const c of parts) expect(c.text.trim()).toMatch(/[.!?:;)"'\]]$|…$/);
  });

  it('cite printed paragraph numbers and pages', () => {
    const d = docs[SIF]!;
    const cited = d.chunks.filter((c) => c.paragraphs.length > 0);
    expect(cited.length / d.chunks.length).toBeGreaterThan(0.6);
    expect(d.chunks.every((c) => c.pageStart !== null)).toBe(true);
  });
});

describe('heading and list rules', () => {
  const block = (text: string, hint?: Block['hint']): Block => ({ text, pageStart: null, pageEnd: null, ...(hint ? { hint } : {}) });

  it('detects numbered, ILACS judgement, ALL CAPS and Title Case headings and builds section paths', () => {
    const ps = toParagraphs([
      block('1. Purpose of the report'),
      block('1.1 This report sets out the budget position for children\'s services in the current year and the risks.'),
      block('2. Financial Implications'),
      block('3.2 Placement costs have risen because more children are placed in residential care out of area.'),
      block('The experiences and progress of care leavers: good'),
      block('Most care leavers live in suitable accommodation and are in touch with their personal advisers.'),
      block('ANNUAL PERFORMANCE ASSESSMENT'),
      block('Being Healthy'),
      block('Children and young people are generally healthy, and the council works well with health partners.'),
    ]);
    const headings = ps.filter((p) => p.heading).map((p) => p.text);
    expect(headings).toEqual(['1. Purpose of the report', '2. Financial Implications', 'The experiences and progress of care leavers: good', 'ANNUAL PERFORMANCE ASSESSMENT', 'Being Healthy']);
    const body = ps.filter((p) => !p.heading);
    expect(body.map((p) => p.number)).toEqual(['1.1', '3.2', null, null]);
    expect(body[0]!.section).toEqual(['1. Purpose of the report']);
    expect(body[1]!.section).toEqual(['2. Financial Implications']);
    expect(body[3]!.section).toEqual(['ANNUAL PERFORMANCE ASSESSMENT', 'Being Healthy']);
  });

  it('joins a numbered paragraph the layout cut after its first line, and does not take it for a heading', () => {
    // As read from a real 2018 ILACS PDF (Bolton): the first line of each numbered paragraph came as its own block.
    const page = (text: string): Block => ({ text, pageStart: 7, pageEnd: 7, hint: 'paragraph' });
    const ps = toParagraphs([
      page('26. Care leavers speak positively of their relationships with foster carers, and'),
      page("many care leavers are benefiting from 'staying put' with their carers as they move into adulthood."),
      page('30. In addition to the lead member, a further elected member has the role of'),
      page('corporate parenting champion.'),
    ]);
    expect(ps.map((p) => [p.heading, p.number])).toEqual([[false, '26'], [false, '30']]);
    expect(ps[0]!.text).toBe("26. Care leavers speak positively of their relationships with foster carers, and many care leavers are benefiting from 'staying put' with their carers as they move into adulthood.");
  });

  it('keeps a bullet list with its lead-in sentence', () => {
    const ps = toParagraphs([
      block('What needs to improve in this local authority?'),
      block('The local authority should improve:'),
      block('- the quality of pathway plans', 'list-item'),
      block('- access to suitable accommodation for care leavers.', 'list-item'),
      block('Leaders know their services well and have a clear plan for improvement in every area.'),
    ]);
    const body = ps.filter((p) => !p.heading);
    expect(body[0]!.text).toBe('The local authority should improve:\n- the quality of pathway plans\n- access to suitable accommodation for care leavers.');
    expect(body).toHaveLength(2);
  });
});
