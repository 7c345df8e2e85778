/**
 * Judgements and their areas, once. Inspection frameworks name the same area differently (the
 * single inspection's "children looked after and achieving permanence" is the ILACS "children in
 * care"; ILACS until 2023 judged "children in care and care leavers" together), so every area
 * name maps to one or more common areas (JUDGEMENT_AREAS), and grades fold their aliases
 * ("requires improvement to be good" = "requires improvement" = "ri").
 *
 * A judgement filter value is "grade" (any area) or "area:grade"; the grade may list
 * alternatives, "care leavers:good|outstanding". The area is matched by its words
 * ("care leavers" in "experiences and progress of care leavers") or by its common area
 * ("children in care" finds "children looked after and achieving permanence").
 */
import type { Judgement } from './types.ts';

export interface JudgementArea {
  /** Stable key, used in URLs and the API. */
  key: string;
  /** What the UI calls it. */
  label: string;
  /** Area names (as reports state them, or section headings) that belong to this area. */
  pattern: RegExp;
}

/** The common areas, in the order a council's record shows them. */
export const JUDGEMENT_AREAS: readonly JudgementArea[] = [
  { key: 'overall', label: 'Overall effectiveness', pattern: /\boverall effectiveness\b/ },
  { key: 'help-and-protection', label: 'Help and protection', pattern: /\bhelp and protection\b/ },
  { key: 'children-in-care', label: 'Children in care', pattern: /\bchildren in care\b|\blooked after\b/ },
  { key: 'care-leavers', label: 'Care leavers', pattern: /\bcare leavers?\b/ },
  { key: 'leaders', label: 'Leaders', pattern: /\bimpact of leaders\b|\bleadership\b/ },
  { key: 'adoption', label: 'Adoption', pattern: /\badoption\b/ },
  { key: 'lscb', label: 'Safeguarding children board', pattern: /\blscb\b|\bsafeguarding children board\b/ },
];

export const AREA_KEYS = JUDGEMENT_AREAS.map((a) => a.key);

/** The common areas an area name (or a section heading) belongs to. */
export function areaKeys(name: string): string[] {
  const n = name.toLowerCase().replace(/\s+/g, ' ');
  // "Looked after children: capacity for improvement" (2012) is not a judgement of practice.
  if (/capacity for improvement/.test(n)) return [];
  const keys = JUDGEMENT_AREAS.filter((a) => a.pattern.test(n)).map((a) => a.key);
  // "Looked after children: overall effectiveness" judges children in care, not the whole service.
  return keys.includes('overall') && keys.length > 1 ? keys.filter((k) => k !== 'overall') : keys;
}

const GRADE_ALIASES: Record<string, string> = { ri: 'requires improvement', 'requires improvement to be good': 'requires improvement' };

/** A grade in the form grades are compared in: lower case, aliases folded. */
export function gradeKey(g: string): string {
  const k = g.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return GRADE_ALIASES[k] ?? k;
}

/** Each common area's grade in a report (the first judgement stating it). */
export function gradesByArea(judgements: readonly Judgement[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const j of judgements) for (const k of areaKeys(j.area)) out[k] ??= gradeKey(j.grade);
  return out;
}

/**
 * The common areas a paragraph is about, from its section headings (innermost first): under
 * "The experiences and progress of care leavers: good" it is care leavers. Empty when no heading
 * names an area.
 */
export function paragraphAreas(section: readonly string[]): string[] {
  for (let i = section.length - 1; i >= 0; i--) {
    const keys = areaKeys(section[i]!).filter((k) => k !== 'overall');
    if (keys.length > 0) return keys;
  }
  return [];
}

/** "inadequate" matches any judgement with that grade; "care leavers:good|outstanding" one area and any of the grades. */
export function judgementMatches(judgements: readonly Judgement[], value: string): boolean {
  const [area, grade] = value.includes(':') ? (value.split(':', 2) as [string, string]) : [null, value];
  const wants = grade.split('|').map(gradeKey);
  const areaText = area?.trim().toLowerCase() ?? null;
  const areaCommon = areaText === null ? [] : [...new Set([...areaKeys(areaText), ...(AREA_KEYS.includes(areaText) ? [areaText] : [])])];
  return judgements.some((j) => {
    const g = gradeKey(j.grade);
    if (!wants.some((w) => g.startsWith(w))) return false;
    if (areaText === null) return true;
    const name = j.area.toLowerCase();
    return name.includes(areaText) || areaKeys(name).some((k) => areaCommon.includes(k));
  });
}
