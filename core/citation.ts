/**
 * A citation for a passage that a user can paste into a scrutiny paper: "Ofsted, Inspection of
 * Hackney local authority children's services, 2019, para 29, p. 7". Committee papers are cited
 * to the council that published them. The API sends it with every result and paragraph, so the
 * UI never builds its own.
 */
import type { DocSummary } from './api-types.ts';

export function publisher(doc: Pick<DocSummary, 'type' | 'council'>): string {
  if (doc.type !== 'committee') return 'Ofsted';
  if (!doc.council) return 'Council';
  return /council|borough/i.test(doc.council) ? doc.council : `${doc.council} Council`;
}

export function citation(doc: Pick<DocSummary, 'type' | 'council' | 'title' | 'year'>, paragraph: string | null, page: number | null): string {
  const parts = [publisher(doc), doc.title];
  if (doc.year != null) parts.push(String(doc.year));
  if (paragraph) parts.push(`${paragraph.includes('-') ? 'paras' : 'para'} ${paragraph}`);
  if (page != null) parts.push(`p. ${page}`);
  return parts.join(', ');
}
