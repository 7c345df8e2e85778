/**
 * The reader's marks and "mention N of M" come from the server, found by the same matcher as the
 * every-mention counts: a report opened with a query lists exactly the paragraphs /api/mentions
 * counts for that report, and marks the query's words in its paragraphs.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentResponse, MentionsResponse } from '../core/api-types.ts';
import { useApiApp } from './helpers/api-app.ts';

const { get } = useApiApp();

describe('GET /api/documents/{id}?q=', () => {
  it('lists the paragraphs every-mention counts, and marks the words in them', async () => {
    const q = 'care leavers';
    const m = await get<MentionsResponse>(`/api/mentions?q=${encodeURIComponent(q)}&limit=100000`);
    const docId = m.results[0]!.doc.id;
    const counted = m.results.filter((r) => r.doc.id === docId);
    const d = await get<DocumentResponse>(`/api/documents/${encodeURIComponent(docId)}?q=${encodeURIComponent(q)}`);
    expect(d.mentions).not.toBeNull();
    expect(d.mentions!.anchors).toEqual(counted.map((r) => r.anchor));
    expect(d.mentions!.occurrences).toBe(counted.reduce((n, r) => n + r.occurrences, 0));
    for (const p of d.paragraphs.filter((x) => d.mentions!.anchors.includes(x.anchor))) {
      const marked = p.marks.map(([a, b]) => p.text.slice(a, b).toLowerCase());
      expect(marked.some((w) => w.startsWith('leaver')), p.anchor).toBe(true);
      expect(marked.every((w) => /^(car(e|es|ed|ing)|leavers?)$/.test(w)), marked.join(',')).toBe(true);
    }
  });

  it('has no marks and no mentions without a query, and refuses a query with nothing to search', async () => {
    const list = await get<{ documents: Array<{ id: string }> }>('/api/documents');
    const d = await get<DocumentResponse>(`/api/documents/${encodeURIComponent(list.documents[0]!.id)}`);
    expect(d.mentions).toBeNull();
    expect(d.paragraphs.every((p) => p.marks.length === 0)).toBe(true);
    const bad = await get<{ error: { message: string } }>(`/api/documents/${encodeURIComponent(list.documents[0]!.id)}?q=-school`, 400);
    expect(bad.error.message).toMatch(/"q"/);
  });
});
