/**
 * Every mention: an exhaustive list of every paragraph (headings included) that matches a query
 * in keyword logic - every clause must match, exclusions must not - with occurrence counts by
 * year and by council, per report and per 10 000 words. Plain words typed together count as one
 * expression in that order, each word by stem ("care leaver" counts "care leavers"); a quoted
 * phrase counts exactly as written.
 * No thesaurus here: a count of "private fostering" counts those words, nothing broader.
 * Counting uses the same matcher as highlighting (core/text-match.ts), so what is counted is what
 * is marked.
 */
import type { CouncilCount, MentionsResponse, ResultItem, YearCount } from './api-types.ts';
import type { PreparedQuery } from './prepared-query.ts';
import type { Filters, Unit } from './query.ts';
import { toResultItem } from './result-item.ts';
import { compile, lettersAt, literalHint, mergeSpans, tokensOf, type CompiledMatcher, type Hint, type Span } from './text-match.ts';
import type { Paragraph, ProcessedDoc } from './types.ts';

export interface MentionsRequest {
  q: string;
  filters?: Partial<Filters>;
  limit?: number;
  offset?: number;
  /**
   * Runs the matching, a document a step (findMentionsInSteps), to its end: a server lets other
   * requests in between steps (server/cooperative.ts cooperatively). Default: straight through.
   */
  steps?: <T>(steps: Generator<void, T>) => Promise<T>;
}

export type MentionItem = ResultItem & { occurrences: number };

export interface Mention {
  doc: ProcessedDoc;
  paragraph: Paragraph;
  spans: Span[];
}

interface Compiled {
  clauses: Array<{ matchers: CompiledMatcher[]; hints: Array<Hint | null> }>;
  exclude: CompiledMatcher[];
}

function compileQuery(q: PreparedQuery): Compiled {
  const compileAll = (units: Unit[]) => units.map(compile).filter((m): m is CompiledMatcher => m !== null);
  return {
    clauses: q.mentionClauses.map((any) => ({ matchers: compileAll(any), hints: any.map(literalHint) })).filter((c) => c.matchers.length > 0),
    exclude: compileAll(q.parsed.exclude),
  };
}

const lowerCache = new WeakMap<ProcessedDoc, string>();

function lowerText(doc: ProcessedDoc): string {
  let s = lowerCache.get(doc);
  if (s === undefined) {
    s = doc.text.toLowerCase();
    lowerCache.set(doc, s);
  }
  return s;
}

/** Paragraphs of a document that may match: those holding a hint of the first clause. */
function candidates(doc: ProcessedDoc, hints: Array<Hint | null>): Paragraph[] {
  if (hints.some((h) => h === null || h.literal.length < 2)) return doc.paragraphs;
  const lower = lowerText(doc);
  const out = new Set<Paragraph>();
  for (const { literal, letters } of hints as Hint[]) {
    let at = lower.indexOf(literal);
    while (at !== -1) {
      const p = letters === undefined || lettersAt(lower, at, letters) ? paragraphAt(doc.paragraphs, at) : null;
      if (p) {
        out.add(p);
        at = lower.indexOf(literal, p.end);
      } else at = lower.indexOf(literal, at + 1);
    }
  }
  return [...out].sort((a, b) => a.start - b.start);
}

function paragraphAt(ps: Paragraph[], offset: number): Paragraph | null {
  let lo = 0;
  let hi = ps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = ps[mid]!;
    if (offset < p.start) hi = mid - 1;
    else if (offset >= p.end) lo = mid + 1;
    else return p;
  }
  return null;
}

/** Every matching paragraph of the documents, in document then paragraph order. */
export function findMentions(docs: ProcessedDoc[], q: PreparedQuery): Mention[] {
  return runSteps(findMentionsInSteps(docs, q));
}

/**
 * The work of findMentions one document at a time: a step ends after each document, so a caller
 * that serves others (server/cooperative.ts) can let them in between; `runSteps` runs it through.
 */
