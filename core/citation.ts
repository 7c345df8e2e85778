/**
 * A citation for a passage: "Ofsted, Inspection of Hackney local authority children's services,
 * 2019, para 29, p. 7". Committee papers are cited to their council.
 */
import type { ResultItem } from './api-types.ts';

export function citation(r: Pick<ResultItem, 'doc' | 'paragraph' | 'page'>): string {
  const author = r.doc.type === 'committee' ? (r.doc.council ? `${r.doc.council} Council` : 'Council papers') : 'Ofsted';
  const parts = [author, r.doc.title];
  if (r.doc.year !== null) parts.push(String(r.doc.year));
  if (r.paragraph) parts.push(`para ${r.paragraph}`);
  if (r.page !== null) parts.push(`p. ${r.page}`);
  return parts.join(', ');
}
