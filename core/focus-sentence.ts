/**
 * For results with no matching words (found by meaning only): the sentence most similar to the
 * query, so the snippet centres on it. Each sentence compared costs a model call, so only the
 * first FOCUS_RESULTS such results of a page get it, over their first FOCUS_SENTENCES sentences.
 * Used by the product's search (core/engine-search.ts) whichever engine holds the index.
 */
import type { Embedder } from './embedder.ts';
import { sentenceSpans } from './sentences.ts';
import { dotRow } from './vectors.ts';

/** Meaning-only results per page whose snippet centres on the sentence nearest the query. */
export const FOCUS_RESULTS = 3;
/** Sentences of each such result compared with the query (later ones fall back to the first). */
export const FOCUS_SENTENCES = 8;

/** Index of the best sentence of each text (one batched call). */
export async function focusSentences(embedder: Embedder | null, texts: string[], queryVector: Float32Array): Promise<number[]> {
  if (texts.length === 0 || !embedder) return [];
  const perText = texts.map((t) => sentenceSpans(t).slice(0, FOCUS_SENTENCES).map(([a, b]) => t.slice(a, b)));
  const flat = perText.flat();
  if (flat.length === 0) return texts.map(() => 0);
  const vectors = await embedder.embedPassages(flat);
  let k = 0;
  return perText.map((sentences) => {
    let best = 0;
    let bestScore = -Infinity;
    sentences.forEach((_, i) => {
      const s = dotRow(vectors[k++]!, 0, queryVector);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    });
    return best;
  });
}
