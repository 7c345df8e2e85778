/**
 * ingestPdf on real Ofsted PDFs from corpus/ofsted-ilacs. Expected pages were found by hand with
 * `pdftotext -layout -f N -l N` (the test itself needs nothing but pdfjs). Broken PDFs are made
 * at run time: a truncated real file, a zero-byte file, a hand-built encrypted PDF, a PDF with a
 * page but no text, and an HTML page named .pdf.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import type { Block, IngestedText } from '../core/types.ts';
import { ingestPdf } from '../indexer/ingest/pdf.ts';

const DIR = new URL('../corpus/ofsted-ilacs/', import.meta.url);
const SIF_2016 = '80496_hackney/children\'s services inspection - 21 september 2016.pdf';
const ILACS_2023 = '80475_hertfordshire/children\'s services inspection - 10 march 2023.pdf';
const SIF_2015 = '80475_hertfordshire/children\'s services inspection - 27 november 2015.pdf';

const read = (rel: string): Uint8Array => new Uint8Array(readFileSync(new URL(encodeURI(rel), DIR)));
const docs = new Map<string, IngestedText>();

function allPdfs(): string[] {
  return readdirSync(DIR)
    .flatMap((d) => readdirSync(new URL(`${encodeURI(d)}/`, DIR)).map((f) => `${d}/${f}`))
    .filter((f) => f.endsWith('.pdf'))
    .sort();
}

beforeAll(async () => {
  for (const f of allPdfs()) docs.set(f, await ingestPdf(read(f)));
});

const doc = (f: string): IngestedText => docs.get(f)!;
/** The block that starts with a printed paragraph number, e.g. "29. ". */
function numbered(f: string, n: number): Block {
  const found = doc(f).blocks.filter((b) => b.text.startsWith(`${n}. `) && b.hint === 'paragraph');
  expect(found.length, `paragraph ${n} in ${f}`).toBeGreaterThanOrEqual(1);
  return found[0]!;
}

