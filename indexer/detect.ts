/**
 * Decide a file's format from its bytes (the name only breaks ties between text formats and
 * decides whether plain text is wanted at all), and decode text bytes to a string.
 *
 * Order: empty -> PDF magic -> known binary magic -> HTML markers -> NUL / control bytes ->
 * text by extension (.txt, .md; .html/.htm even without markers). Anything else is skipped with
 * a one-line reason that the indexer shows to the user.
 */
import type { SourceFormat } from '../core/types.ts';

export type Detection = { format: SourceFormat } | { skip: string };

/** How far into the file "%PDF-" may start (some PDFs carry leading junk). */
const PDF_WINDOW = 1024;
/** How far into the file HTML markers are looked for. */
const HTML_WINDOW = 4096;
/** How many bytes are examined for control characters. */
const TEXT_SAMPLE = 64 * 1024;
/** More than this share of control characters in the sample means binary. */
const MAX_CONTROL_SHARE = 0.01;

const TEXT_EXTENSIONS: Record<string, SourceFormat> = { txt: 'txt', text: 'txt', md: 'md', markdown: 'md' };
const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml']);

export function detectFormat(bytes: Uint8Array, fileName: string): Detection {
  if (bytes.length === 0) return { skip: 'empty file' };
  const ext = extensionOf(fileName);

  const pdfAt = indexOfAscii(bytes, '%PDF-', PDF_WINDOW);
  // Leading junk is tolerated, but a text file that merely mentions "%PDF-" stays text: a PDF
  // after junk must hold binary data or end with the %%EOF trailer.
  if (pdfAt === 0 || (pdfAt > 0 && (!looksLikeText(bytes) || hasPdfTrailer(bytes)))) return { format: 'pdf' };

  const binary = binaryKind(bytes);
  if (binary !== null) return { skip: `binary file (${binary})` };

  if (hasHtmlMarkers(bytes, ext)) return { format: 'html' };

  if (!looksLikeText(bytes)) return { skip: 'binary file (unrecognised data)' };

  if (ext in TEXT_EXTENSIONS) return { format: TEXT_EXTENSIONS[ext]! };
  if (HTML_EXTENSIONS.has(ext)) return { format: 'html' };
  if (ext === 'pdf') return { skip: 'not a PDF: file named .pdf holds text without a %PDF- header' };
  return { skip: ext === '' ? 'unsupported file type (no extension)' : `unsupported file type .${ext}` };
}

/** Lower-case extension without the dot; '' when there is none. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Decode text bytes: a BOM decides (UTF-8, UTF-16 LE/BE) and is dropped; else strict UTF-8,
 * falling back to Windows-1252 (which also covers Latin-1) when the bytes are not valid UTF-8.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80-0x9F (curly quotes, dashes, euro...). Node's
 * TextDecoder('windows-1252') decodes those as C1 controls, so the table is spelled out here.
 * The five unassigned bytes map to their C1 code points, as browsers do.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes = Array.from(bytes.subarray(i, i + CHUNK), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** Magic numbers of binary formats people are likely to drop into a corpus folder. */
function binaryKind(b: Uint8Array): string | null {
  const starts = (...sig: number[]): boolean => sig.every((v, i) => b[i] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06) || starts(0x50, 0x4b, 0x07, 0x08)) return zipKind(b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'GIF image';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF image';
  if (starts(0x52, 0x49, 0x46, 0x46) && indexOfAscii(b, 'WEBP', 16) === 8) return 'WebP image';
  if (starts(0x42, 0x4d) && b.length > 26 && b[14]! >= 12 && b[15] === 0 && b[6] === 0 && b[7] === 0) return 'BMP image';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'legacy Microsoft Office document (.doc/.xls/.ppt)';
  if (starts(0x4d, 0x5a) && b.subarray(2, 64).includes(0)) return 'Windows executable';
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return 'ELF executable';
  if (starts(0x1f, 0x8b)) return 'gzip archive';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return '7-Zip archive';
  if (starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07)) return 'RAR archive';
  if (starts(0x42, 0x5a, 0x68) && b[3]! >= 0x31 && b[3]! <= 0x39 && b.subarray(4, 64).includes(0)) return 'bzip2 archive';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz archive';
  if (starts(0x7b, 0x5c, 0x72, 0x74, 0x66)) return 'RTF document';
  return null;
}

/** Office Open XML and OpenDocument files are zip archives: name them when the entries tell. */
function zipKind(b: Uint8Array): string {
  if (indexOfAscii(b, 'word/document.xml', b.length) >= 0) return 'Word document .docx';
  if (indexOfAscii(b, 'xl/workbook.xml', b.length) >= 0) return 'Excel workbook .xlsx';
  if (indexOfAscii(b, 'ppt/presentation.xml', b.length) >= 0) return 'PowerPoint presentation .pptx';
  if (indexOfAscii(b, 'application/vnd.oasis.opendocument', 200) >= 0) return 'OpenDocument file';
  return 'zip archive';
}

const HTML_MARKER = /<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]/i;
const HTML_START = /^(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i;
/** What may come before the first markup of an HTML file: whitespace, an XML declaration, comments. */
const HTML_PREAMBLE = /^(?:\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*/;

/**
 * HTML markers within the first few KB. A file named .txt/.md must start with them (after
 * whitespace, an XML declaration or comments): a text report that quotes "<html" stays text.
 */
function hasHtmlMarkers(bytes: Uint8Array, ext: string): boolean {
  const head = decodeText(bytes.subarray(0, HTML_WINDOW)).text;
  if (ext in TEXT_EXTENSIONS) {
    return HTML_START.test(head.slice(HTML_PREAMBLE.exec(head)![0].length));
  }
  return HTML_MARKER.test(head);
}

/**
 * Text if there are no NUL bytes (outside UTF-16 with a BOM) and few control characters other
 * than tab, newline, carriage return and form feed in the sample.
 */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, TEXT_SAMPLE);
  const utf16 = (sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff);
  const text = utf16 ? decodeText(sample).text : null;
  if (!utf16 && sample.includes(0)) return false;
  let control = 0;
  let total = 0;
  if (text !== null) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) control++;
    }
    total = text.length;
  } else {
    for (const c of sample) if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) control++;
    total = sample.length;
  }
  return control <= Math.max(1, total * MAX_CONTROL_SHARE);
}

/** A PDF ends with "%%EOF" (possibly followed by a little whitespace or junk). */
function hasPdfTrailer(bytes: Uint8Array): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024));
  return indexOfAscii(tail, '%%EOF', tail.length) >= 0;
}

/** Position of an ASCII string in the first `limit` bytes, or -1. */
function indexOfAscii(bytes: Uint8Array, needle: string, limit: number): number {
  const end = Math.min(bytes.length, limit) - needle.length;
  const first = needle.charCodeAt(0);
  outer: for (let i = 0; i <= end; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}
