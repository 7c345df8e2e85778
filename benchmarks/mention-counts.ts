/**
 * Every-mention counts judged against exact per-report counts (../shared/eval/scale/every-mention.json):
 * per theme, recall = sum over reports of min(counted, true) / true occurrences, precision = the
 * same sum / all counted occurrences. Reports the judged file leaves out (its rule counts only
 * PDFs) are left out here too.
 */
import type { EngineSearch } from '../core/engine-search.ts';
import { sameFile } from './relevance.ts';

export interface JudgedTheme {
  id: string;
  phrase: string;
  occurrences: number;
  reports: number;
  files: Record<string, number>;
}

export interface ThemeScore {
  id: string;
  query: string;
  truth: number;
  counted: number;
  recall: number;
  precision: number;
}

/** Score counted occurrences per report source against the judged counts per file. */
export function scoreCounts(counted: Map<string, number>, theme: JudgedTheme): { recall: number; precision: number; counted: number } {
  let hit = 0;
  let all = 0;
  const files = Object.entries(theme.files);
  for (const [source, n] of counted) {
    all += n;
    const judged = files.find(([f]) => sameFile(source, f));
    hit += Math.min(n, judged ? judged[1] : 0);
  }
  return { recall: theme.occurrences > 0 ? hit / theme.occurrences : 1, precision: all > 0 ? hit / all : 1, counted: all };
}

/** Count a query's mentions per report (PDF reports only, as the judged rule does) and score them. */
export async function scoreTheme(engine: EngineSearch, theme: JudgedTheme, query: string): Promise<ThemeScore> {
  const res = await engine.mentions({ q: query, limit: 0 });
  const counted = new Map<string, number>();
  for (const m of res.all) {
    if (m.doc.meta.format !== 'pdf') continue;
    counted.set(m.doc.meta.source, (counted.get(m.doc.meta.source) ?? 0) + m.spans.length);
  }
  return { id: theme.id, query, truth: theme.occurrences, ...scoreCounts(counted, theme) };
}
