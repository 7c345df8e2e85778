import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, detectFormat, extensionOf } from '../indexer/detect.ts';
import { CORPUS_DIR, SHARED_DIR } from './helpers/corpus-index.ts';
import { requireFile } from './helpers/requirement.ts';

const CORPUS = CORPUS_DIR;
const BENCH = join(SHARED_DIR, 'bench-corpus');
const BENCH_HTML = "80490_bromley/children's services inspection - 17 august 2012.pdf";

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Array<Uint8Array | number[]>): Uint8Array => {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};

describe('detectFormat on the real corpus', () => {
  const files = listFiles(CORPUS).sort();

  it('finds the 14 corpus files', () => {
    expect(files).toHaveLength(14);
  });

  it.each(files.map((f) => [relative(CORPUS, f)]))('%s', (rel) => {
    const expected = rel.endsWith('.pdf') ? 'pdf' : 'txt';
    expect(detectFormat(readFileSync(join(CORPUS, rel)), rel)).toEqual({ format: expected });
  });

  const benchHtml = requireFile(join(BENCH, BENCH_HTML), 'a file of ../shared/bench-corpus');
  it.skipIf(benchHtml.skip)('detects the HTML page downloaded under a .pdf name in ../shared/bench-corpus as html', () => {
    benchHtml.assert();
    const path = join(BENCH, BENCH_HTML);
    expect(detectFormat(readFileSync(path), BENCH_HTML)).toEqual({ format: 'html' });
  });

  const bench = requireFile(BENCH, '../shared/bench-corpus');
  it.skipIf(bench.skip)('detects every other bench-corpus file as pdf', () => {
    bench.assert();
    const others = listFiles(BENCH).filter((f) => !f.endsWith(BENCH_HTML));
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) {
      // Only the first KB decides a PDF; reading all 60 files whole is not needed.
      const head = readFileSync(f).subarray(0, 4096);
      expect([relative(BENCH, f), detectFormat(head, f)]).toEqual([relative(BENCH, f), { format: 'pdf' }]);
    }
  });
});

describe('detectFormat on made-up files', () => {
  it('skips an empty file', () => {
    expect(detectFormat(new Uint8Array(0), 'report.pdf')).toEqual({ skip: 'empty file' });
  });

  it('skips files with NUL bytes as binary', () => {
    const bytes = concat(ascii('some text'), [0, 0, 1, 2, 3], ascii('more text'));
    expect(detectFormat(bytes, 'notes.txt')).toEqual({ skip: 'binary file (unrecognised data)' });
  });

  it('names zip, docx, PNG, JPEG and exe files by their magic, whatever the name', () => {
    const zip = concat([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0], ascii('data.csv'), [0, 0, 9, 8]);
    expect(detectFormat(zip, 'report.txt')).toEqual({ skip: 'binary file (zip archive)' });
    const docx = concat([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0], ascii('[Content_Types].xml'), [0, 1], ascii('word/document.xml'));
    expect(detectFormat(docx, 'report.docx')).toEqual({ skip: 'binary file (Word document .docx)' });
    const png = concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], ascii('IHDR'));
    expect(detectFormat(png, 'chart.pdf')).toEqual({ skip: 'binary file (PNG image)' });
    expect(detectFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), 'photo.jpg')).toEqual({ skip: 'binary file (JPEG image)' });
    const exe = concat(ascii('MZ'), [0x90, 0, 3, 0, 0, 0, 4, 0]);
    expect(detectFormat(exe, 'setup.exe')).toEqual({ skip: 'binary file (Windows executable)' });
  });

  it('does not mistake text that starts like a magic number for binary', () => {
    expect(detectFormat(ascii('MZ Smith, Director of Children\u2019s Services'), 'letter.txt')).toEqual({ format: 'txt' });
  });

  it('reads Windows-1252 text as text', () => {
    // “Care leavers” cost £20 – 0x93/0x94 quotes, 0xA3 pound, 0x96 dash: invalid UTF-8.
    const bytes = concat([0x93], ascii('Care leavers'), [0x94], ascii(' cost '), [0xa3], ascii('20 '), [0x96], ascii(' a year.\r\n'));
    expect(detectFormat(bytes, 'cp1252.txt')).toEqual({ format: 'txt' });
    expect(detectFormat(bytes, 'cp1252.md')).toEqual({ format: 'md' });
    expect(decodeText(bytes)).toEqual({ text: '\u201cCare leavers\u201d cost \u00a320 \u2013 a year.\r\n', encoding: 'windows-1252' });
  });

  it('decodes UTF-8 with and without a BOM, and UTF-16 with a BOM', () => {
    expect(decodeText(concat([0xef, 0xbb, 0xbf], ascii('Caf\u00e9')))).toEqual({ text: 'Caf\u00e9', encoding: 'utf-8' });
    expect(decodeText(ascii('\u00a3 5'))).toEqual({ text: '\u00a3 5', encoding: 'utf-8' });
    const utf16 = concat([0xff, 0xfe], Uint8Array.from([...'Hi \u00a3'].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])));
    expect(decodeText(utf16)).toEqual({ text: 'Hi \u00a3', encoding: 'utf-16le' });
    expect(detectFormat(utf16, 'wide.txt')).toEqual({ format: 'txt' });
  });

  it('finds HTML by content, also under other names', () => {
    const page = ascii('\n  <!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Hi</p></body></html>');
    expect(detectFormat(page, 'report.pdf')).toEqual({ format: 'html' });
    expect(detectFormat(page, 'report.txt')).toEqual({ format: 'html' });
    expect(detectFormat(ascii('<HTML><BODY>Old page</BODY></HTML>'), 'x.pdf')).toEqual({ format: 'html' });
    expect(detectFormat(ascii('<p>fragment</p>'), 'fragment.htm')).toEqual({ format: 'html' });
  });

  it('keeps a text report that quotes HTML as text', () => {
    const text = ascii('The council website used <html> tags and a <body> element.\n');
    expect(detectFormat(text, 'notes.txt')).toEqual({ format: 'txt' });
  });

  it('accepts a PDF after leading junk but not a text file that mentions %PDF-', () => {
    const pdf = concat(ascii('HTTP junk\r\n\r\n'), ascii('%PDF-1.7\n'), [0xe2, 0xe3, 0xcf, 0xd3, 0x0a, 0, 1, 2], ascii('\n%%EOF\n'));
    expect(detectFormat(pdf, 'download.bin')).toEqual({ format: 'pdf' });
    expect(detectFormat(ascii('Save the file as %PDF-1.4 for the archive.\n'), 'howto.txt')).toEqual({ format: 'txt' });
  });

  it('skips text with an unsupported extension, or none, and a text file posing as a PDF', () => {
    expect(detectFormat(ascii('a,b,c\n1,2,3\n'), 'data.CSV')).toEqual({ skip: 'unsupported file type .csv' });
    expect(detectFormat(ascii('{"a":1}'), 'x.json')).toEqual({ skip: 'unsupported file type .json' });
    expect(detectFormat(ascii('hello'), 'README')).toEqual({ skip: 'unsupported file type (no extension)' });
    expect(detectFormat(ascii('Not found'), 'report.pdf')).toEqual({ skip: 'not a PDF: file named .pdf holds text without a %PDF- header' });
  });

  it('takes the extension from the last path segment', () => {
    expect(extensionOf('a.b/c')).toBe('');
    expect(extensionOf("x/children's services - 1 may.PDF")).toBe('pdf');
    expect(extensionOf('.hidden')).toBe('');
  });
});
