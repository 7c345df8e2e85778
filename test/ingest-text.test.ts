import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import type { Block } from '../core/types.ts';
import { ingestHtml } from '../indexer/ingest/html.ts';
import { ingestFile } from '../indexer/ingest/index.ts';
import { ingestText } from '../indexer/ingest/text.ts';
import { CORPUS_DIR, SHARED_DIR } from './helpers/corpus-index.ts';
import { requireFile } from './helpers/requirement.ts';

const SEEDS = join(CORPUS_DIR, 'seeds');
const BENCH_HTML = join(SHARED_DIR, 'bench-corpus', '80490_bromley', "children's services inspection - 17 august 2012.pdf");
const benchHtml = requireFile(BENCH_HTML, 'a file of ../shared/bench-corpus');
const seed = (prefix: string): Uint8Array => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  return readFileSync(join(SEEDS, name));
};
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const startingWith = (blocks: Block[], start: string): Block[] => blocks.filter((b) => b.text.startsWith(start));

const tmp = mkdtempSync(join(tmpdir(), 'ingest-text-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('ingestText on the seed reports', () => {
  const hackney2012 = ingestText(seed('001_'), 'txt');

  it('re-joins paragraph 13 of Hackney 2012 across the stray blank line', () => {
    const p13 = startingWith(hackney2012.blocks, '13. High level strategic planning');
    expect(p13).toHaveLength(1);
    expect(p13[0]!.text).toContain('(ELFT) provides Hackney with specialist CAMHS, adult mental health services');
    expect(p13[0]!.text).toMatch(/partnership health interventions across the borough\.$/);
    expect(hackney2012.blocks.filter((b) => b.text.startsWith('with specialist CAMHS'))).toHaveLength(0);
  });

  it('keeps numbered paragraphs 14, 15 and 16 on consecutive lines as separate blocks', () => {
    const [p14, p15, p16] = ['14. ', '15. ', '16. '].map((n) => startingWith(hackney2012.blocks, n));
    expect([p14, p15, p16].map((b) => b!.length)).toEqual([1, 1, 1]);
    expect(p14![0]!.text).toMatch(/^14\. The overall effectiveness of safeguarding services is good\..*service priorities\.$/);
    expect(p15![0]!.text).toMatch(/^15\. Hackney has delivered a radical reconfiguration/);
    expect(p16![0]!.text).not.toContain('17. ');
    const i14 = hackney2012.blocks.indexOf(p14![0]!);
    expect(hackney2012.blocks.slice(i14, i14 + 3)).toEqual([p14![0], p15![0], p16![0]]);
  });

  it('keeps headings and grades apart from the paragraphs around them', () => {
    const texts = hackney2012.blocks.map((b) => b.text);
    const i = texts.indexOf('Overall effectiveness');
    expect(i).toBeGreaterThan(0);
    expect(texts[i + 1]).toBe('Grade 2 (Good)');
    // "Partnership working**Grade 2 (Good)**" in the text is a lost line break: two blocks.
    const j = texts.indexOf('Partnership working');
    expect(j).toBeGreaterThan(0);
    expect(texts[j + 1]).toBe('Grade 2 (Good)');
    expect(texts.join('\n')).not.toContain('**');
  });

  it('drops the Cyrillic garbage cell of Hackney 2005 but keeps the rest of the table row', () => {
    const { blocks } = ingestText(seed('000_'), 'txt');
    expect(blocks.filter((b) => /[\u0400-\u04ff]/.test(b.text))).toEqual([]);
    const rows = blocks.filter((b) => b.hint === 'table-row');
    expect(rows.find((b) => b.text.includes('Making a positive contribution:'))?.text).toMatch(
      /^Staying safe: collaboration across agencies.* \| the proportion of looked after children/,
    );
    expect(rows.find((b) => b.text.startsWith('measures to seek the views of children and young people'))?.text).toMatch(
      /anti social behaviour more generally\.$/,
    );
    expect(rows.map((b) => b.text)).toContain('Strengths | Areas for improvement');
    expect(blocks.every((b) => !b.text.includes('\t'))).toBe(true);
  });

  it('re-joins "working with the police and" / "the health service" in Hackney 2005 across blank lines', () => {
    const { blocks } = ingestText(seed('000_'), 'txt');
    expect(blocks.some((b) => b.text.includes('Inter-agency working with the police and the health service is strong'))).toBe(true);
  });

  it('strips the <i> formatting tags of Hertfordshire 2006 and keeps the table text', () => {
    const { blocks } = ingestText(seed('004_'), 'txt');
    const all = blocks.map((b) => b.text).join('\n');
    expect(all).not.toMatch(/<\/?i>/);
    expect(blocks).toContainEqual(
      expect.objectContaining({
        hint: 'table-row',
        text: "The contribution of the local authority's children's services in maintaining and improving outcomes for children and young people. | 3",
      }),
    );
  });

  it('turns a bullet in front of a printed paragraph number into a numbered paragraph (Havering 2007)', () => {
    const { blocks } = ingestText(seed('003_'), 'txt');
    const p1 = startingWith(blocks, '1. This joint area review was conducted');
    expect(p1).toHaveLength(1);
    expect(p1[0]!.hint).toBe('paragraph');
  });

  it('gives every seed non-empty blocks with no pages and no page furniture characters', () => {
    for (const prefix of ['000_', '001_', '002_', '003_', '004_']) {
      const r = ingestText(seed(prefix), 'txt');
      expect(r.format).toBe('txt');
      expect(r.pages).toBeNull();
      expect(r.blocks.length).toBeGreaterThan(50);
      for (const b of r.blocks) {
        expect(b.text.trim()).toBe(b.text);
        expect(b.text).not.toBe('');
        expect(b.text).not.toMatch(/[\t\f\r]/);
        expect([b.pageStart, b.pageEnd]).toEqual([null, null]);
      }
    }
  });
});