export function* findMentionsInSteps(docs: ProcessedDoc[], q: PreparedQuery): Generator<void, Mention[]> {
  const c = compileQuery(q);
  const out: Mention[] = [];
  if (c.clauses.length === 0) return out;
  for (const doc of docs) {
    for (const p of candidates(doc, c.clauses[0]!.hints)) {
      const toks = tokensOf(p.text);
      const spans: Span[] = [];
      let ok = true;
      for (const clause of c.clauses) {
        const found = clause.matchers.flatMap((m) => m(toks));
        if (found.length === 0) {
          ok = false;
          break;
        }
        spans.push(...found);
      }
      if (!ok || c.exclude.some((m) => m(toks).length > 0)) continue;
      out.push({ doc, paragraph: p, spans: mergeSpans(spans) });
    }
    yield;
  }
  return out;
}

/** Run stepwise work to its end, without pausing. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export type MentionsAnswer = MentionsResponse & { all: Mention[] };

/** Newest reports first (then by file), as every-mention lists them; paragraphs stay in reading order within each. */
export function newestFirst(a: Pick<ProcessedDoc, 'meta'>, b: Pick<ProcessedDoc, 'meta'>): number {
  return (b.meta.date ?? '').localeCompare(a.meta.date ?? '') || a.meta.source.localeCompare(b.meta.source);
}

/** The answer for every mention found (`all`) in the reports searched (`docs`: only their metadata is read). */
export function mentionsAnswer(req: MentionsRequest, docs: Array<Pick<ProcessedDoc, 'meta'>>, all: Mention[]): MentionsAnswer {
  const offset = req.offset ?? 0;
  const limit = req.limit ?? 100;
  return {
    query: req.q,
    total: all.length,
    occurrences: all.reduce((n, m) => n + m.spans.length, 0),
    byYear: byYear(docs, all),
    byCouncil: byCouncil(all),
    results: all.slice(offset, offset + limit).map(mentionItem),
    all,
  };
}

export function mentionItem(m: Mention): MentionItem {
  const p = m.paragraph;
  const item = toResultItem(
    { id: `${m.doc.meta.id}#${p.anchor}`, anchor: p.anchor, text: p.text, section: p.section, paragraphs: p.number ? [p.number] : [], pageStart: p.pageStart, pageEnd: p.pageEnd },
    m.doc.meta,
    m.spans,
    { keyword: true, semantic: false },
    { score: m.spans.length, duplicates: 1 },
  );
  return { ...item, occurrences: m.spans.length };
}

/** Occurrences per 10 000 words, to two decimals (0 for no words). */
export function per10kWords(occurrences: number, words: number): number {
  return words > 0 ? Math.round((occurrences / words) * 10_000 * 100) / 100 : 0;
}

/** Counts per year over the reports searched (`docs`: only their metadata is read). */
export function byYear(docs: Array<Pick<ProcessedDoc, 'meta'>>, all: Mention[]): YearCount[] {
  const years = new Map<number, YearCount & { words: number }>();
  for (const d of docs) {
    if (d.meta.year === null) continue;
    const y = years.get(d.meta.year) ?? { year: d.meta.year, count: 0, occurrences: 0, reports: 0, reportsTotal: 0, per10kWords: 0, words: 0 };
    y.reportsTotal++;
    y.words += d.meta.words;
    years.set(d.meta.year, y);
  }
  const seen = new Set<string>();
  for (const m of all) {
    const y = m.doc.meta.year === null ? undefined : years.get(m.doc.meta.year);
    if (!y) continue;
    y.count++;
    y.occurrences += m.spans.length;
    if (!seen.has(m.doc.meta.id)) {
      seen.add(m.doc.meta.id);
      y.reports++;
    }
  }
  return [...years.values()]
    .sort((a, b) => a.year - b.year)
    .map(({ words, ...y }) => ({ ...y, per10kWords: per10kWords(y.occurrences, words) }));
}

export function byCouncil(all: Mention[]): CouncilCount[] {
  const out = new Map<string, CouncilCount & { docs: Set<string> }>();
  for (const m of all) {
    const name = m.doc.meta.council ?? 'Unknown';
    const c = out.get(name) ?? { council: name, count: 0, occurrences: 0, reports: 0, docs: new Set<string>() };
    c.count++;
    c.occurrences += m.spans.length;
    c.docs.add(m.doc.meta.id);
    out.set(name, c);
  }
  return [...out.values()]
    .map(({ docs, ...c }) => ({ ...c, reports: docs.size }))
    .sort((a, b) => b.occurrences - a.occurrences || a.council.localeCompare(b.council));
}
