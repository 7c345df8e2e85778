/**
 * A council's record: every report of the council (and of its predecessors or successors after
 * boundary changes: core/council-names.ts), oldest first, each with the authority it inspected, with the grade of each common judgement area
 * (core/judgements.ts), and for a theme how often each report mentions it, counted as
 * every-mention counts (core/mentions.ts), per report and per 10 000 words.
 */
import type { CouncilResponse } from './api-types.ts';
import { docListItem } from './documents.ts';
import { AppError } from './errors.ts';
import { authorityAt, BOUNDARY_CHANGES, councilKey, councilKeys } from './council-names.ts';
import { gradesByArea, JUDGEMENT_AREAS } from './judgements.ts';
import { per10kWords, type Mention } from './mentions.ts';
import { citation } from './citation.ts';
import { readerUrl } from './result-item.ts';
import type { DocMeta } from './types.ts';

/** The council a path names (`East_Sussex` or `East Sussex`). */
function askedName(name: string): string {
  return name.replace(/_/g, ' ');
}

/** A report with its sizes, as both engines list them. */
export interface CouncilDoc {
  meta: DocMeta;
  chunks: number;
  paragraphs: number;
}

/** The reports of the council `name` (and its predecessors or successors), oldest first; not_found if none. */
export function councilDocs<D extends { meta: DocMeta }>(docs: readonly D[], name: string): D[] {
  const keys = councilKeys(askedName(name));
  const out = docs
    .filter((d) => d.meta.council !== null && keys.has(councilKey(d.meta.council)))
    .sort((a, b) => (a.meta.date ?? '').localeCompare(b.meta.date ?? '') || a.meta.source.localeCompare(b.meta.source));
  if (out.length === 0) throw new AppError('not_found', `Request: no reports of a council named "${name.slice(0, 100)}"`);
  return out;
}

/** The filter of a theme's mentions for the council's record: every report of the council (`name` as asked for). */
export function councilFilter(name: string): { council: string[] } {
  return { council: [askedName(name)] };
}

/**
 * The record of the council `name` from its reports (councilDocs) and, with a theme `q`, every
 * mention of it in them (core/mentions.ts, filtered by councilFilter).
 */
export function councilRecordOf(docs: readonly CouncilDoc[], name: string, q: string | undefined, found: readonly Mention[]): CouncilResponse {
  const wanted = askedName(name);
  const keys = councilKeys(wanted);
  // The name asked for as its newest report has it; a council with no reports of its own (a
  // predecessor) as the boundary changes name it; else the newest report's council.
  const own = docs.filter((d) => councilKey(d.meta.council!) === councilKey(wanted));
  const known = BOUNDARY_CHANGES.flatMap((c) => [...c.predecessors, ...c.successors]).find((n) => councilKey(n) === councilKey(wanted));
  const council = own.at(-1)?.meta.council ?? known ?? docs.at(-1)!.meta.council!;
  const counts = new Map<string, { paragraphs: number; occurrences: number }>();
  for (const m of found) {
    const c = counts.get(m.doc.meta.id) ?? { paragraphs: 0, occurrences: 0 };
    c.paragraphs++;
    c.occurrences += m.spans.length;
    counts.set(m.doc.meta.id, c);
  }
  const reports = docs.map((d) => {
    const grades = gradesByArea(d.meta.judgements);
    const c = counts.get(d.meta.id) ?? { paragraphs: 0, occurrences: 0 };
    const url = readerUrl(d.meta.id, '').replace(/#$/, '');
    return {
      doc: docListItem(d.meta, d.chunks, d.paragraphs),
      authority: authorityAt(d.meta.council!, d.meta.date),
      url: q !== undefined ? `${url}?q=${encodeURIComponent(q)}` : url,
      citation: citation(d.meta, null, null),
      grades: JUDGEMENT_AREAS.filter((a) => grades[a.key] !== undefined).map((a) => ({ area: a.key, grade: grades[a.key]! })),
      theme: q !== undefined ? { ...c, per10kWords: per10kWords(c.occurrences, d.meta.words) } : null,
    };
  });
  const graded = new Set(reports.flatMap((r) => r.grades.map((g) => g.area)));
  const changes = BOUNDARY_CHANGES.filter((c) => [...c.predecessors, ...c.successors].some((n) => keys.has(councilKey(n))))
    .map((c) => ({ date: c.date, predecessors: [...c.predecessors], successors: [...c.successors] }));
  return {
    council,
    names: [...new Set(docs.map((d) => d.meta.council!))].sort(),
    changes,
    areas: JUDGEMENT_AREAS.filter((a) => graded.has(a.key)).map((a) => ({ key: a.key, label: a.label })),
    query: q ?? null,
    reports,
  };
}