describe('ingestText on made-up files', () => {
  it('decodes a Windows-1252 file with curly quotes and a pound sign', () => {
    const path = join(tmp, 'cp1252.txt');
    // “Care leavers” get £20 – the council’s offer.
    const bytes = Uint8Array.from([
      0x93, ...utf8('Care leavers'), 0x94, ...utf8(' get '), 0xa3, ...utf8('20 '), 0x96, ...utf8(' the council'), 0x92, ...utf8('s offer.\r\n'),
    ]);
    writeFileSync(path, bytes);
    const r = ingestText(readFileSync(path), 'txt');
    expect(r.blocks.map((b) => b.text)).toEqual(['"Care leavers" get £20 - the council\'s offer.']);
  });

  it('strips a UTF-8 BOM', () => {
    const r = ingestText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('Summary\n')]), 'txt');
    expect(r.blocks[0]!.text).toBe('Summary');
  });

  it('keeps tag-looking text that is not a formatting tag as literal text', () => {
    const r = ingestText(utf8('The page ran <script>alert(1)</script> and <b>bold</b> text.\n'), 'txt');
    expect(r.blocks.map((b) => b.text)).toEqual(['The page ran <script>alert(1)</script> and bold text.']);
  });

  it('counts pages from form feeds and joins a paragraph across a page break', () => {
    const text = 'Page one title\n\nThe local authority has made progress in improving the\f\nquality of plans for children.\n\n3. Next paragraph.\f';
    const r = ingestText(utf8(text), 'txt');
    expect(r.pages).toBe(2);
    expect(r.blocks).toEqual([
      { text: 'Page one title', pageStart: 1, pageEnd: 1, hint: 'paragraph' },
      { text: 'The local authority has made progress in improving the quality of plans for children.', pageStart: 1, pageEnd: 2, hint: 'paragraph' },
      { text: '3. Next paragraph.', pageStart: 2, pageEnd: 2, hint: 'paragraph' },
    ]);
  });

  it('does not join a short heading-like line or a finished sentence to a lower-case line', () => {
    const r = ingestText(utf8('Being healthy\nthe council works well.\nIt is good.\nand more follows here.\n'), 'txt');
    expect(r.blocks.map((b) => b.text)).toEqual(['Being healthy', 'the council works well.', 'It is good.', 'and more follows here.']);
  });

  it('reads Markdown headings, lists, emphasis, links, tables and soft-wrapped paragraphs', () => {
    const md = [
      '---',
      'title: "Hackney SEND update"',
      '---',
      '# Hackney SEND update',
      '',
      'The **strategic plan** covers _ten_ workstreams and',
      'links to the [SEND Strategy](https://example.org/send) in `2022`.',
      '',
      'Setext heading',
      '--------------',
      '',
      '## Key findings ##',
      '',
      '- First finding',
      '* Second finding that',
      '  wraps onto a second line',
      '1. Numbered item',
      '',
      '| Area | Grade |',
      '|------|------:|',
      '| Overall | Good |',
      '',
      '<!-- a comment -->',
      '> Quoted *words* here.',
    ].join('\n');
    const r = ingestText(utf8(md), 'md');
    expect(r.format).toBe('md');
    expect(r.title).toBe('Hackney SEND update');
    expect(r.blocks.map(({ text, hint, level }) => ({ text, hint, level }))).toEqual([
      { text: 'Hackney SEND update', hint: 'heading', level: 1 },
      { text: 'The strategic plan covers ten workstreams and links to the SEND Strategy in 2022.', hint: 'paragraph', level: undefined },
      { text: 'Setext heading', hint: 'heading', level: 2 },
      { text: 'Key findings', hint: 'heading', level: 2 },
      { text: '- First finding', hint: 'list-item', level: undefined },
      { text: '- Second finding that wraps onto a second line', hint: 'list-item', level: undefined },
      { text: '1. Numbered item', hint: 'list-item', level: undefined },
      { text: 'Area | Grade', hint: 'table-row', level: undefined },
      { text: 'Overall | Good', hint: 'table-row', level: undefined },
      { text: 'Quoted words here.', hint: 'paragraph', level: undefined },
    ]);
  });

  it('keeps snake_case and arithmetic stars in Markdown', () => {
    const r = ingestText(utf8('Field child_in_need and 2 * 3 * 4 stay.\n'), 'md');
    expect(r.blocks[0]!.text).toBe('Field child_in_need and 2 * 3 * 4 stay.');
  });
});

