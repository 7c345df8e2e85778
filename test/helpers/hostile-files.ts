/**
 * Hostile and broken documents, made at test time as bytes: PDFs written by hand (text pages,
 * an image-only "scan", an RC4-encrypted one needing a password, truncated ones), Windows-1252
 * text, text with NUL bytes, a name with quotes/spaces/non-ASCII, and a report whose text is
 * HTML/JS. writeHostileCorpus() lays them out in a folder and says what the indexer must do.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const enc = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A PDF string literal: backslash, parentheses escaped (ASCII text only). */
function pdfString(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function pageContent(lines: string[]): string {
  const ops = ['BT', '/F1 11 Tf', '14 TL', '72 740 Td'];
  for (const line of lines) ops.push(`${pdfString(line)} Tj T*`);
  ops.push('ET');
  return ops.join('\n');
}

interface PdfObject {
  /** Dictionary (without stream) or any other object text. */
  dict: string;
  stream?: Uint8Array;
}

/** Serialise numbered objects (1..n) with an xref table; `encrypt` turns stream bytes into cipher text. */
function serialise(objects: PdfObject[], trailerExtra: string, encrypt?: (objNum: number, bytes: Uint8Array) => Uint8Array): Uint8Array {
  const chunks: Buffer[] = [enc('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let at = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    const num = i + 1;
    offsets.push(at);
    let body: Buffer;
    if (o.stream) {
      const data = encrypt ? encrypt(num, o.stream) : o.stream;
      const dict = o.dict.replace(/>>\s*$/, ` /Length ${data.length} >>`);
      body = Buffer.concat([enc(`${num} 0 obj\n${dict}\nstream\n`), Buffer.from(data), enc('\nendstream\nendobj\n')]);
    } else {
      body = enc(`${num} 0 obj\n${o.dict}\nendobj\n`);
    }
    chunks.push(body);
    at += body.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(enc(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${at}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

/** Catalog, page tree, one Helvetica font, then a page + content stream per page. */
function pageObjects(pages: Array<{ content: string; resources: string }>, extra: PdfObject[] = []): PdfObject[] {
  const firstPage = 4 + extra.length;
  const kids = pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
  const objects: PdfObject[] = [
    { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
    { dict: `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>` },
    { dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' },
    ...extra,
  ];
  pages.forEach((p, i) => {
    const contentNum = firstPage + i * 2 + 1;
    objects.push({ dict: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources ${p.resources} /Contents ${contentNum} 0 R >>` });
    objects.push({ dict: '<< >>', stream: enc(p.content) });
  });
  return objects;
}

const FONT_RESOURCES = '<< /Font << /F1 3 0 R >> >>';

/** A PDF with a real text layer: one array of lines per page. */
export function textPdf(pages: string[][]): Uint8Array {
  return serialise(pageObjects(pages.map((lines) => ({ content: pageContent(lines), resources: FONT_RESOURCES }))), '');
}

/** A "scanned" PDF: every page is only an image (a grey 8x8 bitmap), no text layer at all. */
export function imageOnlyPdf(pageCount = 2): Uint8Array {
  const pixels = new Uint8Array(64).map((_, i) => (i * 37) % 256);
  const image: PdfObject = { dict: '<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 >>', stream: pixels };
  const pages = Array.from({ length: pageCount }, () => ({ content: 'q 400 0 0 560 100 140 cm /Im1 Do Q', resources: '<< /XObject << /Im1 4 0 R >> >>' }));
  return serialise(pageObjects(pages, [image]), '');
}

// --- Standard security handler, RC4 40-bit (V 1, R 2), as in PDF 1.7 section 7.6.3 ---

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    const c = createCipheriv('rc4', key, null);
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  } catch {
    // OpenSSL 3 without the legacy provider has no RC4: the 20-line cipher itself.
    const s = Array.from({ length: 256 }, (_, i) => i);
    for (let i = 0, j = 0; i < 256; i++) {
      j = (j + s[i]! + key[i % key.length]!) & 255;
      [s[i], s[j]] = [s[j]!, s[i]!];
    }
    const out = new Uint8Array(data.length);
    for (let k = 0, i = 0, j = 0; k < data.length; k++) {
      i = (i + 1) & 255;
      j = (j + s[i]!) & 255;
      [s[i], s[j]] = [s[j]!, s[i]!];
      out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
    }
    return out;
  }
}

const md5 = (...parts: Uint8Array[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (pw: string): Buffer => Buffer.concat([enc(pw), PAD]).subarray(0, 32);

/**
 * A PDF encrypted with a user password (RC4 40-bit): without the password nothing can be read.
 * `pdftotext -upw <password>` reads it, which shows it is a genuine encrypted PDF.
 */
export function encryptedPdf(pages: string[][], userPassword: string, ownerPassword = `${userPassword}-owner`): Uint8Array {
  const id = createHash('md5').update(`hostile-${userPassword}`).digest();
  const permissions = -44;
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const o = rc4(md5(padded(ownerPassword)).subarray(0, 5), padded(userPassword));
  const key = md5(padded(userPassword), o, p, id).subarray(0, 5);
  const u = rc4(key, PAD);
  const objects = pageObjects(pages.map((lines) => ({ content: pageContent(lines), resources: FONT_RESOURCES })));
  const encryptNum = objects.length + 1;
  objects.push({ dict: `<< /Filter /Standard /V 1 /R 2 /O <${Buffer.from(o).toString('hex')}> /U <${Buffer.from(u).toString('hex')}> /P ${permissions} >>` });
  const objectKey = (num: number): Uint8Array => md5(key, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0])).subarray(0, 10);
  const idHex = id.toString('hex');
  return serialise(objects, `/Encrypt ${encryptNum} 0 R /ID [<${idHex}> <${idHex}>] `, (num, bytes) => rc4(objectKey(num), bytes));
}

// --- Text -----------------------------------------------------------------------------------

const CP1252: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97 };

/** Encode text as Windows-1252 (throws on a character it cannot hold). */
export function toWindows1252(s: string): Uint8Array {
  return new Uint8Array(Array.from(s, (ch) => {
    const code = ch.codePointAt(0)!;
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
    const b = CP1252[ch];
    if (b === undefined) throw new Error(`toWindows1252: no byte for ${ch}`);
    return b;
  }));
}

/** Sentences for a long synthetic report: each page different, so none looks like a running header. */
export function reportPages(count: number, seed = 7): string[][] {
  const topics = ['care leavers', 'private fostering', 'child protection plans', 'adoption support', 'missing children', 'social work caseloads', 'placement stability', 'early help', 'youth justice', 'corporate parenting'];
  const verbs = ['improved', 'declined', 'was reviewed', 'remains a priority', 'was audited', 'needs attention', 'is monitored weekly', 'was inspected'];
  let x = seed;
  const rnd = (n: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const page = i + 1;
    return [
      `Section ${page}: in quarter ${1 + rnd(4)} the work on ${topics[rnd(topics.length)]} ${verbs[rnd(verbs.length)]} across ${2 + rnd(40)} teams.`,
      `The board recorded reference number PG${page}X${rnd(1000)} and agreed ${1 + rnd(9)} actions on ${topics[rnd(topics.length)]}.`,
    ];
  });
}

// --- The corpus ------------------------------------------------------------------------------

export const HOSTILE_NAME = `it's a "quoted" report — Sørensen café 報告 (2019).txt`;
export const HTML_PAYLOADS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "javascript:alert('x')"];
export const LARGE_PDF = 'large report.pdf';

export interface HostileExpectations {
  /** Files the indexer must skip (path -> pattern its reason must match). */
  skipped: Record<string, RegExp>;
  /** Files that must be indexed. */
  indexed: string[];
  /** Files that may go either way but must not break the build (partial text may survive truncation). */
  either: string[];
  /** Text that must be findable after indexing (path -> word or phrase). */
  findable: Record<string, string>;
  /** A word printed on one page of the large PDF only, and that page. */
  largePdfWord: { word: string; page: number };
}

/**
 * Write the hostile corpus into `dir`. `seedText` is a real report (text) used as the body of the
 * readable files; `realPdf` a real PDF to truncate; `largePages` the page count of the big PDF.
 */
export async function writeHostileCorpus(dir: string, options: { seedText: string; realPdf: string; largePages: number }): Promise<HostileExpectations> {
  await mkdir(dir, { recursive: true });
  const seed = await readFile(options.seedText, 'utf8');
  const excerpt = seed.split('\n').filter((l) => l.trim().length > 80).slice(0, 6).join('\n\n');
  const pdf = await readFile(options.realPdf);
  const large = reportPages(options.largePages);
  const page = Math.max(1, Math.floor(options.largePages * 0.83));
  const word = /PG\d+X\d+/.exec(large[page - 1]![1]!)![0];
  const files: Array<[string, Uint8Array | string]> = [
    ['encrypted.pdf', encryptedPdf([['Confidential minutes of the children in care council meeting.', 'Only readable with the password.']], 'hunter2')],
    ['truncated-header.pdf', pdf.subarray(0, 1500)],
    ['truncated-half.pdf', pdf.subarray(0, Math.floor(pdf.length / 2))],
    ['truncated-handmade.pdf', textPdf(reportPages(3)).subarray(0, 400)],
    ['zero-byte.pdf', new Uint8Array(0)],
    ['zero-byte.txt', new Uint8Array(0)],
    ['scanned.pdf', imageOnlyPdf(3)],
    [LARGE_PDF, textPdf(large)],
    ['windows-1252.txt', toWindows1252(`Hackney’s “Staying Put” scheme – costing £2.5 million – helped café staff and the naïve résumé process.\n\n${excerpt.replace(/[^\x20-\x7e\n]/g, ' ')}\n`)],
    // A NUL in the first 64 KB marks a file as binary (skipped); later NULs are cleaned out of the text.
    ['nul-bytes.txt', `The fostering panel met in Hackney.\u0000 Panel members reviewed\u0000 the quokkaplan for every child.\n\n${excerpt}\n`],
    ['nul-late.txt', `${'\n'.repeat(70 * 1024)}The adoption panel met.\u0000 Members reviewed the quokkalate\u0000 plan for every child.\n\n${excerpt}\n`],
    [HOSTILE_NAME, `A report with an awkward name about the zanzibarquokka pilot.\n\n${excerpt}\n`],
    ['html-payload.txt', [
      `Hostile report: the text quotes ${HTML_PAYLOADS[0]} and ${HTML_PAYLOADS[1]} in the middle of a sentence about xssfostering placements.`,
      `A second paragraph closes an attribute ${HTML_PAYLOADS[2]} and links ${HTML_PAYLOADS[3]} near xssfostering again.`,
      '=HYPERLINK("http://evil.example/","xssfostering click") starts a paragraph like a spreadsheet formula.',
      excerpt,
    ].join('\n\n')],
    ['page.html', `<!doctype html><html><head><title>Committee <b>page</b></title><script>window.stolen = "scriptonlyword";</script></head><body><h1>Scrutiny of xsshtmlword</h1><p>The commission discussed xsshtmlword and care leavers &lt;script&gt;alert(3)&lt;/script&gt; at length.</p><p onclick="alert(4)">${excerpt.split('\n\n')[0] ?? ''}</p></body></html>`],
  ];
  for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
  await copyFile(options.seedText, join(dir, 'seed.txt'));
  return {
    skipped: {
      'encrypted.pdf': /password|encrypt/i,
      'truncated-header.pdf': /./,
      'truncated-handmade.pdf': /./,
      'zero-byte.pdf': /empty/i,
      'zero-byte.txt': /empty/i,
      'scanned.pdf': /scan|no text|text layer/i,
      'nul-bytes.txt': /binary/i,
    },
    indexed: ['seed.txt', LARGE_PDF, 'windows-1252.txt', 'nul-late.txt', HOSTILE_NAME, 'html-payload.txt', 'page.html'],
    either: ['truncated-half.pdf'],
    findable: {
      'windows-1252.txt': 'café staff',
      'nul-late.txt': 'quokkalate',
      [HOSTILE_NAME]: 'zanzibarquokka',
      'html-payload.txt': 'xssfostering',
      'page.html': 'xsshtmlword',
    },
    largePdfWord: { word, page },
  };
}
