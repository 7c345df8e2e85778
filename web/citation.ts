/**
 * Citations a user can paste into a scrutiny paper, e.g.
 * "Ofsted, Inspection of Hackney local authority children's services, 2019, para 29, p. 7".
 * Committee papers are cited to the council that published them.
 */
import type { DocSummary } from '../core/api-types.ts';

export const TYPE_LABELS: Record<string, string> = {
  apa: 'Annual performance assessment',
  jar: 'Joint area review',
  slac: 'Safeguarding and looked after children',
  sif: 'Single inspection framework',
  ilacs: 'ILACS inspection',
  'focused-visit': 'Focused visit',
  committee: 'Committee papers',
  other: 'Other',
};

export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

export function publisher(doc: Pick<DocSummary, 'type' | 'council'>): string {
  if (doc.type === 'committee') {
    if (!doc.council) return 'Council';
    return /council|borough/i.test(doc.council) ? doc.council : `${doc.council} Council`;
  }
  return 'Ofsted';
}

export function citation(
  doc: Pick<DocSummary, 'type' | 'council' | 'title' | 'year'>,
  paragraph: string | null,
  page: number | null,
): string {
  const parts = [publisher(doc), doc.title];
  if (doc.year != null) parts.push(String(doc.year));
  if (paragraph) parts.push(`${paragraph.includes('-') ? 'paras' : 'para'} ${paragraph}`);
  if (page != null) parts.push(`p. ${page}`);
  return parts.join(', ');
}

/** Copies text to the clipboard; falls back to a hidden textarea when the Clipboard API is unavailable. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the textarea copy
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
