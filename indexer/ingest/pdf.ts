/**
 * PDF -> paragraph blocks with pdfjs-dist (legacy build, in-process fake worker, no system
 * binaries). Page by page: text runs with positions and fonts -> lines -> running headers,
 * footers and page numbers removed -> paragraphs rebuilt from layout -> paragraphs split by a
 * page break joined again -> clean text. Bad input becomes AppError('unreadable_file', 'Ingest: ...').
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Block, IngestedText } from '../../core/types.ts';
import { AppError } from '../../core/errors.ts';
import { isGarbageLine, wordSet } from '../clean.ts';
import { buildLines, layoutStats, mergeAcrossPages, pageBlocks, toBlock, type Line, type TextRun } from './pdf-layout.ts';
import { removeFurniture, type PageLines } from './pdf-furniture.ts';

export interface PdfIngestOptions {
  /** Give up on a file after this long (default 60 s): pdfjs must never hang the indexer. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Fewer letters than this on every page: no usable text layer (a scan). */
const MIN_LETTERS_ON_SOME_PAGE = 40;
const BOLD_FONT = /bold|black|heavy|demi|semibold|extrabold|ultrabold|-bd\b|,bd\b/i;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsLoading: Promise<PdfJs> | undefined;
/**
 * pdfjs, loaded with the first PDF read: a run that reads no PDF (npm start on an up-to-date
 * index) does not pay for loading it.
 */
function pdfjs(): Promise<PdfJs> {
  pdfjsLoading ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsLoading;
}

/** Read a PDF into blocks. Throws AppError('unreadable_file') for encrypted, corrupt, empty or scanned files. */
export async function ingestPdf(bytes: Uint8Array, options: PdfIngestOptions = {}): Promise<IngestedText> {
  if (bytes.length === 0) throw unreadable('PDF is empty (0 bytes)');
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1024)));
  if (!head.includes('%PDF-')) {
    throw unreadable(/<html|<!doctype/i.test(head) ? 'file is an HTML page, not a PDF' : 'file has no %PDF header');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lib = await pdfjs();
  // pdfjs may transfer (detach) the buffer it is given: hand it a copy.
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unreadable(`PDF took longer than ${Math.round(timeoutMs / 1000)} s to read`)), timeoutMs);
  });
  let doc: PDFDocumentProxy | undefined;
  try {
    doc = await Promise.race([task.promise, timeout]);
    return await Promise.race([readDocument(lib, doc), timeout]);
  } catch (err) {
    throw err instanceof AppError ? err : unreadable(describe(err), err);
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

function unreadable(reason: string, cause?: unknown): AppError {
  return new AppError('unreadable_file', `Ingest: ${reason}`, cause === undefined ? {} : { cause });
}

function describe(err: unknown): string {
  const name = (err as { name?: string } | null)?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  switch (name) {
    case 'PasswordException':
      return 'PDF is encrypted (a password is required)';
    case 'InvalidPDFException':
      return `PDF is invalid or truncated (${message})`;
    case 'MissingPDFException':
    case 'ResponseException':
      return `PDF could not be loaded (${message})`;
    case 'FormatError':
      return `PDF is corrupt (${message})`;
    default:
      return `PDF could not be read (${name || 'error'}: ${message})`;
  }
}

async function readDocument(lib: PdfJs, doc: PDFDocumentProxy): Promise<IngestedText> {
  const fonts = new Map<string, boolean>();
  const pages: PageLines[] = [];
  let maxLetters = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    try {
      const { runs, top, bottom } = await pageRuns(lib, page, fonts);
      const lines = buildLines(runs, n).filter((l) => !isGarbageLine(l.text));
      maxLetters = Math.max(maxLetters, lines.reduce((s, l) => s + (l.text.match(/\p{L}/gu)?.length ?? 0), 0));
      pages.push({ page: n, top, bottom, lines });
    } finally {
      page.cleanup();
    }
  }
  if (maxLetters < MIN_LETTERS_ON_SOME_PAGE) throw unreadable('PDF has no text layer (scanned images only?)');
  const { pages: clean } = removeFurniture(pages);
  const pageLines = clean.map((p) => p.lines);
  const stats = layoutStats(pageLines);
  const drafts = mergeAcrossPages(pageLines.map((lines) => pageBlocks(lines, stats)));
  const words = wordSet(pageLines.map((lines) => lines.map((l: Line) => l.text).join('\n')).join('\n'));
  const known = (w: string): boolean => words.has(w);
  const blocks: Block[] = drafts.map((d) => toBlock(d, known)).filter((b) => b.text.trim() !== '');
  return { format: 'pdf', blocks, pages: doc.numPages, title: await pdfTitle(doc) };
}

/** The text runs of a page in upright page coordinates (y up), with bold flags from font names. */
async function pageRuns(lib: PdfJs, page: PDFPageProxy, fonts: Map<string, boolean>): Promise<{ runs: TextRun[]; top: number; bottom: number }> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const unknown = Object.keys(content.styles).filter((f) => !fonts.has(f));
  if (unknown.length > 0) {
    // Font names (and so boldness) only reach the main thread with an operator list.
    await page.getOperatorList({ annotationMode: lib.AnnotationMode.DISABLE }).catch(() => undefined);
    for (const f of unknown) fonts.set(f, fontIsBold(page, f));
  }
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const t = lib.Util.transform(viewport.transform, item.transform) as number[];
    const [a, b, c, d, e, f] = t as [number, number, number, number, number, number];
    if (a <= 0 || Math.abs(b) > 0.1 * a) continue; // rotated or mirrored text (side labels)
    runs.push({
      str: item.str,
      x: e,
      y: viewport.height - f,
      width: item.width, // user-space units along the baseline (the viewport has scale 1)
      size: Math.hypot(c, d),
      bold: fonts.get(item.fontName) ?? false,
    });
  }
  return { runs, top: viewport.height, bottom: 0 };
}

function fontIsBold(page: PDFPageProxy, fontName: string): boolean {
  try {
    if (!page.commonObjs.has(fontName)) return false;
    const font = page.commonObjs.get(fontName) as { name?: string; bold?: boolean; black?: boolean } | null;
    if (!font) return false;
    return font.bold === true || font.black === true || BOLD_FONT.test(font.name ?? '');
  } catch {
    return false;
  }
}

/** The PDF info Title when it reads like a title (not a file name, not "Microsoft Word - x.docx"). */
async function pdfTitle(doc: PDFDocumentProxy): Promise<string | null> {
  const meta = await doc.getMetadata().catch(() => null);
  const raw = (meta?.info as { Title?: unknown } | undefined)?.Title;
  if (typeof raw !== 'string') return null;
  const title = raw.replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, '').replace(/\s+/g, ' ').trim();
  if (title.length < 4 || !/\p{L}{3}/u.test(title)) return null;
  if (/\.(docx?|pdf|rtf|odt|indd|xlsx?|pptx?)$/i.test(title) || /^(untitled|title|document\d*|slide \d+)$/i.test(title) || /\b(template|draft)\b/i.test(title)) return null;
  if (/^[\w-]+$/.test(title) && /[_\d]/.test(title)) return null; // "report_v2", "ILACS-2023-final"
  return title;
}