describe('ingestHtml', () => {
  const page = `<!DOCTYPE html><html><head><title>Hackney &ndash; inspection</title><style>p { color: red }</style></head>
<body><header><a href="/">Site name</a></header><nav><ul><li>Home</li></ul></nav>
<div class="cookie-banner"><p>We use cookies</p></div>
<main><h1>Inspection of Hackney</h1>
<p>The page quoted &lt;script&gt;alert(1)&lt;/script&gt; in its text, cost &pound;5 and said &#8220;good&#8221;.</p>
<h2>What needs to improve</h2>
<ul><li>The quality of plans</li><li>Supervision</li></ul>
<ol start="4"><li>The overall effectiveness of services is good. Leaders have a clear vision and a detailed knowledge of their services and of the children.</li></ol>
<table><tr><th>Judgement</th><th>Grade</th></tr><tr><td>Overall <b>effectiveness</b></td><td>Good</td></tr></table>
<script>document.write("<p>not text</p>")</script><p hidden>hidden text</p>
</main><footer><p>Crown copyright</p></footer></body></html>`;
  const r = ingestHtml(utf8(page));

  it('takes the title, headings with levels, list items, numbered paragraphs and table rows from <main>', () => {
    expect(r.format).toBe('html');
    expect(r.title).toBe('Hackney - inspection');
    expect(r.pages).toBeNull();
    expect(r.blocks.map(({ text, hint, level }) => ({ text, hint, level }))).toEqual([
      { text: 'Inspection of Hackney', hint: 'heading', level: 1 },
      { text: 'The page quoted <script>alert(1)</script> in its text, cost £5 and said "good".', hint: 'paragraph', level: undefined },
      { text: 'What needs to improve', hint: 'heading', level: 2 },
      { text: '- The quality of plans', hint: 'list-item', level: undefined },
      { text: '- Supervision', hint: 'list-item', level: undefined },
      {
        text: '4. The overall effectiveness of services is good. Leaders have a clear vision and a detailed knowledge of their services and of the children.',
        hint: 'paragraph',
        level: undefined,
      },
      { text: 'Judgement | Grade', hint: 'table-row', level: undefined },
      { text: 'Overall effectiveness | Good', hint: 'table-row', level: undefined },
    ]);
  });

  it('drops header, nav, footer, cookie banner, script and hidden content without <main> too', () => {
    const noMain = ingestHtml(utf8(page.replace(/<\/?main>/g, '')));
    const all = noMain.blocks.map((b) => b.text).join('\n');
    for (const gone of ['Site name', 'Home', 'We use cookies', 'not text', 'hidden text', 'Crown copyright', 'color: red']) {
      expect(all).not.toContain(gone);
    }
    expect(noMain.blocks).toHaveLength(r.blocks.length);
  });
});

