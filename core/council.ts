/**
 * A council's record: every report of the council (and of its predecessors or successors after
 * boundary changes: core/filters.ts), oldest first, with the grade of each common judgement area
 * (core/judgements.ts), and for a theme how often each report mentions it, counted as
 * every-mention counts (core/mentions.ts), per report and per 10 000 words.
 */
import type { CouncilResponse } from './api-types.ts';
import { listItem } from './documents.ts';
import { AppError } from './errors.ts';
import { councilKey, councilKeys } from './filters.ts';
import { gradesByArea, JUDGEMENT_AREAS } from './judgements.ts';
import { mentions, per10kWords } from './mentions.ts';
import { citation } from './citation.ts';
import { readerUrl } from './result-item.ts';
import type { SearchIndex } from './search-index.ts';

export function councilRecord(index: SearchIndex, name: string, q?: string): CouncilResponse {
  const wanted = name.replace(/_/g, ' ');
  const keys = councilKeys(wanted);
  const docs = index.docs
    .filter((d) => d.meta.council !== null && keys.has(councilKey(d.meta.council)))
    .sort((a, b) => (a.meta.date ?? '').localeCompare(b.meta.date ?? '') || a.meta.source.localeCompare(b.meta.source));
  if (docs.length === 0) throw new AppError('not_found', `Request: no reports of a council named "${name.slice(0, 100)}"`);
  // The name asked for when reports carry it, else the newest report's council.
  const own = docs.filter((d) => councilKey(d.meta.council!) === councilKey(wanted));
  const council = (own.length > 0 ? own : docs)[(own.length > 0 ? own : docs).length - 1]!.meta.council!;
  const counts = new Map<string, { paragraphs: number; occurrences: number }>();
  if (q !== undefined) {
    for (const m of mentions(index, { q, filters: { council: [wanted] }, limit: 0 }).all) {
      const c = counts.get(m.doc.meta.id) ?? { paragraphs: 0, occurrences: 0 };
      c.paragraphs++;
      c.occurrences += m.spans.length;
      counts.set(m.doc.meta.id, c);
    }
  }
  const reports = docs.map((d) => {
    const grades = gradesByArea(d.meta.judgements);
    const c = counts.get(d.meta.id) ?? { paragraphs: 0, occurrences: 0 };
    const url = readerUrl(d.meta.id, '').replace(/#$/, '');
    return {
      doc: listItem(d),
      url: q !== undefined ? `${url}?q=${encodeURIComponent(q)}` : url,
      citation: citation(d.meta, null, null),
      grades: JUDGEMENT_AREAS.filter((a) => grades[a.key] !== undefined).map((a) => ({ area: a.key, grade: grades[a.key]! })),
      theme: q !== undefined ? { ...c, per10kWords: per10kWords(c.occurrences, d.meta.words) } : null,
    };
  });
  const graded = new Set(reports.flatMap((r) => r.grades.map((g) => g.area)));
  return {
    council,
    names: [...new Set(docs.map((d) => d.meta.council!))].sort(),
    areas: JUDGEMENT_AREAS.filter((a) => graded.has(a.key)).map((a) => ({ key: a.key, label: a.label })),
    query: q ?? null,
    reports,
  };
}
