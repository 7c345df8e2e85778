/**
 * Paragraphs -> chunks. A chunk is one paragraph, several short consecutive paragraphs of the same
 * section, or part of a very long paragraph split at sentence boundaries. Never across sections
 * or documents. Aim: about 40-300 words.
 */
import type { Chunk, Paragraph } from '../core/types.ts';
import { sentenceSpans } from '../core/sentences.ts';
import { PARAGRAPH_SEPARATOR } from './sections.ts';

export interface ChunkOptions {
  minWords: number;
  maxWords: number;
  /** Target size of the parts of a paragraph longer than maxWords. */
  splitWords: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { minWords: 40, maxWords: 300, splitWords: 200 };

export function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

interface Piece {
  paragraphs: Paragraph[];
  start: number;
  end: number;
  words: number;
  part: number; // 0 = whole paragraph(s); 1.. = part of a split paragraph
}

/** Cut a document's paragraphs into chunks. `text` is the cleaned document text. */
export function toChunks(docId: string, text: string, paragraphs: Paragraph[], options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const pieces: Piece[] = [];
  let open: Piece | null = null;
  const close = (): void => {
    if (open) pieces.push(open);
    open = null;
  };
  for (const p of paragraphs) {
    if (p.heading) {
      close();
      continue;
    }
    const words = countWords(p.text);
    if (words > options.maxWords) {
      close();
      pieces.push(...splitParagraph(p, text, options));
      continue;
    }
    const cur: Piece | null = open;
    if (cur && sameSection(cur.paragraphs[0]!, p) && cur.words < options.minWords && cur.words + words <= options.maxWords) {
      cur.paragraphs.push(p);
      cur.end = p.end;
      cur.words += words;
      continue;
    }
    close();
    open = { paragraphs: [p], start: p.start, end: p.end, words, part: 0 };
  }
  close();
  return mergeShortTails(pieces, options).map((piece) => toChunk(docId, text, piece));
}

function sameSection(a: Paragraph, b: Paragraph): boolean {
  return a.section.length === b.section.length && a.section.every((s, i) => s === b.section[i]);
}

/** A short piece after a piece of the same section joins it when the result stays within bounds. */
function mergeShortTails(pieces: Piece[], options: ChunkOptions): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const prev = out[out.length - 1];
    if (
      prev && piece.part === 0 && prev.part === 0 && piece.words < options.minWords &&
      sameSection(prev.paragraphs[0]!, piece.paragraphs[0]!) && adjacent(prev, piece) &&
      prev.words + piece.words <= options.maxWords
    ) {
      prev.paragraphs.push(...piece.paragraphs);
      prev.end = piece.end;
      prev.words += piece.words;
      continue;
    }
    out.push(piece);
  }
  return out;
}

function adjacent(a: Piece, b: Piece): boolean {
  return b.start - a.end === PARAGRAPH_SEPARATOR.length;
}

/** Split a long paragraph at sentence boundaries into parts of about `splitWords` words. */
function splitParagraph(p: Paragraph, text: string, options: ChunkOptions): Piece[] {
  const sentences = sentenceSpans(p.text);
  const parts: Piece[] = [];
  let from = 0;
  let words = 0;
  sentences.forEach(([, end], i) => {
    words += countWords(p.text.slice(i === 0 ? 0 : sentences[i - 1]![1], end));
    const last = i === sentences.length - 1;
    const remaining = countWords(p.text.slice(end));
    if (last || (words >= options.splitWords && remaining >= options.minWords)) {
      const s = p.start + from + leadingSpace(p.text, from);
      parts.push({ paragraphs: [p], start: s, end: p.start + end, words, part: parts.length + 1 });
      from = end;
      words = 0;
    }
  });
  // A single run-on "sentence" longer than maxWords stays whole: splitting mid-sentence loses meaning.
  return parts.filter((part) => text.slice(part.start, part.end).trim() !== '');
}

function leadingSpace(s: string, from: number): number {
  let n = 0;
  while (from + n < s.length && /\s/.test(s[from + n]!)) n++;
  return n;
}

function toChunk(docId: string, text: string, piece: Piece): Chunk {
  const first = piece.paragraphs[0]!;
  const last = piece.paragraphs[piece.paragraphs.length - 1]!;
  const anchor = first.anchor;
  const id = piece.part > 1 ? `${docId}#${anchor}.${piece.part}` : `${docId}#${anchor}`;
  const numbers = piece.paragraphs.map((p) => p.number).filter((n): n is string => n !== null);
  const chunkText = text.slice(piece.start, piece.end);
  return {
    id,
    docId,
    anchor,
    text: chunkText,
    section: first.section,
    paragraphs: numbers,
    // Parts of a split paragraph cite the paragraph's pages: its start page is where it begins.
    pageStart: first.pageStart,
    pageEnd: last.pageEnd,
    start: piece.start,
    end: piece.end,
    words: countWords(chunkText),
  };
}
