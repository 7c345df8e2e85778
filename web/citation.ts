/**
 * What the UI shows about a report's citation details: type labels, dates, and copying a
 * citation (the API sends the citation text itself) to the clipboard.
 */

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
