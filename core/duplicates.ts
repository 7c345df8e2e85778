/**
 * Near-identical chunks: boilerplate repeated across reports ("This report is published ...",
 * the same framework paragraph in every inspection). Two chunks are near-identical when their
 * texts are the same after folding case, digits, punctuation and the name of their own council.
 * Groups are computed when the index is built (saved with the keyword index); search results
 * collapse each group into one result.
 */
import { createHash } from 'node:crypto';
import type { ProcessedDoc } from './types.ts';

/**
 * Two passages whose embeddings are at least this close (cosine) are near-identical too: the same
 * standard wording with a detail changed (a telephone number, a year, a heading run in). On the
 * 435 reports such variants of Ofsted's standard wording score 0.98-1.0, while the best "practice
 * like this elsewhere" results of the 20 paragraphs judged in docs/relevance.md score 0.78-0.94.
 */
export const NEAR_COPY_COSINE = 0.98;

/** Group id per chunk (chunks in corpus order); chunks of one group share the id. */
export function duplicateGroups(docs: ProcessedDoc[]): Int32Array {
  const ids = new Map<string, number>();
  const out: number[] = [];
  for (const doc of docs) {
    const council = doc.meta.council ? fold(doc.meta.council) : null;
    for (const chunk of doc.chunks) {
      let key = fold(chunk.text);
      if (council) key = key.split(council).join('#');
      const digest = createHash('sha1').update(key).digest('base64');
      let id = ids.get(digest);
      if (id === undefined) {
        id = ids.size;
        ids.set(digest, id);
      }
      out.push(id);
    }
  }
  return Int32Array.from(out);
}

function fold(s: string): string {
  return s.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
}