describe('ingestPdf on real reports', () => {
  it('reads every corpus PDF with pages and blocks', () => {
    expect(docs.size).toBe(9);
    for (const [f, d] of docs) {
      expect(d.format, f).toBe('pdf');
      expect(d.pages, f).toBeGreaterThan(5);
      expect(d.blocks.length, f).toBeGreaterThan(40);
      for (const b of d.blocks) {
        expect(b.pageStart! >= 1 && b.pageEnd! <= d.pages! && b.pageStart! <= b.pageEnd!, `${f}: ${b.text}`).toBe(true);
        expect(b.text.trim(), f).not.toBe('');
      }
    }
    expect(doc(SIF_2016).pages).toBe(44);
    expect(doc(ILACS_2023).pages).toBe(12);
  });

  it('removes running headers, footers and page numbers', () => {
    for (const [f, d] of docs) {
      for (const b of d.blocks) expect(/^\d{1,3}$/.test(b.text), `bare number block in ${f}: ${b.text}`).toBe(false);
    }
    // Footer of every page after the first: "Inspection of Hertfordshire local authority children's services"
    // and "23 to 27 January 2023 <page>". Only the cover title keeps the wording.
    const header = doc(ILACS_2023).blocks.filter((b) => /Inspection of Hertfordshire local authority children's services/.test(b.text));
    expect(header.map((b) => b.pageStart)).toEqual([1]);
    expect(doc(ILACS_2023).blocks.filter((b) => /^23 to 27 January 2023/.test(b.text))).toEqual([]);
  });

  it('puts paragraphs on the right pages', () => {
    const expectPages = (f: string, n: number, start: number, end: number): void => {
      const b = numbered(f, n);
      expect([b.pageStart, b.pageEnd], `paragraph ${n}: ${b.text.slice(0, 60)}`).toEqual([start, end]);
    };
    expectPages(SIF_2016, 10, 11, 11); // "10. The local authority receives referrals ..."
    expectPages(SIF_2016, 48, 20, 20);
    expectPages(SIF_2016, 71, 25, 25); // "71. Twelve adopters were approved ..."
    expectPages(ILACS_2023, 6, 3, 3); // "6. Children at risk of significant harm ..."
    expectPages(ILACS_2023, 13, 4, 4);
    expectPages(ILACS_2023, 20, 5, 5);
    expectPages(ILACS_2023, 39, 8, 8);
  });

  it('joins a paragraph split by a page break into one block', () => {
    const p14 = numbered(SIF_2016, 14);
    expect([p14.pageStart, p14.pageEnd]).toEqual([11, 12]);
    expect(p14.text).toContain('consulted about initial safeguarding decisions');
    expect(p14.text).toMatch(/insight and engagement in safeguarding decisions\. \(recommendation\)$/);
    const p19 = numbered(SIF_2016, 19);
    expect([p19.pageStart, p19.pageEnd]).toEqual([12, 13]);
    expect(p19.text).toContain('Inspectors saw cases where young people had been supported well to attend');
    const p32 = numbered(ILACS_2023, 32);
    expect([p32.pageStart, p32.pageEnd]).toEqual([6, 7]);
    expect(p32.text).toContain('Children who are at risk of exclusion receive timely and effective support.');
    // The continuation is not left behind as a block of its own.
    expect(doc(SIF_2016).blocks.some((b) => b.text.startsWith('been supported well to attend'))).toBe(false);
  });

  it('starts a block at every printed paragraph number', () => {
    const blocks = doc(SIF_2016).blocks;
    const starts = blocks.map((b) => /^(\d{1,3})\. /.exec(b.text)?.[1]).filter((n): n is string => n !== undefined).map(Number);
    for (let n = 10; n <= 120; n++) expect(starts, `paragraph ${n}`).toContain(n);
    // Paragraph 15 follows 14 without swallowing it.
    const i = blocks.findIndex((b) => b.text.startsWith('15. '));
    expect(blocks[i - 1]!.text.startsWith('14. ')).toBe(true);
    expect(blocks[i]!.text).toMatch(/^15\. Risks are appropriately identified/);
  });

  it('leaves no line-end hyphen artefacts or split words', () => {
    for (const [f, d] of docs) {
      const text = d.blocks.map((b) => b.text).join('\n');
      expect(text, f).not.toMatch(/safe- ?guard/i);
      expect(text, f).not.toMatch(/\bmulti- agency/);
      // "word- word" only for suspended hyphens ("short- and long-term") or as printed in the source.
      const odd = [...text.matchAll(/\b[a-z]{2,}- ([a-z]+)/g)].filter((m) => !['and', 'or', 'to', 'hour'].includes(m[1]!));
      expect(odd.map((m) => m[0]), f).toEqual([]);
    }
    expect(doc(SIF_2016).blocks.map((b) => b.text).join(' ')).toContain('multi-agency');
  });

  it('hints headings, list items and table rows', () => {
    const find = (f: string, text: string): Block | undefined => doc(f).blocks.find((b) => b.text === text);
    const h1 = find(SIF_2016, 'The experiences and progress of children who need help and protection');
    expect(h1?.hint).toBe('heading');
    expect(h1?.pageStart).toBe(10);
    expect(find(SIF_2015, 'The experiences and progress of children who need help and protection')?.hint).toBe('heading');
    expect(find(ILACS_2023, 'The experiences and progress of children in care: outstanding')?.hint).toBe('heading');
    expect(find(ILACS_2023, 'What needs to improve?')?.hint).toBe('heading');
    expect(find(SIF_2016, 'Executive summary')?.hint).toBe('heading');
    const levels = doc(SIF_2016).blocks.filter((b) => b.hint === 'heading').map((b) => b.level);
    expect(levels.every((l) => typeof l === 'number' && l >= 1)).toBe(true);
    expect(find(SIF_2016, "- The local authority does not operate any children's homes.")?.hint).toBe('list-item');
    // The cover's judgement table: wrapped first cells are joined, cells separated by " | ".
    expect(find(ILACS_2023, 'Overall effectiveness | Outstanding')?.hint).toBe('table-row');
    expect(find(ILACS_2023, 'The experiences and progress of children who need help and protection | Good')?.hint).toBe('table-row');
    // Body paragraphs are paragraphs.
    expect(numbered(ILACS_2023, 6).hint).toBe('paragraph');
  });

  it('normalises characters', () => {
    for (const [f, d] of docs) {
      const text = d.blocks.map((b) => b.text).join('\n');
      expect(text, f).not.toMatch(/[\u2018\u2019\u201C\u201D\uFB00-\uFB06\u00AD\uF000-\uF0FF]/);
    }
  });
});

/** A minimal PDF with the given extra objects (numbered from 4) and trailer entries. */
function buildPdf(extraObjects: string[], trailerExtra: string, pageExtra = ''): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ${pageExtra}>>`,
    ...extraObjects,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

const hex = (n: number, seed: number): string =>
  Array.from({ length: n }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');

async function expectUnreadable(bytes: Uint8Array, reason: RegExp): Promise<void> {
  const err = await ingestPdf(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('unreadable_file');
  expect((err as AppError).message).toMatch(/^Ingest: /);
  expect((err as AppError).message).toMatch(reason);
}

describe('ingestPdf on bad input', () => {
  it('rejects a zero-byte file', async () => {
    await expectUnreadable(new Uint8Array(0), /empty/);
  });

  it('rejects truncated PDFs', async () => {
    const bytes = read(ILACS_2023);
    for (const frac of [0.02, 0.5, 0.9]) await expectUnreadable(bytes.subarray(0, Math.floor(bytes.length * frac)), /invalid or truncated/);
  });

  it('rejects an encrypted PDF (password required)', async () => {
    // Standard security handler, RC4 128-bit, with O/U values no empty password matches.
    const pdf = buildPdf(
      [`<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <${hex(32, 11)}> /U <${hex(32, 97)}> >>`],
      `/Encrypt 4 0 R /ID [<${hex(16, 5)}> <${hex(16, 5)}>] `,
    );
    await expectUnreadable(pdf, /encrypted/);
  });

  it('rejects a PDF without a text layer', async () => {
    const pdf = buildPdf(['<< /Length 32 >>\nstream\n0 0 m 100 100 l S 10 10 m 20 20 l S\nendstream'], '', '/Contents 4 0 R ');
    await expectUnreadable(pdf, /no text layer/);
  });

  it('rejects an HTML page named .pdf', async () => {
    await expectUnreadable(new TextEncoder().encode('<!DOCTYPE html><html><body>Not found</body></html>'), /HTML/);
  });

  it('leaves the caller\'s buffer usable', async () => {
    const bytes = read(ILACS_2023);
    const before = bytes.length;
    await ingestPdf(bytes);
    expect(bytes.length).toBe(before);
    expect((await ingestPdf(bytes)).pages).toBe(12);
  });
});
