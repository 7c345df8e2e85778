/** Sentence boundaries in report text (used to split long paragraphs and to pick snippets). */

/** [start, end) of each sentence; the end includes the terminal punctuation. */
export function sentenceSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const re = /[.!?](?:["'”’)\]]*)(?=\s+(?:[-–•]\s|["'“‘(]?[A-Z0-9]))|\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (isAbbreviation(text, m.index)) continue;
    if (text.slice(start, end).trim() !== '') spans.push([start, end]);
    start = end;
  }
  if (text.slice(start).trim() !== '') spans.push([start, text.length]);
  return spans;
}

const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|St|No|para|paras|approx|cf|vs|Cllr)|\b[A-Z])$/;

function isAbbreviation(text: string, dotIndex: number): boolean {
  return text[dotIndex] === '.' && ABBREVIATIONS.test(text.slice(Math.max(0, dotIndex - 8), dotIndex));
}
