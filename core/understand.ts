/**
 * What a query's free text says about where to look: a council named in it ("Doncaster's new
 * recording system"), a year ("2019"), a kind of report ("ILACS", "focused visit", "single
 * inspection"). The search uses councils as soft boosts, never as silent filters; years and
 * report types are read but not boosted (docs/relevance.md). All are said in the response
 * (`understood`), so the UI can offer to make them filters or to ignore them.
 *
 * A council is read when its name's words appear in the query in order. When the query has capital
 * letters, the name must be capitalised as names are ("Reading", not "reading books"); an
 * all-lower-case query is read as typed.
 */
import { semanticText, type Filters, type ParsedQuery } from './query.ts';
import { tokensOf } from './text-match.ts';
import type { ReportType } from './types.ts';

export interface Understood {
  /** Councils named in the text, as the index spells them. */
  councils: string[];
  /** Years (1990-2100) written in the text. */
  years: number[];
  /** Kinds of report named in the text. */
  types: ReportType[];
}

/** How the reports' kinds are written in a query (lower case words in order). */
const TYPE_NAMES: ReadonlyArray<{ words: string[]; type: ReportType }> = [
  { words: ['annual', 'performance', 'assessment'], type: 'apa' },
  { words: ['joint', 'area', 'review'], type: 'jar' },
  { words: ['single', 'inspection', 'framework'], type: 'sif' },
  { words: ['single', 'inspection'], type: 'sif' },
  { words: ['focused', 'visit'], type: 'focused-visit' },
  { words: ['focused', 'visits'], type: 'focused-visit' },
  { words: ['ilacs'], type: 'ilacs' },
  { words: ['sif'], type: 'sif' },
  { words: ['slac'], type: 'slac' },
  { words: ['jar'], type: 'jar' },
  { words: ['apa'], type: 'apa' },
];

interface Name {
  council: string;
  words: string[];
}

/** Council names as word sequences, longest first (so "North East Lincolnshire" wins over "Lincolnshire"). */
export function councilNames(councils: Iterable<string>): Name[] {
  const out: Name[] = [];
  for (const council of new Set(councils)) {
    const words = tokensOf(council.replace(/&/g, ' and ')).map((t) => t.lower);
    if (words.length > 0) out.push({ council, words });
  }
  return out.sort((a, b) => b.words.length - a.words.length || a.council.localeCompare(b.council));
}

interface Token {
  lower: string;
  capital: boolean;
  start: number;
  end: number;
}

/** The words of `text`, and which of them name a council (the longest name wins; read as `understand` says). */
function readCouncils(text: string, names: Name[]): { toks: Token[]; used: boolean[]; councils: string[] } {
  const toks = tokensOf(text).map((t) => ({ lower: t.lower.replace(/'s$/, ''), capital: /^\p{Lu}/u.test(text.slice(t.start, t.end)), start: t.start, end: t.end }));
  const caseMatters = /\p{Lu}/u.test(text);
  const councils: string[] = [];
  const used = new Array<boolean>(toks.length).fill(false);
  for (const name of names) {
    for (let i = 0; i + name.words.length <= toks.length; i++) {
      if (used[i] || !name.words.every((w, j) => toks[i + j]!.lower === w && !used[i + j])) continue;
      if (caseMatters && !toks[i]!.capital) continue;
      if (!councils.includes(name.council)) councils.push(name.council);
      for (let j = 0; j < name.words.length; j++) used[i + j] = true;
    }
  }
  return { toks, used, councils };
}

/** The councils and years a parsed query's positive words name. */
export function understand(parsed: ParsedQuery, names: Name[]): Understood {
  const text = parsed.clauses.map((c) => c.any.map((u) => u.text).join(' ')).join(' ');
  const { toks, used, councils } = readCouncils(text, names);
  const years = [...new Set(toks.filter((t) => /^(19|20|21)\d\d$/.test(t.lower)).map((t) => Number(t.lower)))].filter((y) => y >= 1990 && y <= 2100);
  const types: ReportType[] = [];
  for (const name of TYPE_NAMES) {
    for (let i = 0; i + name.words.length <= toks.length; i++) {
      if (used[i] || !name.words.every((w, j) => toks[i + j]!.lower === w && !used[i + j])) continue;
      if (!types.includes(name.type)) types.push(name.type);
      for (let j = 0; j < name.words.length; j++) used[i + j] = true;
    }
  }
  return { councils, years, types };
}

/**
 * The text the meaning side embeds: the query's positive text (`semanticText`) without the council
 * names it reads. A council named in a query is a soft boost on its reports (and a matched clause
 * there, core/keyword-search.ts); report passages rarely name their own council, so in the vector
 * the name only pulls towards passages that mention councils (docs/relevance.md: +0.008 hybrid
 * MRR@10 at scale, named queries 0.956 -> 1.000). A query that is only a name keeps it.
 */
export function meaningText(parsed: ParsedQuery, names: Name[]): string {
  const text = semanticText(parsed);
  const { toks, used } = readCouncils(text, names);
  if (!used.includes(true) || used.every(Boolean)) return text;
  let out = '';
  let from = 0;
  toks.forEach((t, i) => {
    if (!used[i]) return;
    out += text.slice(from, t.start);
    from = t.end;
  });
  out += text.slice(from);
  const rest = out.replace(/\s+/g, ' ').trim();
  return rest.length > 0 ? rest : text;
}

/** Nothing read from the text (understanding switched off). */
export const NOTHING_UNDERSTOOD: Understood = { councils: [], years: [], types: [] };

/** What was read, less what a filter of the same kind already decides (a filter wins). */
export function unlessFiltered(read: Understood, filters: Filters): Understood {
  return {
    councils: filters.council.length > 0 ? [] : read.councils,
    years: filters.from !== null || filters.to !== null ? [] : read.years,
    types: filters.type.length > 0 ? [] : read.types,
  };
}