describe('ingestFile', () => {
  it('reads a seed as txt', async () => {
    const r = await ingestFile(seed('001_'), 'seeds/001.txt');
    expect(r.format).toBe('txt');
    expect(r.blocks.length).toBeGreaterThan(100);
  });

  it.skipIf(benchHtml.skip)('reads the HTML page named .pdf in ../shared/bench-corpus as html', async () => {
    benchHtml.assert();
    const r = await ingestFile(readFileSync(BENCH_HTML), BENCH_HTML);
    expect(r.format).toBe('html');
    expect(r.title).toBe('Report not found - Find an Inspection Report - Ofsted');
    expect(r.blocks[0]).toMatchObject({ text: 'Report not found', hint: 'heading', level: 1 });
    expect(r.blocks.map((b) => b.text).join('\n')).not.toMatch(/cookies|Crown copyright|jquery/i);
  });

  it('hands a corpus PDF to the PDF reader', async () => {
    const dir = join(CORPUS_DIR, 'ofsted-ilacs', '80496_hackney');
    const name = readdirSync(dir).find((f) => f.endsWith('20 august 2024.pdf'))!;
    const r = await ingestFile(readFileSync(join(dir, name)), name);
    expect(r.format).toBe('pdf');
    expect(r.pages).toBeGreaterThan(5);
    expect(r.blocks.length).toBeGreaterThan(20);
    expect(r.blocks.every((b) => b.pageStart !== null && b.pageStart >= 1 && b.pageStart <= r.pages!)).toBe(true);
  });

  it('turns a broken PDF into unreadable_file', async () => {
    const err = await ingestFile(utf8('%PDF-1.4\n1 0 obj\n'), 'broken.pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unreadable_file');
    expect((err as AppError).message).toMatch(/^Ingest: \S/);
  });

  it('throws unreadable_file with the skip reason for files it cannot use', async () => {
    const cases: Array<[Uint8Array, string, string]> = [
      [new Uint8Array(0), 'a.txt', 'Ingest: empty file'],
      [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'chart.pdf', 'Ingest: binary file (PNG image)'],
      [utf8('a,b\n1,2\n'), 'data.csv', 'Ingest: unsupported file type .csv'],
    ];
    for (const [bytes, name, message] of cases) {
      const err = await ingestFile(bytes, name).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'unreadable_file', message });
    }
  });
});
